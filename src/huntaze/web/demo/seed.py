"""seed_demo: a realistic agency, deterministic for a given seed.

Everything is drawn from one numpy Generator in a fixed order, so the same seed and the same
anchor give the same rows (ids aside: they follow whatever the tables already hold). The
anchor is "now" rounded down to the hour unless given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.analytics.services import rollups_rebuild
from huntaze.core.models import Creator
from huntaze.web.demo.commerce import STATUS_COMPLETED as TX_COMPLETED
from huntaze.web.demo.commerce import (
    PPVCatalog,
    PurchaseData,
    TransactionData,
    ppv_catalog_generate,
    purchases_from,
    transactions_generate,
)
from huntaze.web.demo.extras import extras_write
from huntaze.web.demo.fans import FanData, fan_aggregates_fill, fans_generate
from huntaze.web.demo.funnel import funnel_tracked_write
from huntaze.web.demo.inbox import InboxData, inbox_generate
from huntaze.web.demo.load import (
    conversations_write,
    fans_write,
    messages_write,
    ppv_items_write,
    purchases_write,
    subscriptions_write,
    transactions_write,
)
from huntaze.web.demo.sizes import SIZES, DemoSize
from huntaze.web.demo.team import DEMO_SLUG_PREFIX, Team, team_create
from huntaze.web.demo.texts import CREATORS
from huntaze.web.demo.timeline import HOUR_S, epoch, from_epoch
from huntaze.web.demo.writer import BulkWriter

BULK_TABLES = [
    "fans",
    "subscriptions",
    "conversations",
    "messages",
    "transactions",
    "ppv_purchases",
]


class DemoDataExists(RuntimeError):
    """Demo creators are already there; reset them first."""


@dataclass(slots=True)
class SeedSummary:
    size: str
    seed: int
    anchor: datetime
    rows: dict[str, int] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    skipped: bool = False

    @property
    def total_s(self) -> float:
        return sum(self.timings_s.values())


def default_anchor(now: datetime) -> datetime:
    return from_epoch(epoch(now) // HOUR_S * HOUR_S)


@dataclass(slots=True)
class _Generated:
    teams: list[Team]
    fans: FanData
    catalog: PPVCatalog
    transactions: TransactionData
    purchases: PurchaseData
    inbox: InboxData


def _generate(
    rng: np.random.Generator, size: DemoSize, teams: list[Team], anchor: int
) -> _Generated:
    fans = fans_generate(rng, size=size, teams=teams, anchor=anchor)
    catalog = ppv_catalog_generate(rng, size=size, teams=teams, anchor=anchor)
    transactions = transactions_generate(
        rng, size=size, teams=teams, fans=fans, catalog=catalog, anchor=anchor
    )
    fan_aggregates_fill(
        fans,
        fan_of_transaction=transactions.fan,
        amount=transactions.amount,
        occurred=transactions.occurred,
        completed=transactions.status == TX_COMPLETED,
    )
    purchases = purchases_from(transactions)
    inbox = inbox_generate(
        rng,
        size=size,
        teams=teams,
        fans=fans,
        catalog=catalog,
        purchases=purchases,
        anchor=anchor,
    )
    return _Generated(teams, fans, catalog, transactions, purchases, inbox)


def _write(rng: np.random.Generator, writer: BulkWriter, data: _Generated, anchor: int) -> None:
    teams, fans = data.teams, data.fans
    ppv_items_write(
        writer,
        teams=teams,
        catalog=data.catalog,
        inbox=data.inbox,
        purchases=data.purchases,
        anchor=anchor,
    )
    expected = data.inbox.message_count + data.transactions.count + data.purchases.count
    with writer.bulk_load(BULK_TABLES, expected_rows=expected):
        fans_write(writer, teams=teams, fans=fans, anchor=anchor)
        subscriptions_write(writer, teams=teams, fans=fans)
        conversations_write(writer, teams=teams, fans=fans, inbox=data.inbox)
        messages_write(writer, teams=teams, fans=fans, catalog=data.catalog, inbox=data.inbox)
        transactions_write(writer, teams=teams, fans=fans, transactions=data.transactions)
        purchases_write(
            writer,
            teams=teams,
            fans=fans,
            catalog=data.catalog,
            inbox=data.inbox,
            transactions=data.transactions,
            purchases=data.purchases,
        )
    extras_write(rng, writer, teams=teams, fans=fans, anchor=anchor)


def seed_demo(
    *,
    size: str,
    seed: int,
    anchor: datetime | None = None,
    if_empty: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SeedSummary:
    """Seed the demo agency. With `if_empty`, does nothing when any creator exists; without,
    refuses (DemoDataExists) when the demo creators are already there."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}")
    demo_size = SIZES[size]
    anchor = anchor or default_anchor(timezone.now())
    summary = SeedSummary(size=size, seed=seed, anchor=anchor)
    if if_empty and Creator.objects.exists():
        summary.skipped = True
        return summary
    anchor_s = epoch(anchor)
    report = progress or (lambda _message: None)

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        summary.timings_s[name] = round(now - started, 2)
        report(f"{name}: {summary.timings_s[name]:.2f} s")
        return now

    with transaction.atomic():
        wanted = [profile.slug for profile in CREATORS[: demo_size.creators]]
        if Creator.objects.filter(slug__in=wanted).exists():
            raise DemoDataExists(
                f"Demo creators already exist ({DEMO_SLUG_PREFIX}...); run with --reset first."
            )
        started = time.perf_counter()
        teams = team_create(creator_count=demo_size.creators)
        rng = np.random.default_rng(seed)
        data = _generate(rng, demo_size, teams, anchor_s)
        started = step("generate", started)
        writer = BulkWriter(connection)
        _write(rng, writer, data, anchor_s)
        writer.finish()
        for name, seconds in writer.timings_s.items():
            report(f"    {name}: {seconds:.2f} s")
        summary.rows["daily_funnel (tracked)"] = funnel_tracked_write(
            rng, teams=teams, fans=data.fans, anchor=anchor_s, window_days=demo_size.window_days
        )
        started = step("write", started)
        day_from = from_epoch(anchor_s - demo_size.window_days * 86_400 - 86_400).date()
        day_to = from_epoch(anchor_s).date()
        for team in teams:
            rollups_rebuild(creator_id=team.creator_id, day_from=day_from, day_to=day_to)
        started = step("rollups", started)
        creator_ids = [team.creator_id for team in teams]
        for model in (DailyRevenue, DailyActivity):
            summary.rows[model._meta.db_table] = model.all_creators.filter(
                creator_id__in=creator_ids
            ).count()
    writer.analyze()
    step("commit and analyze", started)
    summary.rows.update(writer.rows_written)
    summary.rows["creators"] = len(teams)
    summary.rows["users"] = 1 + 4 * len(teams)
    return summary
