"""Billing writes: one `usage_logs` row per AI call, and the month's `monthly_charges` kept
current with F() in the same transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huntaze.billing.models import MonthlyCharge, UsageLog
from huntaze.core.errors import ValidationFailed
from huntaze.core.selectors import creator_get

MAX_FEATURE_LENGTH = 40
MAX_MODEL_LENGTH = 80
MAX_AGENT_ID_LENGTH = 60


def billing_month(*, creator_timezone: str, moment: datetime) -> str:
    """The billing month (YYYY-MM) of `moment` in the creator's time zone."""
    try:
        zone = ZoneInfo(creator_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%Y-%m")


def usage_log_add(
    *,
    creator_id: int,
    feature: str,
    model: str,
    tokens_input: int,
    tokens_output: int,
    cost_usd: Decimal,
    latency_ms: int = 0,
    agent_id: str = "",
) -> UsageLog:
    """Meter one AI call: a `usage_logs` row, and the creator's month in `monthly_charges`
    (created on first use, then incremented with F() so concurrent calls add up)."""
    if not feature or len(feature) > MAX_FEATURE_LENGTH:
        raise ValidationFailed.on_field("feature", "feature is 1 to 40 characters.")
    if tokens_input < 0 or tokens_output < 0:
        raise ValidationFailed.on_field("tokens_input", "Token counts are 0 or more.")
    if cost_usd < 0:
        raise ValidationFailed.on_field("cost_usd", "A cost is 0 or more.")
    month = billing_month(
        creator_timezone=creator_get(creator_id=creator_id).timezone, moment=timezone.now()
    )
    with transaction.atomic():
        log = UsageLog.objects.create(
            creator_id=creator_id,
            feature=feature,
            agent_id=agent_id[:MAX_AGENT_ID_LENGTH],
            model=model[:MAX_MODEL_LENGTH],
            tokens_input=tokens_input,
            tokens_output=tokens_output,
            cost_usd=cost_usd,
            latency_ms=max(0, latency_ms),
        )
        _monthly_charge_add(
            creator_id=creator_id,
            month=month,
            tokens_input=tokens_input,
            tokens_output=tokens_output,
            cost_usd=cost_usd,
        )
    return log


def _monthly_charge_add(
    *, creator_id: int, month: str, tokens_input: int, tokens_output: int, cost_usd: Decimal
) -> None:
    changes = {
        "total_tokens_input": F("total_tokens_input") + tokens_input,
        "total_tokens_output": F("total_tokens_output") + tokens_output,
        "total_cost_usd": F("total_cost_usd") + cost_usd,
    }
    rows = MonthlyCharge.objects.for_creator(creator_id).filter(month=month)
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            MonthlyCharge.objects.create(
                creator_id=creator_id,
                month=month,
                total_tokens_input=tokens_input,
                total_tokens_output=tokens_output,
                total_cost_usd=cost_usd,
            )
    except IntegrityError:
        # Another call created the month between our update and insert.
        rows.update(**changes)
