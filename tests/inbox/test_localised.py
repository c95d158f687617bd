"""The inbox writes money and dates in the reader's language: the conversation row's day and
spend, a message's time and PPV price, the fan panel's dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import ConversationFactory, FanFactory, MessageFactory, TransactionFactory
from tests.helpers import NBSP, page_in_language, texts_missing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("language_reset")]


AT = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)


@pytest.fixture
def conversation(creator_a):
    fan = FanFactory(
        creator=creator_a,
        display_name="Ana",
        total_spent_cents=123456,
        joined_at=datetime(2025, 1, 9, 10, 0, tzinfo=UTC),
    )
    conversation = ConversationFactory(creator=creator_a, fan=fan, last_message_at=AT)
    MessageFactory(
        conversation=conversation, direction="out", text="Hi", price_cents=1250, sent_at=AT
    )
    TransactionFactory(creator=creator_a, fan=fan, amount_cents=999, occurred_at=AT)
    return conversation


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                '<time class="row-time" datetime="2026-03-05T14:30:00+00:00">March 5</time>',
                "$1,235",  # the row's total spend, whole units
                "PPV · $12</p>",  # 12.50 rounded half to even
                '<time datetime="2026-03-05T14:30:00+00:00">March 5, 2:30 p.m.</time>',
                "Jan. 9, 2025</time>",  # fan since
                "$9.99 · tip",  # last purchase
            ],
        ),
        (
            "fr",
            [
                '<time class="row-time" datetime="2026-03-05T14:30:00+00:00">5 mars</time>',
                f"1{NBSP}235{NBSP}$US",
                f"PPV · 12{NBSP}$US</p>",
                '<time datetime="2026-03-05T14:30:00+00:00">5 mars à 14:30</time>',
                "9 janvier 2025</time>",
                f"9,99{NBSP}$US · tip",
            ],
        ),
    ],
)
def test_the_conversation_page_in_each_language(client_a, conversation, language, expected):
    # Given a conversation with a PPV message, a fan who spent, and a reader's language
    # When the reader opens the conversation
    html = page_in_language(client_a, f"/onlyfans/messages/{conversation.id}", language)

    # Then its money and dates are written the language's way
    assert texts_missing(html, expected) == []
