"""Fans API."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from huntaze.core.api_utils import ErrorOut, actor_of, page_bounds, values_page
from huntaze.fans.api_crm import add_routes as add_crm_routes
from huntaze.fans.models import FanNote
from huntaze.fans.selectors import (
    fan_get_visible,
    fan_list_visible,
    fan_notes_list,
    note_author_name,
)
from huntaze.fans.services import (
    fan_memory_set,
    fan_note_add,
    fan_note_delete,
    fan_note_pin,
    fan_note_update,
    fan_tags_set,
)

router = Router(tags=["fans"])
add_crm_routes(router)  # segments, smart lists, bulk tags (fans/api_crm.py), before /{fan_id}


class FanOut(Schema):
    id: int
    platform: str
    username: str
    display_name: str
    joined_at: datetime
    subscription_state: str
    total_spent_cents: int
    purchases_count: int
    last_purchase_at: datetime | None
    tags: list[str]
    ltv_cents: int | None
    churn_risk: float | None


class FanPage(Schema):
    items: list[FanOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class FanFilters(Schema):
    search: str = ""
    sort: str = "spend"
    subscription_state: str = ""
    limit: int = 50
    offset: int = 0


@router.get("", response={200: FanPage, 401: ErrorOut, 422: ErrorOut})
def list_fans(request: HttpRequest, filters: Query[FanFilters]) -> HttpResponse:
    limit, offset = page_bounds(filters.limit, filters.offset)
    queryset = fan_list_visible(
        actor=actor_of(request),
        search=filters.search,
        sort=filters.sort,
        subscription_state=filters.subscription_state,
    )
    return values_page(queryset, FanOut, limit=limit, offset=offset)


@router.get("/{fan_id}", response={200: FanOut, 401: ErrorOut, 404: ErrorOut})
def get_fan(request: HttpRequest, fan_id: int) -> object:
    return fan_get_visible(actor=actor_of(request), fan_id=fan_id)


# Notes, tags and AI memory (the inbox context panel) --------------------------------------------

WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


class NoteOut(Schema):
    id: int
    fan_id: int
    text: str
    is_pinned: bool
    is_locked: bool
    author_id: int | None
    author_name: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_author_name(obj: FanNote) -> str:
        return note_author_name(obj)


class NoteIn(Schema):
    text: str
    is_pinned: bool = False
    is_locked: bool = False


class NoteUpdateIn(Schema):
    text: str | None = None
    is_locked: bool | None = None


class NotePinIn(Schema):
    is_pinned: bool


class TagsIn(Schema):
    tags: list[str]


class TagsOut(Schema):
    tags: list[str]


class MemoryIn(Schema):
    facts: list[str]


class MemoryOut(Schema):
    facts: list[str]


@router.get("/{fan_id}/notes", response={200: list[NoteOut], 401: ErrorOut, 404: ErrorOut})
def list_notes(request: HttpRequest, fan_id: int) -> object:
    """The fan's notes: pinned first, then newest."""
    return fan_notes_list(actor=actor_of(request), fan_id=fan_id)


@router.post("/{fan_id}/notes", response={201: NoteOut, **WRITE_ERRORS})
def add_note(request: HttpRequest, fan_id: int, payload: NoteIn) -> Status[object]:
    """Add a shared note. Only owners and managers may lock it (`is_locked`)."""
    note = fan_note_add(
        actor=actor_of(request),
        fan_id=fan_id,
        text=payload.text,
        is_pinned=payload.is_pinned,
        is_locked=payload.is_locked,
    )
    return Status(201, note)


@router.patch("/{fan_id}/notes/{note_id}", response={200: NoteOut, **WRITE_ERRORS})
def update_note(request: HttpRequest, fan_id: int, note_id: int, payload: NoteUpdateIn) -> object:
    """Change a note's text or lock. A locked note is changed only by an owner or a manager."""
    return fan_note_update(
        actor=actor_of(request),
        fan_id=fan_id,
        note_id=note_id,
        text=payload.text,
        is_locked=payload.is_locked,
    )


@router.post("/{fan_id}/notes/{note_id}/pin", response={200: NoteOut, **WRITE_ERRORS})
def pin_note(request: HttpRequest, fan_id: int, note_id: int, payload: NotePinIn) -> object:
    return fan_note_pin(
        actor=actor_of(request), fan_id=fan_id, note_id=note_id, is_pinned=payload.is_pinned
    )


@router.delete(
    "/{fan_id}/notes/{note_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def delete_note(request: HttpRequest, fan_id: int, note_id: int) -> Status[None]:
    fan_note_delete(actor=actor_of(request), fan_id=fan_id, note_id=note_id)
    return Status(204, None)


@router.put("/{fan_id}/tags", response={200: TagsOut, **WRITE_ERRORS})
def set_tags(request: HttpRequest, fan_id: int, payload: TagsIn) -> dict[str, object]:
    """Replace the fan's tags: at most 20, each 1-30 characters, stored lower-case without
    duplicates."""
    return {"tags": fan_tags_set(actor=actor_of(request), fan_id=fan_id, tags=payload.tags)}


@router.put("/{fan_id}/memory", response={200: MemoryOut, **WRITE_ERRORS})
def set_memory(request: HttpRequest, fan_id: int, payload: MemoryIn) -> dict[str, object]:
    """Replace the AI memory of facts about the fan: at most 30, each at most 200 characters."""
    return {"facts": fan_memory_set(actor=actor_of(request), fan_id=fan_id, facts=payload.facts)}
