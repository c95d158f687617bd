"""Fan reads, scoped to one creator."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.fans.models import Fan, FanNote

MAX_DATABASE_ID = 2**63 - 1  # a lookup beyond this overflows the database driver

FAN_SORTS = {
    "spend": "-total_spent_cents",
    "-spend": "total_spent_cents",
    "recent": "-joined_at",
    "last_purchase": "-last_purchase_at",
    "name": "username",
}


def fan_list(
    *, creator_id: int, search: str = "", sort: str = "spend", subscription_state: str = ""
) -> QuerySet[Fan]:
    if sort not in FAN_SORTS:
        raise ValidationFailed.on_field("sort", f"sort must be one of {', '.join(FAN_SORTS)}.")
    queryset = Fan.objects.for_creator(creator_id)
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search) | Q(display_name__icontains=search)
        )
    if subscription_state:
        queryset = queryset.filter(subscription_state=subscription_state)
    return queryset.order_by(FAN_SORTS[sort], "id")


def is_database_id(value: int) -> bool:
    return 0 < value <= MAX_DATABASE_ID


def fan_get(*, creator_id: int, fan_id: int) -> Fan:
    if not is_database_id(fan_id):
        raise NotFound("No such fan.")
    fan = Fan.objects.for_creator(creator_id).filter(id=fan_id).first()
    if fan is None:
        raise NotFound("No such fan.")
    return fan


def fan_notes_list(*, creator_id: int, fan_id: int) -> list[FanNote]:
    """The fan's notes, pinned first then newest, each with its author loaded (one query).
    NotFound when the fan is not this creator's."""
    if not is_database_id(fan_id):
        raise NotFound("No such fan.")
    notes = list(
        FanNote.objects.for_creator(creator_id)
        .filter(fan_id=fan_id)
        .select_related("author")
        .order_by("-is_pinned", "-created_at", "-id")
    )
    if not notes:
        fan_get(creator_id=creator_id, fan_id=fan_id)
    return notes


def note_author_name(note: FanNote) -> str:
    """The author's display name, or "" when the author's account is gone."""
    author = note.author
    return author.display_name if author is not None else ""
