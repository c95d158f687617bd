"""BG/NBD fit speed: huntaze.analytics.clv.bgnbd_fit against the `lifetimes` package
(BetaGeoFitter), side by side on the same simulated fans.

    flock /tmp/huntaze-bench.lock uv run python bench/clv_speed.py [--fans 1000000] [--seed 1]

Simulates `--fans` fans from a BG/NBD with known parameters (days as the time unit, purchase
times rounded down to whole days, as the nightly job builds them from transactions), fits both
and prints one JSON line: both wall times, the speed ratio, both parameter sets and the largest
relative difference between them. Also writes it to bench/reports/clv_speed-<UTC time>.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from huntaze.analytics.clv import BGNBDParams, bgnbd_fit

TRUE_PARAMS = BGNBDParams(r=0.3, alpha=20.0, a=0.8, b=3.0)  # days: ~5 purchases a year


def simulate_bgnbd(
    params: BGNBDParams, fans: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(frequency, recency, T) of `fans` customers drawn from the BG/NBD generative story."""
    t_total = rng.integers(30, 366, size=fans).astype(np.float64)
    rate = rng.gamma(params.r, 1.0 / params.alpha, size=fans)
    drop = rng.beta(params.a, params.b, size=fans)
    frequency = np.zeros(fans)
    recency = np.zeros(fans)
    clock = np.zeros(fans)
    active = np.arange(fans)
    while active.size:
        clock[active] += rng.exponential(1.0 / rate[active])
        bought = clock[active] <= t_total[active]
        buyers = active[bought]
        frequency[buyers] += 1
        recency[buyers] = clock[buyers]
        survives = rng.random(buyers.size) >= drop[buyers]
        active = buyers[survives]
    return frequency, np.floor(recency), t_total


def fit_lifetimes(frequency: np.ndarray, recency: np.ndarray, t_total: np.ndarray) -> BGNBDParams:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter

        fitter = BetaGeoFitter()
        fitter.fit(frequency, recency, t_total)
    r, alpha, a, b = (float(fitter.params_[k]) for k in ("r", "alpha", "a", "b"))
    return BGNBDParams(r=r, alpha=alpha, a=a, b=b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fans", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    frequency, recency, t_total = simulate_bgnbd(
        TRUE_PARAMS, args.fans, np.random.default_rng(args.seed)
    )

    started = time.perf_counter()
    ours = bgnbd_fit(frequency, recency, t_total)
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = fit_lifetimes(frequency, recency, t_total)
    theirs_s = time.perf_counter() - started

    keys = ("r", "alpha", "a", "b")
    rel_diff = max(
        abs(getattr(ours, k) - getattr(theirs, k)) / abs(getattr(theirs, k)) for k in keys
    )
    abs_diff = max(abs(getattr(ours, k) - getattr(theirs, k)) for k in keys)
    line = {
        "bench": "clv_speed",
        "fans": args.fans,
        "seed": args.seed,
        "ours_s": round(ours_s, 3),
        "lifetimes_s": round(theirs_s, 3),
        "speedup": round(theirs_s / ours_s, 1),
        "max_param_rel_diff": float(f"{rel_diff:.3g}"),
        "max_param_abs_diff": float(f"{abs_diff:.3g}"),
        "ours": {k: round(getattr(ours, k), 6) for k in keys},
        "lifetimes": {k: round(getattr(theirs, k), 6) for k in keys},
        "true": {k: getattr(TRUE_PARAMS, k) for k in keys},
        "repeat_buyers": int((frequency > 0).sum()),
    }
    text = json.dumps(line)
    print(text)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = Path(__file__).parent / "reports" / f"clv_speed-{stamp}.jsonl"
    report.write_text(text + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
