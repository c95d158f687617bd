"""Billing reads, scoped to one creator, returned as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from huntaze.billing.models import MonthlyCharge, UsageLog


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
