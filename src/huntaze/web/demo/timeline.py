"""Time in the demo: epoch seconds (UTC) in int64 arrays, with a weekly and daily rhythm."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

DAY_S = 86_400
HOUR_S = 3_600
MONTH_S = 30 * DAY_S

# Monday..Sunday: fans spend and talk more at the end of the week.
WEEKDAY_WEIGHTS = np.array([0.82, 0.86, 0.92, 0.98, 1.12, 1.22, 1.08])
# Hour of day (UTC, the agency's audience spread over America and Europe): evenings peak.
HOUR_WEIGHTS = np.array(
    [0.9, 0.85, 0.8, 0.7, 0.55, 0.4, 0.3, 0.28, 0.3, 0.35, 0.42, 0.5,
     0.55, 0.6, 0.65, 0.7, 0.75, 0.82, 0.9, 0.98, 1.05, 1.1, 1.08, 1.0]
)  # fmt: skip
_RHYTHM_MAX = float(WEEKDAY_WEIGHTS.max() * HOUR_WEIGHTS.max())


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def weekday_of(seconds: np.ndarray) -> np.ndarray:
    """0 = Monday. 1970-01-01 was a Thursday."""
    return (seconds // DAY_S + 3) % 7  # type: ignore[no-any-return]


def rhythm(seconds: np.ndarray) -> np.ndarray:
    hours = (seconds % DAY_S) // HOUR_S
    return WEEKDAY_WEIGHTS[weekday_of(seconds)] * HOUR_WEIGHTS[hours]  # type: ignore[no-any-return]


def seasonal_between(
    rng: np.random.Generator, start: np.ndarray, end: np.ndarray, *, rounds: int = 3
) -> np.ndarray:
    """One moment per row between start and end (inclusive), drawn uniformly then thinned by
    the weekly and daily rhythm; a row rejected `rounds` times keeps its last draw, so the
    number of moments is exactly the number of rows."""
    start = np.asarray(start, dtype=np.int64)
    span = np.maximum(np.asarray(end, dtype=np.int64) - start, 0)
    moments = start + (rng.random(start.shape[0]) * (span + 1)).astype(np.int64)
    pending = np.arange(start.shape[0])
    for _ in range(rounds):
        keep = rng.random(pending.shape[0]) * _RHYTHM_MAX < rhythm(moments[pending])
        pending = pending[~keep]
        if pending.size == 0:
            break
        moments[pending] = start[pending] + (
            rng.random(pending.shape[0]) * (span[pending] + 1)
        ).astype(np.int64)
    return moments


def group_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Positions where a sorted key array changes value (the first row of each group)."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2... within each run of equal keys of a sorted array."""
    count = sorted_keys.shape[0]
    starts = group_starts(sorted_keys)
    lengths = np.diff(np.r_[starts, count])
    return np.arange(count) - np.repeat(starts, lengths)  # type: ignore[no-any-return]
