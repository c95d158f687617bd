"""creator_revenue_forecast: the model run on the creator's own daily revenue rollup (ending
yesterday), scoped to the creator, with clear refusals."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from huntaze.analytics.forecast import forecast_revenue
from huntaze.analytics.models import DailyRevenue
from huntaze.analytics.selectors_models import NotEnoughData, creator_revenue_forecast
from huntaze.core.errors import ValidationFailed

TODAY = date(2025, 6, 30)
WEEK = [100, 80, 90, 100, 130, 160, 140]


def add_revenue(creator, days: int, *, today: date = TODAY) -> np.ndarray:
    """`days` days of revenue ending yesterday, split over two revenue types; returns cents."""
    rng = np.random.default_rng(creator.id)
    series = np.array([WEEK[i % 7] * 100 * rng.uniform(0.7, 1.3) for i in range(days)]).round()
    rows = []
    for index, cents in enumerate(series):
        day = today - timedelta(days=days - index)
        rows.append(
            DailyRevenue(
                creator=creator,
                day=day,
                platform="onlyfans",
                revenue_type="tip",
                amount_cents=int(cents) - 500,
            )
        )
        rows.append(
            DailyRevenue(
                creator=creator, day=day, platform="onlyfans", revenue_type="ppv", amount_cents=500
            )
        )
    DailyRevenue.all_creators.bulk_create(rows)
    return series


@pytest.mark.django_db
def test_forecast_runs_on_the_creators_daily_revenue(creator_a, creator_b):
    series = add_revenue(creator_a, 120)
    add_revenue(creator_b, 200)
    DailyRevenue.all_creators.create(
        creator=creator_a, day=TODAY, platform="onlyfans", revenue_type="tip", amount_cents=10**9
    )  # today is partial: left out

    forecast = creator_revenue_forecast(creator_id=creator_a.id, horizon_days=30, today=TODAY)

    expected = forecast_revenue(series, horizon_days=30)
    assert forecast.days[0] == TODAY
    assert forecast.days[-1] == TODAY + timedelta(days=29)
    assert forecast.mean_cents == tuple(int(round(v)) for v in expected.mean)
    assert forecast.lower_cents == tuple(int(round(v)) for v in expected.lower)
    assert forecast.upper_cents == tuple(int(round(v)) for v in expected.upper)
    assert (forecast.backtest_mape, forecast.baseline_mape) == (
        expected.backtest_mape,
        expected.baseline_mape,
    )
    assert forecast.method == expected.method
    assert forecast.history_days[-1] == TODAY - timedelta(days=1)
    assert forecast.history_cents[-1] == int(series[-1])
    assert len(forecast.history_cents) == 91


@pytest.mark.django_db
def test_weekly_forecast_has_whole_weeks(creator_a):
    series = add_revenue(creator_a, 100)

    forecast = creator_revenue_forecast(
        creator_id=creator_a.id, horizon_days=60, weekly=True, today=TODAY
    )

    assert forecast.days == tuple(TODAY + timedelta(days=7 * i) for i in range(9))
    assert forecast.history_cents[-1] == int(series[-7:].sum())
    assert forecast.history_days[-1] == TODAY - timedelta(days=7)
    assert forecast.total_cents == sum(forecast.mean_cents)


@pytest.mark.django_db
def test_short_history_is_not_enough_and_other_creators_do_not_count(creator_a, creator_b):
    add_revenue(creator_a, 20)
    add_revenue(creator_b, 200)

    with pytest.raises(NotEnoughData, match="needs 35 days of revenue history, there are 20"):
        creator_revenue_forecast(creator_id=creator_a.id, horizon_days=30, today=TODAY)


@pytest.mark.django_db
def test_no_revenue_at_all_is_not_enough_history(creator_a):
    with pytest.raises(NotEnoughData, match="no revenue recorded"):
        creator_revenue_forecast(creator_id=creator_a.id, horizon_days=30, today=TODAY)


@pytest.mark.django_db
def test_horizon_out_of_range_names_the_field(creator_a):
    with pytest.raises(ValidationFailed) as error:
        creator_revenue_forecast(creator_id=creator_a.id, horizon_days=120, today=TODAY)
    assert "horizon_days" in error.value.field_errors
