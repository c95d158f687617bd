"""Account reads."""

from __future__ import annotations

from django.db.models import QuerySet

from huntaze.accounts.models import ApiKey, Invitation


def api_key_list(*, creator_id: int) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_creator(creator_id).select_related("user").order_by("-created_at")


def invitation_pending_list(*, creator_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_creator(creator_id)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at")
    )
