"""Revenue forecast on a daily series (no Django): additive Holt-Winters with a (damped) trend and
a weekly season, against a seasonal-naive baseline (same weekday last week), both backtested
on the series itself; the better of the two on the backtest is the forecast.

Intervals are 80% intervals from 2,000 simulated paths that replay the model's own one-step
errors (residual bootstrap), so they widen with the horizon and stay at or above zero.

Errors are reported as a volume-weighted MAPE: sum |actual - forecast| / sum actual over the
backtest windows. It stays defined on days without revenue, where a plain MAPE divides by zero.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from huntaze.analytics.clv import NotEnoughData

FloatArray = NDArray[np.float64]

SEASON = 7
MIN_TRAIN_DAYS = 28
MAX_HORIZON_DAYS = 366
BACKTEST_ORIGINS = 3
INTERVAL_LEVEL = 0.8
SIMULATED_PATHS = 2000
METHOD_HOLT_WINTERS = "holt_winters"
METHOD_SEASONAL_NAIVE = "seasonal_naive"

# (alpha, beta, gamma, phi) searched at once, vectorised over the grid.
_GRID = np.array(
    list(
        itertools.product(
            (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7),
            (0.0, 0.01, 0.05),
            (0.0, 0.05, 0.1, 0.2, 0.4),
            (0.8, 0.9, 0.98, 1.0),
        )
    )
)


@dataclass(frozen=True, slots=True)
class Forecast:
    """Per day (or per week with weekly=True: 7-day blocks starting the day after the history).
    `backtest_mape` / `baseline_mape` are the volume-weighted MAPE of the chosen method and of
    the seasonal-naive baseline on the backtest (None when the backtest windows had no
    revenue at all)."""

    mean: FloatArray
    lower: FloatArray
    upper: FloatArray
    backtest_mape: float | None
    baseline_mape: float | None
    method: str
    backtest_days: int = 0
    interval_level: float = INTERVAL_LEVEL


@dataclass(frozen=True, slots=True)
class _HoltWinters:
    alpha: float
    beta: float
    gamma: float
    phi: float
    level: float
    trend: float
    season: FloatArray  # index j is the season of day n + j (n = length of the history)
    residuals: FloatArray


# ----------------------------------------------------------------------------- models


def _initial_state(y: FloatArray) -> tuple[float, float, FloatArray]:
    first = y[:SEASON]
    level = float(first.mean())
    trend = float((y[SEASON : 2 * SEASON].mean() - level) / SEASON) if y.size >= 2 * SEASON else 0.0
    return level, trend, first - level


def _run_grid(y: FloatArray, grid: FloatArray) -> tuple[FloatArray, ...]:
    """Runs the recursions for every parameter row at once; returns the sum of squared
    one-step errors, the final level, trend and season (rolled to start at day n) per row,
    and the one-step errors (rows x days)."""
    alpha, beta, gamma, phi = grid.T
    level0, trend0, season0 = _initial_state(y)
    rows = grid.shape[0]
    level = np.full(rows, level0)
    trend = np.full(rows, trend0)
    season = np.tile(season0, (rows, 1))
    errors = np.zeros((rows, y.size))
    for day in range(y.size):
        slot = day % SEASON
        error = y[day] - (level + phi * trend + season[:, slot])
        errors[:, day] = error
        level = level + phi * trend + alpha * error
        trend = phi * trend + alpha * beta * error
        season[:, slot] += gamma * error
    warm = errors[:, 2 * SEASON :] if y.size > 3 * SEASON else errors
    sse = np.einsum("ij,ij->i", warm, warm)
    rolled = np.roll(season, -(y.size % SEASON), axis=1)
    return sse, level, trend, rolled, errors


def _fit_holt_winters(y: FloatArray) -> _HoltWinters:
    sse, level, trend, season, errors = _run_grid(y, _GRID)
    best = int(np.argmin(sse))
    alpha, beta, gamma, phi = (float(v) for v in _GRID[best])
    return _HoltWinters(
        alpha, beta, gamma, phi, float(level[best]), float(trend[best]), season[best],
        errors[best, 2 * SEASON :] if y.size > 3 * SEASON else errors[best],
    )  # fmt: skip


def _holt_winters_point(model: _HoltWinters, horizon: int) -> FloatArray:
    steps = np.arange(1, horizon + 1)
    damped = np.cumsum(model.phi**steps)
    season = model.season[(steps - 1) % SEASON]
    return np.asarray(model.level + damped * model.trend + season, dtype=np.float64)


def _holt_winters_paths(model: _HoltWinters, horizon: int, rng: np.random.Generator) -> FloatArray:
    """Simulated future paths (paths x days), errors drawn from the model's residuals."""
    level = np.full(SIMULATED_PATHS, model.level)
    trend = np.full(SIMULATED_PATHS, model.trend)
    season = np.tile(model.season, (SIMULATED_PATHS, 1))
    paths = np.empty((SIMULATED_PATHS, horizon))
    shocks = rng.choice(model.residuals, size=(SIMULATED_PATHS, horizon))
    for step in range(horizon):
        slot = step % SEASON
        point = level + model.phi * trend + season[:, slot]
        paths[:, step] = point + shocks[:, step]
        level = level + model.phi * trend + model.alpha * shocks[:, step]
        trend = model.phi * trend + model.alpha * model.beta * shocks[:, step]
        season[:, slot] += model.gamma * shocks[:, step]
    return paths


