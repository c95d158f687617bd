"""Fan reads, scoped to one creator. What a team member reads starts from `fans_visible`: a
chatter whose creator limits chatters to their assigned fans sees only those."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.db.models import Q, QuerySet

from huntaze.accounts.models import User
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.sql import Select, column
from huntaze.fans.models import Fan, FanNote
from huntaze.inbox.selectors import conversations_visible, is_limited_to_assigned


class FanRef(Protocol):
    """A fan read elsewhere (a Fan, the inbox's PanelFan): what `fan_notes_of` needs."""

    @property
    def id(self) -> int: ...

    @property
    def creator_id(self) -> int: ...


MAX_DATABASE_ID = 2**63 - 1  # a lookup beyond this overflows the database driver

FAN_SORTS = {
    "spend": "-total_spent_cents",
    "-spend": "total_spent_cents",
    "recent": "-joined_at",
    "last_purchase": "-last_purchase_at",
    "name": "username",
}


def fans_visible(*, actor: Actor, queryset: QuerySet[Fan] | None = None) -> QuerySet[Fan]:
    """The fans `actor` may read: all the creator's, or, for a chatter of a creator who limits
    chatters to their assigned fans (`chatters_see_assigned_only`), only the fans of the
    conversations assigned to them (the inbox's `conversations_visible`). Every fans read made
    for a team member goes through here; `queryset` (of the creator's fans: a segment's, a
    smart list's) is narrowed the same way."""
    base = Fan.objects.for_creator(actor.creator_id) if queryset is None else queryset
    base = base.filter(creator_id=actor.creator_id)
    if is_limited_to_assigned(actor):
        base = base.filter(id__in=conversations_visible(actor).values("fan_id"))
    return base


def fan_visible_to(*, creator_id: int, user_id: int, role: str, fan_id: int) -> bool:
    """Whether this member may read the fan (the WebSocket's check of fan events)."""
    actor = Actor(creator_id=creator_id, user_id=user_id, role=role)
    return is_database_id(fan_id) and fans_visible(actor=actor).filter(id=fan_id).exists()


def fan_list(
    *, creator_id: int, search: str = "", sort: str = "spend", subscription_state: str = ""
) -> QuerySet[Fan]:
    """The creator's fans (every one: for the system's own uses; a member's reads use
    `fan_list_visible`)."""
    return _fan_list(
        Fan.objects.for_creator(creator_id),
        search=search,
        sort=sort,
        subscription_state=subscription_state,
    )


def fan_list_visible(
    *, actor: Actor, search: str = "", sort: str = "spend", subscription_state: str = ""
) -> QuerySet[Fan]:
    """The fans `actor` may read (`fans_visible`), filtered and sorted."""
    return _fan_list(
        fans_visible(actor=actor),
        search=search,
        sort=sort,
        subscription_state=subscription_state,
    )


def _fan_list(
    queryset: QuerySet[Fan], *, search: str, sort: str, subscription_state: str
) -> QuerySet[Fan]:
    if sort not in FAN_SORTS:
        raise ValidationFailed.on_field("sort", f"sort must be one of {', '.join(FAN_SORTS)}.")
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


def fan_get_visible(*, actor: Actor, fan_id: int) -> Fan:
    """One fan `actor` may read; NotFound for another creator's, a missing one, or one not
    assigned to a limited chatter (they all answer alike)."""
    if not is_database_id(fan_id):
        raise NotFound("No such fan.")
    fan = fans_visible(actor=actor).filter(id=fan_id).first()
    if fan is None:
        raise NotFound("No such fan.")
    return fan


def fan_notes_list(*, actor: Actor, fan_id: int) -> list[FanNote]:
    """The fan's notes, pinned first then newest, each with its author loaded (one query).
    NotFound when `actor` may not read the fan."""
    if not is_database_id(fan_id):
        raise NotFound("No such fan.")
    found = list(
        FanNote.objects.for_creator(actor.creator_id)
        .filter(fan_id=fan_id, fan__in=fans_visible(actor=actor).values("id"))
        .select_related("author")
        .order_by("-is_pinned", "-created_at", "-id")
    )
    if not found:
        fan_get_visible(actor=actor, fan_id=fan_id)
    return found


@dataclass(frozen=True, slots=True)
class PanelNote:
    """A note as the inbox's context panel lists it, with a FanNote's attribute names."""

    id: int
    text: str
    is_pinned: bool
    is_locked: bool
    created_at: datetime
    author_name: str  # "" when the author's account is gone


_FAN_NOTES = Select(
    """SELECT n.id, n.text, n.is_pinned, n.is_locked, n.created_at, u.name, u.email
    FROM fan_notes n
    LEFT JOIN users u ON u.id = n.author_id
    WHERE n.creator_id = %(creator_id)s AND n.fan_id = %(fan_id)s
    ORDER BY n.is_pinned DESC, n.created_at DESC, n.id DESC""",
    [
        None,
        None,
        column(FanNote, "is_pinned"),
        column(FanNote, "is_locked"),
        column(FanNote, "created_at"),
        None,
        None,
    ],
)


def fan_notes_of(*, actor: Actor, fan: FanRef) -> list[PanelNote]:
    """The notes of a fan already read through a visibility check (`fan_get_visible`, the
    inbox's `conversation_open`), pinned first then newest: one query, with no second check.
    NotFound for another creator's fan."""
    if fan.creator_id != actor.creator_id:
        raise NotFound("No such fan.")
    return [
        PanelNote(
            id=note_id,
            text=text,
            is_pinned=is_pinned,
            is_locked=is_locked,
            created_at=created_at,
            author_name=User.display_name_of(name=name, email=email) if email else "",
        )
        for note_id, text, is_pinned, is_locked, created_at, name, email in _FAN_NOTES.rows(
            creator_id=actor.creator_id, fan_id=fan.id
        )
    ]


def note_author_name(note: FanNote) -> str:
    """The author's display name, or "" when the author's account is gone."""
    author = note.author
    return author.display_name if author is not None else ""
