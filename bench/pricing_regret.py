"""PPV price suggestion: regret against the best price on simulated sends with a known demand
curve.

    uv run python bench/pricing_regret.py [--replications 200] [--seed 1]

For each true demand curve and history size, simulates a creator's past PPV sends (recipients
spread over the prices a creator typically tries), fits huntaze.analytics.pricing.fit_demand,
asks suggest_price within a floor of $3 and a ceiling of $50, and measures the regret:
1 - true revenue per recipient at the suggested price / true revenue at the best price in
[floor, ceiling]. The "logistic" curve is the model's own family; "exponential" and "linear"
are not (misspecified on purpose). Prints one JSON line per case and writes them to
bench/reports/clv_pricing_regret-<UTC time>.jsonl.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from scipy.special import expit

from huntaze.analytics.clv import NotEnoughData
from huntaze.analytics.pricing import fit_demand, suggest_price

FLOOR_CENTS, CEILING_CENTS = 300, 5000
TRIED_PRICES_CENTS = np.array([500, 800, 1000, 1500, 2000, 2500])

CURVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "logistic": lambda price: expit(-1.0 - 2.2 * np.log(price / 1500)),
    "exponential": lambda price: 0.6 * np.exp(-price / 1200),
    "linear": lambda price: np.clip(0.5 - price / 6000, 0.0, 1.0),
}


def regret_once(
    curve: Callable[[np.ndarray], np.ndarray], recipients: int, rng: np.random.Generator
) -> float | None:
    """Regret of one simulated history, None when the model refused (not enough data)."""
    prices = rng.choice(TRIED_PRICES_CENTS, size=recipients).astype(float)
    bought = rng.random(recipients) < curve(prices)
    try:
        suggestion = suggest_price(
            fit_demand(prices, bought), floor_cents=FLOOR_CENTS, ceiling_cents=CEILING_CENTS
        )
    except NotEnoughData:
        return None
    grid = np.arange(FLOOR_CENTS, CEILING_CENTS + 1, dtype=float)
    best = float((curve(grid) * grid).max())
    price = float(suggestion.price_cents)
    return 1.0 - float(curve(np.array([price]))[0]) * price / best


def run_case(name: str, recipients: int, replications: int, seed: int) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    results = [regret_once(CURVES[name], recipients, rng) for _ in range(replications)]
    regrets = np.array([r for r in results if r is not None])
    grid = np.arange(FLOOR_CENTS, CEILING_CENTS + 1, dtype=float)
    return {
        "bench": "pricing_regret",
        "curve": name,
        "recipients": recipients,
        "replications": replications,
        "refused": sum(r is None for r in results),
        "best_price_cents": int(grid[np.argmax(CURVES[name](grid) * grid)]),
        "mean_regret": round(float(regrets.mean()), 4) if regrets.size else None,
        "p90_regret": round(float(np.percentile(regrets, 90)), 4) if regrets.size else None,
        "max_regret": round(float(regrets.max()), 4) if regrets.size else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    lines = []
    for name in CURVES:
        for recipients in (300, 1000, 5000, 20000):
            line = json.dumps(run_case(name, recipients, args.replications, args.seed))
            print(line, flush=True)
            lines.append(line)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = Path(__file__).parent / "reports" / f"clv_pricing_regret-{stamp}.jsonl"
    report.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
