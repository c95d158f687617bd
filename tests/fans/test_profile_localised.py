"""The fan profile writes money and dates in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from huntaze.fans.models import Subscription
from tests.factories import FanFactory
from tests.helpers import NBSP, page_in_language, texts_missing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("language_reset")]


@pytest.fixture
def fan(creator_a):
    fan = FanFactory(
        creator=creator_a,
        total_spent_cents=123450,
        ltv_cents=250000,
        joined_at=datetime(2025, 1, 9, 10, 0, tzinfo=UTC),
    )
    Subscription.objects.create(
        creator=creator_a,
        fan=fan,
        tier="gold",
        amount_cents=999,
        status="active",
        started_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
        expires_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )
    return fan


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "<dd>$1,234.50 <small>",  # total spend
                "<dd>$2,500.00</dd>",  # lifetime value
                "until March 1, 2026",  # the subscription's end, in the timeline
                '<span class="timeline-amount">$9.99</span>',
            ],
        ),
        (
            "fr",
            [
                f"<dd>1{NBSP}234,50{NBSP}$US <small>",
                f"<dd>2{NBSP}500,00{NBSP}$US</dd>",
                "jusqu’au 1 mars 2026",
                f'<span class="timeline-amount">9,99{NBSP}$US</span>',
            ],
        ),
    ],
)
def test_the_profile_in_each_language(client_a, fan, language, expected):
    # Given a fan who spent and subscribed, and a reader's language
    # When the reader opens the fan's profile
    html = page_in_language(client_a, f"/onlyfans/fans/{fan.id}", language)

    # Then its money and dates are written the language's way
    assert texts_missing(html, expected) == []