def _seasonal_naive_point(y: FloatArray, horizon: int) -> FloatArray:
    last_week = y[-SEASON:]
    return np.asarray(last_week[np.arange(horizon) % SEASON], dtype=np.float64)


def _seasonal_naive_paths(y: FloatArray, horizon: int, rng: np.random.Generator) -> FloatArray:
    """Random walk on the same weekday: each week adds a weekly difference seen in the past."""
    differences = y[SEASON:] - y[:-SEASON]
    weeks = horizon // SEASON + 1
    steps = rng.choice(differences, size=(SIMULATED_PATHS, weeks, SEASON)).cumsum(axis=1)
    shocks = steps.reshape(SIMULATED_PATHS, weeks * SEASON)[:, :horizon]
    return _seasonal_naive_point(y, horizon)[None, :] + shocks


# ----------------------------------------------------------------------------- backtest


def _wape(actual: FloatArray, predicted: FloatArray) -> float | None:
    volume = float(np.abs(actual).sum())
    if volume == 0:
        return None
    return float(np.abs(actual - predicted).sum() / volume)


def _to_weeks(values: FloatArray) -> FloatArray:
    """Sums of consecutive 7-day blocks along the last axis (the length is a multiple of 7)."""
    shape = values.shape[:-1] + (values.shape[-1] // SEASON, SEASON)
    return np.asarray(values.reshape(shape).sum(axis=-1), dtype=np.float64)


def _backtest(y: FloatArray, window: int, weekly: bool) -> tuple[float | None, float | None]:
    """Volume-weighted MAPE of Holt-Winters and of the seasonal-naive baseline, pooled over up
    to BACKTEST_ORIGINS windows of `window` days ending a week apart at the end of history."""
    actuals, model_predictions, baseline_predictions = [], [], []
    for origin_index in range(BACKTEST_ORIGINS):
        origin = y.size - window - SEASON * origin_index
        if origin < MIN_TRAIN_DAYS:
            break
        train, actual = y[:origin], y[origin : origin + window]
        model_predictions.append(
            np.maximum(_holt_winters_point(_fit_holt_winters(train), window), 0)
        )
        baseline_predictions.append(_seasonal_naive_point(train, window))
        actuals.append(actual)
    actual_all = np.stack(actuals)
    model_all, baseline_all = np.stack(model_predictions), np.stack(baseline_predictions)
    if weekly:
        actual_all, model_all, baseline_all = (
            _to_weeks(a) for a in (actual_all, model_all, baseline_all)
        )
    return _wape(actual_all, model_all), _wape(actual_all, baseline_all)


# ----------------------------------------------------------------------------- entry point


def _check_history(daily: ArrayLike, horizon_days: int) -> FloatArray:
    y = np.asarray(daily, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(y)):
        raise ValueError("daily must contain finite numbers only")
    if np.any(y < 0):
        raise ValueError("daily must be revenue amounts >= 0")
    if not (1 <= horizon_days <= MAX_HORIZON_DAYS):
        raise ValueError(f"horizon_days must be between 1 and {MAX_HORIZON_DAYS}")
    needed = MIN_TRAIN_DAYS + SEASON
    if y.size < needed:
        raise NotEnoughData(
            f"not enough history yet: the forecast needs {needed} days of revenue history "
            f"(have {y.size})"
        )
    if not np.any(y[-MIN_TRAIN_DAYS:] > 0):
        raise NotEnoughData(f"no revenue in the last {MIN_TRAIN_DAYS} days to forecast from")
    return y


def forecast_revenue(daily: ArrayLike, *, horizon_days: int, weekly: bool = False) -> Forecast:
    """Forecast the next `horizon_days` of a daily revenue series (oldest first, one value per
    day, zero-filled; any unit). With weekly=True the result is per 7-day block (the horizon is
    rounded up to whole weeks). Deterministic for a given input.

    Raises NotEnoughData with fewer than 35 days, or without revenue in the last 28 days."""
    y = _check_history(daily, horizon_days)
    horizon = -(-horizon_days // SEASON) * SEASON if weekly else horizon_days
    window = min(horizon, y.size - MIN_TRAIN_DAYS)
    if weekly:
        window = window // SEASON * SEASON
    model_error, baseline_error = _backtest(y, window, weekly)
    use_model = model_error is not None and (
        baseline_error is None or model_error <= baseline_error
    )
    rng = np.random.default_rng(0)
    if use_model:
        model = _fit_holt_winters(y)
        point = _holt_winters_point(model, horizon)
        paths = _holt_winters_paths(model, horizon, rng)
        method, error = METHOD_HOLT_WINTERS, model_error
    else:
        point = _seasonal_naive_point(y, horizon)
        paths = _seasonal_naive_paths(y, horizon, rng)
        method, error = METHOD_SEASONAL_NAIVE, baseline_error
    point, paths = np.maximum(point, 0), np.maximum(paths, 0)
    if weekly:
        point, paths = _to_weeks(point), _to_weeks(paths)
    tail = (1 - INTERVAL_LEVEL) / 2 * 100
    lower, upper = np.percentile(paths, [tail, 100 - tail], axis=0)
    return Forecast(
        mean=point,
        lower=np.minimum(lower, point),
        upper=np.maximum(upper, point),
        backtest_mape=error,
        baseline_mape=baseline_error,
        method=method,
        backtest_days=window,
    )
