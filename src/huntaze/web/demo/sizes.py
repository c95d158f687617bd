"""How much demo data: `small` for a laptop and the tests, `large` for the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoSize:
    name: str
    creators: int
    fans: int
    messages: int  # about: the generator draws counts around these targets
    transactions: int
    ppv_every_days: int  # one pay-per-view item per creator every N days
    window_days: int = 540  # about 18 months of history


SIZES: dict[str, DemoSize] = {
    "small": DemoSize(
        name="small",
        creators=3,
        fans=2_000,
        messages=40_000,
        transactions=20_000,
        ppv_every_days=3,
    ),
    "large": DemoSize(
        name="large",
        creators=5,
        fans=100_000,
        messages=5_000_000,
        transactions=2_000_000,
        ppv_every_days=1,
    ),
}
