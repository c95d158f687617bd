"""Account reads: API keys, invitations, the roles one may grant, and the AI usage shown on
the billing settings page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from huntaze.accounts.models import ApiKey, Invitation
from huntaze.billing.models import UsageLog
from huntaze.core.errors import NotFound
from huntaze.core.models import Role
from huntaze.core.permissions import ROLE_PERMISSIONS
from huntaze.core.selectors import creator_get


def role_within(role: str, ceiling: str) -> bool:
    """True when `role` has no permission that `ceiling` lacks."""
    return ROLE_PERMISSIONS.get(role, frozenset()) <= ROLE_PERMISSIONS.get(ceiling, frozenset())


def roles_within(*, ceiling: str) -> list[tuple[str, str]]:
    """The roles (value, label) someone with role `ceiling` may give to a person or a key."""
    return [(value, str(label)) for value, label in Role.choices if role_within(value, ceiling)]


def api_key_list(*, creator_id: int) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_creator(creator_id).select_related("user").order_by("-created_at")


def invitation_pending_list(*, creator_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_creator(creator_id)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


@dataclass(frozen=True, slots=True)
class InvitationSummary:
    invitation_id: int
    creator_name: str
    email: str
    role: str
    role_label: str
    expires_at: datetime


def _summary(invitation: Invitation) -> InvitationSummary:
    return InvitationSummary(
        invitation_id=invitation.id,
        creator_name=invitation.creator.name,
        email=invitation.email,
        role=invitation.role,
        role_label=str(Role(invitation.role).label),
        expires_at=invitation.expires_at,
    )


def invitation_preview(*, token: str) -> InvitationSummary:
    """The pending invitation behind an e-mailed link; NotFound when used, revoked, expired
    or unknown."""
    invitation = (
        Invitation.all_creators.select_related("creator")
        .filter(
            token_hash=hashlib.sha256((token or "").encode()).hexdigest(),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation is invalid, used or expired.")
    return _summary(invitation)


def invitation_pending_for_email(*, email: str) -> list[InvitationSummary]:
    """Pending invitations sent to an address, across workspaces (on purpose: the person
    has no workspace yet)."""
    rows = (
        Invitation.all_creators.select_related("creator")
        .filter(
            email=(email or "").strip().lower(),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
    )
    return [_summary(invitation) for invitation in rows]


# AI usage (billing tables) ----------------------------------------------------------------------


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
    """This month's AI usage of a workspace, per feature, from `usage_logs`.

    Reads the billing app's table directly until billing publishes a selector for it."""
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
