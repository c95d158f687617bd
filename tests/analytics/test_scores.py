"""The nightly fan scores: the stored values equal the models on the fans' aggregates, reruns
write only what moved, thin histories get no made-up score, other creators are untouched; and
the churn overview built on them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from huntaze.analytics.clv import (
    bgnbd_expected_purchases,
    bgnbd_p_alive,
    clv,
)
from huntaze.analytics.selectors_models import creator_churn_overview
from huntaze.analytics.services_scores import (
    LTV_MARGIN,
    LTV_MONTHLY_DISCOUNT_RATE,
    LTV_MONTHS,
    fan_scores_refresh,
)
from huntaze.analytics.tasks_scores import fan_scores_refresh_all, fan_scores_refresh_creator
from huntaze.core.errors import ValidationFailed
from huntaze.fans.models import Fan
from tests.factories import FanFactory

NOW = datetime(2025, 6, 30, 3, 0, tzinfo=UTC)


def make_buyers(creator, count: int = 80, seed: int = 5) -> list[Fan]:
    """Fans whose purchase aggregates follow a BG/NBD in days."""
    rng = np.random.default_rng(seed)
    fans = []
    for index in range(count):
        age = float(rng.integers(60, 400))
        rate, drop = rng.gamma(0.8, 1 / 25.0), rng.beta(1.0, 4.0)
        clock, repeats, last = 0.0, 0, 0.0
        while True:
            clock += rng.exponential(1 / rate)
            if clock > age:
                break
            repeats, last = repeats + 1, clock
            if rng.random() < drop:
                break
        first_at = NOW - timedelta(days=age)
        fans.append(
            FanFactory(
                creator=creator,
                username=f"buyer{index}",
                purchases_count=repeats + 1,
                total_spent_cents=(repeats + 1) * int(rng.integers(500, 3000)),
                first_purchase_at=first_at,
                last_purchase_at=first_at + timedelta(days=last),
            )
        )
    return fans


def _rfm(fans: list[Fan]):
    x = np.array([fan.purchases_count - 1 for fan in fans], dtype=float)
    age = np.array([(NOW - fan.first_purchase_at).total_seconds() / 86400 for fan in fans])
    last = np.array([(NOW - fan.last_purchase_at).total_seconds() / 86400 for fan in fans])
    spend = np.array([fan.total_spent_cents / fan.purchases_count for fan in fans])
    return x, np.where(x > 0, age - last, 0.0), age, spend


@pytest.mark.django_db
def test_refresh_stores_the_model_scores_on_every_buyer(creator_a):
    fans = make_buyers(creator_a)
    never_bought = FanFactory(creator=creator_a, purchases_count=0)

    result = fan_scores_refresh(creator_id=creator_a.id, now=NOW)

    assert (result.buyers, result.written, result.is_refit) == (80, 80, True)
    assert result.params is not None
    assert result.params.gamma_gamma is not None
    x, t_x, age, spend = _rfm(fans)
    p_alive = bgnbd_p_alive(result.params.bgnbd, x, t_x, age)
    expected = bgnbd_expected_purchases(result.params.bgnbd, 90.0, x, t_x, age)
    ltv = clv(
        result.params.bgnbd, result.params.gamma_gamma, x, t_x, age, spend, months=LTV_MONTHS,
        monthly_discount_rate=LTV_MONTHLY_DISCOUNT_RATE, margin=LTV_MARGIN,
    )  # fmt: skip
    stored = {fan.id: fan for fan in Fan.objects.for_creator(creator_a.id)}
    for index, fan in enumerate(fans):
        row = stored[fan.id]
        assert row.p_alive == pytest.approx(p_alive[index], rel=1e-12)
        assert row.churn_risk == pytest.approx(1 - p_alive[index], abs=1e-12)
        assert row.expected_purchases_90d == pytest.approx(expected[index], rel=1e-12)
        assert row.ltv_cents == round(ltv[index])
        assert row.scores_updated_at == NOW
    assert stored[never_bought.id].p_alive is None
    assert stored[never_bought.id].scores_updated_at is None


@pytest.mark.django_db
def test_rerun_writes_only_fans_with_a_new_purchase(creator_a):
    fans = make_buyers(creator_a)
    fan_scores_refresh(creator_id=creator_a.id, now=NOW)
    buyer = fans[3]
    Fan.objects.for_creator(creator_a.id).filter(id=buyer.id).update(
        purchases_count=buyer.purchases_count + 1,
        total_spent_cents=buyer.total_spent_cents + 1000,
        last_purchase_at=NOW + timedelta(minutes=30),
    )
    later = NOW + timedelta(hours=1)

    result = fan_scores_refresh(creator_id=creator_a.id, now=later)

    assert result.is_refit is False
    assert 1 <= result.written <= 5  # the buyer, and any fan whose LTV moved 50 cents in an hour
    refreshed = Fan.objects.for_creator(creator_a.id).get(id=buyer.id)
    assert refreshed.scores_updated_at == later
    untouched = Fan.objects.for_creator(creator_a.id).filter(scores_updated_at=NOW).count()
    assert untouched == 80 - result.written


@pytest.mark.django_db
def test_scores_drifting_with_time_are_rewritten_and_full_rewrites_all(creator_a):
    make_buyers(creator_a)
    fan_scores_refresh(creator_id=creator_a.id, now=NOW)

    months_later = fan_scores_refresh(creator_id=creator_a.id, now=NOW + timedelta(days=60))
    assert 0 < months_later.written <= 80
    assert months_later.is_refit is False

    full = fan_scores_refresh(creator_id=creator_a.id, now=NOW + timedelta(days=60), full=True)
    assert (full.is_refit, full.written) == (True, 80)


@pytest.mark.django_db
def test_too_little_history_leaves_scores_empty_with_the_reason(creator_a):
    FanFactory.create_batch(
        5, creator=creator_a, purchases_count=2, total_spent_cents=2000,
        first_purchase_at=NOW - timedelta(days=30), last_purchase_at=NOW - timedelta(days=3),
        p_alive=0.5, churn_risk=0.5, scores_updated_at=NOW - timedelta(days=1),
    )  # fmt: skip

    result = fan_scores_refresh(creator_id=creator_a.id, now=NOW)

    assert result.params is None
    assert result.not_enough_data.startswith("not enough history yet")
    assert result.cleared == 5
    assert not Fan.objects.for_creator(creator_a.id).filter(p_alive__isnull=False).exists()


@pytest.mark.django_db
def test_refresh_of_one_creator_leaves_the_other_untouched(creator_a, creator_b):
    make_buyers(creator_a)
    other = FanFactory(
        creator=creator_b, purchases_count=3, total_spent_cents=3000, p_alive=0.42,
        first_purchase_at=NOW - timedelta(days=90), last_purchase_at=NOW - timedelta(days=10),
        scores_updated_at=NOW - timedelta(days=9),
    )  # fmt: skip

    fan_scores_refresh(creator_id=creator_a.id, now=NOW)

    other.refresh_from_db()
    assert other.p_alive == 0.42
    assert other.scores_updated_at == NOW - timedelta(days=9)


@pytest.mark.django_db
def test_tasks_refresh_every_creator_and_report(creator_a, creator_b):
    make_buyers(creator_a)

    summary = fan_scores_refresh_all.apply().get()
    single = fan_scores_refresh_creator.apply(args=[creator_b.id]).get()

    assert summary["creators"] == 2
    assert summary["fans_written"] == 80
    assert summary["without_model"] == 1
    assert single["not_enough_data"].startswith("not enough history yet")


@pytest.mark.django_db
def test_churn_overview_lists_at_risk_fans_with_the_reason(creator_a, creator_b):
    make_buyers(creator_a)
    fan_scores_refresh(creator_id=creator_a.id, now=NOW)
    FanFactory(creator=creator_b, churn_risk=0.99, purchases_count=2, total_spent_cents=10**7)

    overview = creator_churn_overview(creator_id=creator_a.id, limit=5, now=NOW)

    scored = Fan.objects.for_creator(creator_a.id).filter(churn_risk__isnull=False)
    assert overview.scored_fans == scored.count() == 80
    assert overview.at_risk_fans == scored.filter(churn_risk__gte=0.5).count()
    assert overview.scores_updated_at == NOW
    assert 0 < len(overview.fans) <= 5
    stakes = [fan.churn_risk * fan.total_spent_cents for fan in overview.fans]
    assert stakes == sorted(stakes, reverse=True)
    for fan in overview.fans:
        assert fan.churn_risk >= 0.5
        assert fan.reason.kind in {"overdue", "late", "on_track"}  # p_alive < 1: repeat buyers
        stored = Fan.objects.for_creator(creator_a.id).get(id=fan.fan_id)
        days = (NOW - stored.last_purchase_at).total_seconds() / 86400
        gap = (
            (stored.last_purchase_at - stored.first_purchase_at).total_seconds()
            / 86400
            / (stored.purchases_count - 1)
        )
        assert fan.reason.days_since_last == pytest.approx(days)
        assert fan.reason.usual_gap_days == pytest.approx(gap)
        assert f"{round(days)} days since the last purchase" in fan.reason_text


@pytest.mark.django_db
def test_churn_overview_is_empty_before_scores_and_checks_the_limit(creator_a):
    FanFactory(creator=creator_a)
    overview = creator_churn_overview(creator_id=creator_a.id, limit=10)
    assert (overview.scored_fans, overview.at_risk_fans, overview.fans) == (0, 0, ())
    with pytest.raises(ValidationFailed):
        creator_churn_overview(creator_id=creator_a.id, limit=0)
