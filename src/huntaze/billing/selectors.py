"""Billing reads, scoped to one creator, returned as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Sum
from django.utils import timezone

from huntaze.billing.models import MonthlyCharge, UsageLog
from huntaze.core.selectors import creator_get


@dataclass(frozen=True, slots=True)
class MonthlyChargeSummary:
    month: str
    total_tokens_input: int
    total_tokens_output: int
    total_cost_usd: Decimal


@dataclass(frozen=True, slots=True)
class UsageLogLine:
    id: int
    feature: str
    agent_id: str
    model: str
    tokens_input: int
    tokens_output: int
    cost_usd: Decimal
    latency_ms: int
    created_at: datetime


def monthly_charge_get(*, creator_id: int, month: str) -> MonthlyChargeSummary | None:
    row = MonthlyCharge.objects.for_creator(creator_id).filter(month=month).first()
    if row is None:
        return None
    return MonthlyChargeSummary(
        month=row.month,
        total_tokens_input=row.total_tokens_input,
        total_tokens_output=row.total_tokens_output,
        total_cost_usd=row.total_cost_usd,
    )


def usage_log_list(*, creator_id: int, feature: str = "", limit: int = 100) -> list[UsageLogLine]:
    queryset = UsageLog.objects.for_creator(creator_id)
    if feature:
        queryset = queryset.filter(feature=feature)
    return [
        UsageLogLine(
            id=row.id,
            feature=row.feature,
            agent_id=row.agent_id,
            model=row.model,
            tokens_input=row.tokens_input,
            tokens_output=row.tokens_output,
            cost_usd=row.cost_usd,
            latency_ms=row.latency_ms,
            created_at=row.created_at,
        )
        for row in queryset.order_by("-created_at", "-id")[:limit]
    ]


# AI usage of the month, for the billing settings page ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AiUsageLine:
    feature: str
    calls: int
    tokens_input: int
    tokens_output: int
    cost_usd: Decimal


@dataclass(frozen=True, slots=True)
class AiUsageMonth:
    month: str  # YYYY-MM in the creator's time zone
    lines: list[AiUsageLine]
    calls: int
    tokens_input: int
    tokens_output: int
    cost_usd: Decimal


def _month_start(creator_timezone: str, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(creator_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = now.astimezone(zone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def workspace_ai_usage_month(*, creator_id: int, now: datetime | None = None) -> AiUsageMonth:
    """This month's AI usage of a workspace, per feature, from `usage_logs`."""
    start = _month_start(creator_get(creator_id=creator_id).timezone, now or timezone.now())
    rows = (
        UsageLog.objects.for_creator(creator_id)
        .filter(created_at__gte=start)
        .values("feature")
        .annotate(
            calls=Count("id"),
            tokens_input=Sum("tokens_input"),
            tokens_output=Sum("tokens_output"),
            cost_usd=Sum("cost_usd"),
        )
        .order_by("feature")
    )
    lines = [
        AiUsageLine(
            feature=row["feature"],
            calls=row["calls"],
            tokens_input=row["tokens_input"] or 0,
            tokens_output=row["tokens_output"] or 0,
            cost_usd=row["cost_usd"] or Decimal(0),
        )
        for row in rows
    ]
    return AiUsageMonth(
        month=start.strftime("%Y-%m"),
        lines=lines,
        calls=sum(line.calls for line in lines),
        tokens_input=sum(line.tokens_input for line in lines),
        tokens_output=sum(line.tokens_output for line in lines),
        cost_usd=sum((line.cost_usd for line in lines), Decimal(0)),
    )
