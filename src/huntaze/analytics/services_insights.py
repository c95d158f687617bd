"""The daily AI summary (seed: `POST /api/analytics/ai/summary/run`): for each creator, the last
seven full UTC days against the seven before, from the rollups, summarised through the AI router.

Writes, per period (the last day of the week summarised, `YYYY-MM-DD`):
- `insight_snapshot`: the figures sent, one row per platform with revenue, and one for the whole
  business (platform `onlyfans`, the creator's home platform, with `raw.scope = "all"`);
- `insight_summary`: the router's summary per platform;
- `ai_insights`: the business summary (source `ai_summary`, type `weekly_summary`) with its
  confidence: how much data backs it (days with activity out of seven, and at least
  `CONFIDENT_TRANSACTIONS` transactions), between 0 and 1.

Idempotent per period: a period already summarised is skipped without calling the router, so a
rerun neither duplicates rows nor bills twice. A week without any sale, fan or message is not
summarised (nothing to say, and no made-up figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from huntaze.ai.client import chat_complete
from huntaze.analytics.cache import analytics_cache_invalidate
from huntaze.analytics.models import (
    AIInsight,
    DailyActivity,
    DailyRevenue,
    InsightSnapshot,
    InsightSummary,
)
from huntaze.core.fields import Platform

_log = structlog.get_logger(__name__)

INSIGHT_SOURCE = "ai_summary"
INSIGHT_TYPE = "weekly_summary"
INSIGHT_FEATURE = "analytics_insight_summary"
WINDOW_DAYS = 7
CONFIDENT_TRANSACTIONS = 50


@dataclass(frozen=True, slots=True)
class InsightRun:
    creator_id: int
    period: str
    status: str  # "created", "exists", "no_data"
    confidence: float | None = None
    summary: str = ""


def _figures(creator_id: int, day_from: date, day_to: date) -> dict[str, Any]:
    revenue = {
        row["platform"]: (row["amount"] or 0, row["count"] or 0)
        for row in DailyRevenue.objects.for_creator(creator_id)
        .filter(day__range=(day_from, day_to))
        .values("platform")
        .annotate(amount=Sum("amount_cents"), count=Sum("transactions_count"))
        .order_by()
    }
    activity = (
        DailyActivity.objects.for_creator(creator_id)
        .filter(day__range=(day_from, day_to))
        .aggregate(
            new_fans=Sum("new_fans"),
            messages_out=Sum("messages_out"),
            inbound=Sum("conversations_inbound"),
            answered=Sum("conversations_answered"),
        )
    )
    revenue_days = set(
        DailyRevenue.objects.for_creator(creator_id)
        .filter(day__range=(day_from, day_to))
        .values_list("day", flat=True)
    )
    activity_days = set(
        DailyActivity.objects.for_creator(creator_id)
        .filter(day__range=(day_from, day_to))
        .values_list("day", flat=True)
    )
    return {
        "revenue": revenue,
        "new_fans": activity["new_fans"] or 0,
        "messages_out": activity["messages_out"] or 0,
        "inbound": activity["inbound"] or 0,
        "answered": activity["answered"] or 0,
        "active_days": len(revenue_days | activity_days),
    }


def _pair(current: float, previous: float) -> dict[str, float]:
    return {"current": round(current, 2), "previous": round(previous, 2)}


def _metrics(current: dict[str, Any], previous: dict[str, Any], platform: str | None) -> dict:
    def revenue_of(figures: dict[str, Any]) -> tuple[int, int]:
        if platform is not None:
            amount, count = figures["revenue"].get(platform, (0, 0))
            return amount, count
        return (
            sum(amount for amount, _ in figures["revenue"].values()),
            sum(count for _, count in figures["revenue"].values()),
        )

    amount, count = revenue_of(current)
    previous_amount, previous_count = revenue_of(previous)
    metrics: dict[str, Any] = {
        "revenue": _pair(amount / 100, previous_amount / 100),
        "transactions": _pair(count, previous_count),
    }
    if platform is None:
        metrics["new_fans"] = _pair(current["new_fans"], previous["new_fans"])
        metrics["messages_sent"] = _pair(current["messages_out"], previous["messages_out"])
        if current["inbound"]:
            metrics["response_rate_pct"] = round(current["answered"] * 100 / current["inbound"], 1)
    return metrics


def insight_confidence(*, active_days: int, transactions: int) -> float:
    """0..1: the share of the week with activity, times how close the transactions come to
    `CONFIDENT_TRANSACTIONS`."""
    coverage = min(active_days, WINDOW_DAYS) / WINDOW_DAYS
    volume = min(transactions, CONFIDENT_TRANSACTIONS) / CONFIDENT_TRANSACTIONS
    return round(coverage * volume, 2)


def _summarise(creator_id: int, metrics: dict[str, Any], scope: str) -> str:
    completion = chat_complete(
        creator_id=creator_id,
        feature=INSIGHT_FEATURE,
        task="insight_summary",
        messages=[
            {
                "role": "user",
                "content": f"Summarise this creator's last {WINDOW_DAYS} days ({scope}) against "
                f"the {WINDOW_DAYS} days before, in a few short lines.",
            }
        ],
        context={"metrics": metrics},
        max_tokens=300,
    )
    return completion.texts[0]


def insight_summary_run(*, creator_id: int, now: datetime | None = None) -> InsightRun:
    """Summarise the last seven full UTC days of one creator (see the module docstring)."""
    day_to = (now or timezone.now()).astimezone(UTC).date() - timedelta(days=1)
    day_from = day_to - timedelta(days=WINDOW_DAYS - 1)
    period = day_to.isoformat()
    exists = (
        AIInsight.objects.for_creator(creator_id)
        .filter(source=INSIGHT_SOURCE, type=INSIGHT_TYPE, period=period)
        .first()
    )
    if exists is not None:
        return InsightRun(
            creator_id, period, "exists", exists.confidence, str(exists.data.get("summary", ""))
        )
    current = _figures(creator_id, day_from, day_to)
    previous = _figures(
        creator_id, day_from - timedelta(days=WINDOW_DAYS), day_from - timedelta(days=1)
    )
    if current["active_days"] == 0:
        return InsightRun(creator_id, period, "no_data")
    overall = _metrics(current, previous, None)
    transactions = int(overall["transactions"]["current"])
    confidence = insight_confidence(active_days=current["active_days"], transactions=transactions)
    # The router calls happen before the transaction: nothing is written if one fails.
    summary = _summarise(creator_id, overall, "whole business")
    per_platform = {
        platform: (metrics, _summarise(creator_id, metrics, str(Platform(platform).label)))
        for platform in sorted(current["revenue"])
        if platform in Platform.values
        for metrics in [_metrics(current, previous, platform)]
    }
    with transaction.atomic():
        _store(
            creator_id=creator_id,
            period=period,
            day_from=day_from,
            day_to=day_to,
            overall=overall,
            summary=summary,
            confidence=confidence,
            per_platform=per_platform,
        )
    _log.info("insights.summarised", creator_id=creator_id, period=period, confidence=confidence)
    return InsightRun(creator_id, period, "created", confidence, summary)


def _store(
    *,
    creator_id: int,
    period: str,
    day_from: date,
    day_to: date,
    overall: dict[str, Any],
    summary: str,
    confidence: float,
    per_platform: dict[str, tuple[dict[str, Any], str]],
) -> None:
    _, created = AIInsight.objects.for_creator(creator_id).get_or_create(
        creator_id=creator_id,
        source=INSIGHT_SOURCE,
        type=INSIGHT_TYPE,
        period=period,
        defaults={
            "confidence": confidence,
            "data": {"summary": summary, "metrics": overall, "day_from": day_from.isoformat()},
        },
    )
    if not created:
        return  # a concurrent run stored this period first
    snapshots = [
        InsightSnapshot(
            creator_id=creator_id,
            platform=Platform.ONLYFANS,
            period_start=day_from,
            period_end=day_to,
            raw={"scope": "all", "metrics": overall},
        )
    ]
    for platform, (metrics, platform_summary) in per_platform.items():
        snapshots.append(
            InsightSnapshot(
                creator_id=creator_id,
                platform=platform,
                period_start=day_from,
                period_end=day_to,
                raw={"scope": "platform", "metrics": metrics},
            )
        )
        InsightSummary.objects.for_creator(creator_id).update_or_create(
            creator_id=creator_id,
            platform=platform,
            period=period,
            defaults={"summary": platform_summary},
        )
    InsightSnapshot.objects.bulk_create(snapshots)
    analytics_cache_invalidate(creator_id=creator_id)


def insight_counts(*, creator_id: int) -> dict[str, int]:
    """How many rows of each insight table the creator has (for checks and the bench)."""
    return {
        "ai_insights": AIInsight.objects.for_creator(creator_id).aggregate(n=Count("id"))["n"],
        "insight_snapshot": InsightSnapshot.objects.for_creator(creator_id).count(),
        "insight_summary": InsightSummary.objects.for_creator(creator_id).count(),
    }


__all__ = ["InsightRun", "insight_confidence", "insight_counts", "insight_summary_run"]
