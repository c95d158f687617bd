"""Deterministic demo data: a realistic agency for the demo, the tests and the benchmarks.

Entry points: `seed_demo` (and the `seed_demo` management command), `demo_reset`.
Generation is vectorised with numpy; rows go to the database with COPY on PostgreSQL and
executemany on SQLite (see writer.py).
"""

from huntaze.web.demo.reset import demo_reset
from huntaze.web.demo.seed import DemoDataExists, SeedSummary, seed_demo
from huntaze.web.demo.sizes import SIZES
from huntaze.web.demo.team import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, OWNER_EMAIL

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "OWNER_EMAIL",
    "SIZES",
    "DemoDataExists",
    "SeedSummary",
    "demo_reset",
    "seed_demo",
]
