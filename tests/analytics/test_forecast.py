"""Revenue forecast: exact on series the models can represent, better than the seasonal-naive
baseline when there is a trend, calibrated intervals on noisy simulated history, and clear
refusals on too little data."""

from __future__ import annotations

import numpy as np
import pytest

from huntaze.analytics.clv import NotEnoughData
from huntaze.analytics.forecast import (
    METHOD_HOLT_WINTERS,
    forecast_revenue,
)

WEEK = np.array([100.0, 80.0, 90.0, 100.0, 130.0, 160.0, 140.0])


def _noisy_history(days: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    expected = (100.0 + 0.3 * t) * WEEK[t % 7]
    return expected * rng.gamma(8.0, 1 / 8.0, size=days), expected


def test_a_repeating_week_is_forecast_exactly_with_no_error():
    history = np.tile(WEEK, 10)  # 70 days, ends on the last weekday of the pattern

    forecast = forecast_revenue(history, horizon_days=30)

    np.testing.assert_allclose(forecast.mean, np.tile(WEEK, 5)[:30], atol=1e-9)
    np.testing.assert_allclose(forecast.lower, forecast.mean, atol=1e-9)
    np.testing.assert_allclose(forecast.upper, forecast.mean, atol=1e-9)
    assert forecast.backtest_mape == pytest.approx(0.0, abs=1e-12)
    assert forecast.baseline_mape == pytest.approx(0.0, abs=1e-12)


def test_with_a_trend_holt_winters_beats_the_seasonal_naive_baseline():
    t = np.arange(120)
    history = 1000.0 + 15.0 * t + (WEEK - WEEK.mean())[t % 7]

    forecast = forecast_revenue(history, horizon_days=30)

    assert forecast.method == METHOD_HOLT_WINTERS
    assert forecast.backtest_mape is not None
    assert forecast.baseline_mape is not None
    assert forecast.backtest_mape < forecast.baseline_mape / 3
    future = 1000.0 + 15.0 * np.arange(120, 150) + (WEEK - WEEK.mean())[np.arange(120, 150) % 7]
    assert np.abs(forecast.mean - future).sum() / future.sum() < 0.03


def test_intervals_cover_about_80_percent_of_a_simulated_future():
    inside, total = 0, 0
    for seed in range(6):
        series, _ = _noisy_history(300, seed)
        forecast = forecast_revenue(series[:240], horizon_days=60)
        actual = series[240:]
        inside += int(((actual >= forecast.lower) & (actual <= forecast.upper)).sum())
        total += actual.size
        assert np.all(forecast.lower >= 0)
        assert np.all(forecast.lower <= forecast.mean)
        assert np.all(forecast.mean <= forecast.upper)
    assert 0.65 <= inside / total <= 0.95


def test_chosen_method_never_backtests_worse_than_the_baseline():
    for seed in range(4):
        series, _ = _noisy_history(180, seed)
        forecast = forecast_revenue(series, horizon_days=90)
        assert forecast.backtest_mape is not None
        assert forecast.baseline_mape is not None
        assert forecast.backtest_mape <= forecast.baseline_mape
        assert forecast.backtest_days == 90


def test_weekly_forecast_sums_the_daily_one_over_whole_weeks():
    series, _ = _noisy_history(200, seed=3)

    weekly = forecast_revenue(series, horizon_days=30, weekly=True)
    daily = forecast_revenue(series, horizon_days=35)

    assert weekly.mean.shape == (5,)
    np.testing.assert_allclose(weekly.mean, daily.mean.reshape(5, 7).sum(axis=1), rtol=1e-12)
    assert np.all(weekly.lower <= weekly.mean)
    assert np.all(weekly.mean <= weekly.upper)
    assert weekly.backtest_days == 35


def test_too_little_history_is_refused_with_a_clear_message():
    with pytest.raises(NotEnoughData, match="not enough history yet: the forecast needs 35 days"):
        forecast_revenue(np.ones(20), horizon_days=30)
    with pytest.raises(NotEnoughData, match="no revenue in the last 28 days"):
        forecast_revenue(np.concatenate([np.ones(40), np.zeros(28)]), horizon_days=30)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="daily must contain finite numbers"):
        forecast_revenue(np.array([1.0, np.nan] * 30), horizon_days=30)
    with pytest.raises(ValueError, match="daily must be revenue amounts >= 0"):
        forecast_revenue(np.full(60, -1.0), horizon_days=30)
    with pytest.raises(ValueError, match="horizon_days"):
        forecast_revenue(np.ones(60), horizon_days=0)
