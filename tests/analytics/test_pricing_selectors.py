"""creator_ppv_price_suggestion and creator_ppv_price_bands on the creator's past PPVs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy.special import expit

from huntaze.analytics.pricing import fit_demand, suggest_price
from huntaze.analytics.selectors_models import (
    NotEnoughData,
    creator_ppv_price_bands,
    creator_ppv_price_suggestion,
)
from huntaze.commerce.selectors_ppv import ppv_price_suggestion
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.fans.models import Segment
from tests.factories import PPVItemFactory

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
PRICES = [500, 800, 1000, 1500, 2000, 2500]


def true_buy_rate(price: float) -> float:
    return float(expit(-1.0 - 2.2 * np.log(price / 1500)))


def add_ppvs(creator, *, sends: int = 400, segment=None, sent_at=NOW - timedelta(days=10)):
    rows = []
    for price in PRICES:
        buys = round(sends * true_buy_rate(price))
        PPVItemFactory(
            creator=creator, price_cents=price, sent_count=sends, purchased_count=buys,
            revenue_cents=buys * price, segment=segment, sent_at=sent_at,
        )  # fmt: skip
        rows.append((price, sends, buys))
    return rows


@pytest.mark.django_db
def test_suggestion_is_the_model_on_the_creators_ppvs(creator_a, creator_b):
    rows = add_ppvs(creator_a)
    PPVItemFactory(creator=creator_b, price_cents=4000, sent_count=10_000, purchased_count=9_000)

    suggestion = creator_ppv_price_suggestion(
        creator_id=creator_a.id, floor_cents=300, ceiling_cents=5000, now=NOW
    )

    expected = suggest_price(
        fit_demand([r[0] for r in rows], [r[2] for r in rows], sends=[r[1] for r in rows]),
        floor_cents=300,
        ceiling_cents=5000,
    )
    assert suggestion.price_cents == expected.price_cents
    assert abs(suggestion.price_cents - 876) <= 25  # the true curve's best price
    assert suggestion.sends == 2400
    assert suggestion.buy_probability == pytest.approx(expected.buy_probability)
    assert suggestion.explanation.startswith("Expected revenue per recipient peaks")
    assert "2400 recipients" in suggestion.explanation


@pytest.mark.django_db
def test_segment_suggestion_uses_only_that_segments_ppvs(creator_a, creator_b):
    segment = Segment.objects.create(creator=creator_a, name="Whales")
    add_ppvs(creator_a, sends=300, segment=segment)
    add_ppvs(creator_a, sends=5000)  # the rest of the audience
    foreign = Segment.objects.create(creator=creator_b, name="Theirs")

    suggestion = creator_ppv_price_suggestion(
        creator_id=creator_a.id, segment_id=segment.id, floor_cents=300, ceiling_cents=5000, now=NOW
    )

    assert suggestion.sends == 1800
    with pytest.raises(NotFound):
        creator_ppv_price_suggestion(
            creator_id=creator_a.id, segment_id=foreign.id, floor_cents=300, ceiling_cents=5000
        )


@pytest.mark.django_db
def test_recent_or_thin_history_is_not_enough(creator_a):
    add_ppvs(creator_a, sends=400, sent_at=NOW - timedelta(hours=20))  # still collecting buys
    PPVItemFactory(
        creator=creator_a,
        price_cents=900,
        sent_count=30,
        purchased_count=4,
        sent_at=NOW - timedelta(days=5),
    )

    with pytest.raises(NotEnoughData, match="not enough history yet: the price model needs"):
        creator_ppv_price_suggestion(
            creator_id=creator_a.id, floor_cents=300, ceiling_cents=5000, now=NOW
        )
    assert (
        creator_ppv_price_bands(creator_id=creator_a.id, now=NOW)[0].model_buy_probability is None
    )


@pytest.mark.django_db
def test_bad_guardrails_name_the_field(creator_a):
    with pytest.raises(ValidationFailed) as error:
        creator_ppv_price_suggestion(creator_id=creator_a.id, floor_cents=900, ceiling_cents=500)
    assert "ceiling_cents" in error.value.field_errors
    with pytest.raises(ValidationFailed) as error:
        creator_ppv_price_suggestion(creator_id=creator_a.id, floor_cents=0, ceiling_cents=500)
    assert "floor_cents" in error.value.field_errors


@pytest.mark.django_db
def test_price_bands_sum_the_sends_with_the_model_probability(creator_a):
    add_ppvs(creator_a)

    bands = creator_ppv_price_bands(creator_id=creator_a.id, now=NOW)

    assert [(band.low_cents, band.high_cents) for band in bands] == [
        (500, 1000), (1000, 1500), (1500, 2000), (2000, 3000),
    ]  # fmt: skip
    assert [band.sends for band in bands] == [800, 400, 400, 800]
    first = bands[0]
    assert first.buys == round(400 * true_buy_rate(500)) + round(400 * true_buy_rate(800))
    assert first.revenue_per_recipient_cents == round(first.revenue_cents / 800)
    typical = float(np.exp((np.log(500) + np.log(800)) / 2))
    assert first.model_buy_probability == pytest.approx(true_buy_rate(typical), abs=0.02)


@pytest.mark.django_db
def test_the_ppv_page_selector_gets_the_suggestion(creator_a):
    add_ppvs(creator_a, sent_at=datetime.now(UTC) - timedelta(days=10))

    result = ppv_price_suggestion(creator_id=creator_a.id)

    assert result.price_cents is not None
    assert abs(result.price_cents - 876) <= 25
    assert result.detail is not None
    assert result.detail["sends"] == 2400
    assert str(result.detail["explanation"]).startswith("Expected revenue per recipient peaks")
