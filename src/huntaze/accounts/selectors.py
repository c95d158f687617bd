"""Account reads: API keys, invitations and the roles one may grant."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from huntaze.accounts.models import ApiKey, Invitation
from huntaze.core.errors import NotFound
from huntaze.core.models import Role
from huntaze.core.permissions import role_within


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
