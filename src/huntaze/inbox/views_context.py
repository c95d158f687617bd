"""The fan context panel's notes, tags and AI memory: the HTMX fragment and its forms. Each
POST answers the whole fragment again (with the error, when the input was refused, so HTMX
swaps it in); writes go through `huntaze.fans.services`, which push each change to the
creator's other open panels as `note.changed` or `fan.updated`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from huntaze.ai.memory import FactSource, fact_key, memory_fact_sources
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.fans.selectors import PanelNote, fan_get_visible, fan_notes_of
from huntaze.fans.services import (
    MAX_FACT_LENGTH,
    MAX_FACTS,
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    can_change_note,
    can_lock_notes,
    fan_memory_set,
    fan_note_add,
    fan_note_delete,
    fan_note_pin,
    fan_note_update,
    fan_tags_set,
)

if TYPE_CHECKING:
    from huntaze.fans.models import Fan
    from huntaze.inbox.selectors import PanelFan

PANEL_TEMPLATE = "inbox/_fan_notes.html"
CHECKED = ("1", "on", "true")


@dataclass(frozen=True, slots=True)
class NoteRow:
    note: PanelNote
    author_name: str
    can_change: bool


@dataclass(frozen=True, slots=True)
class MemoryRow:
    fact: str
    source: FactSource | None  # set when the AI wrote this fact (unchanged since)


def _memory_rows(*, creator_id: int, fan: Fan | PanelFan) -> list[MemoryRow]:
    sources = memory_fact_sources(creator_id=creator_id, fan_id=fan.id) if fan.ai_memory else {}
    return [MemoryRow(fact=fact, source=sources.get(fact_key(fact))) for fact in fan.ai_memory]


def fan_panel_context(
    *, actor: Actor, fan: Fan | PanelFan, error: ValidationFailed | None = None, **values: Any
) -> dict[str, Any]:
    """What `inbox/_fan_notes.html` needs; `values` keeps the refused input in the forms."""
    notes = fan_notes_of(actor=actor, fan=fan)
    error_field = next(iter(error.field_errors), "") if error is not None else ""
    return {
        "panel_fan": fan,
        "memory_rows": _memory_rows(creator_id=actor.creator_id, fan=fan),
        "notes": [
            NoteRow(note=n, author_name=n.author_name, can_change=can_change_note(actor, n))
            for n in notes
        ],
        "can_manage_fans": actor.can(Permission.MANAGE_FANS),
        "can_lock": can_lock_notes(actor),
        "panel_error": error.message if error is not None else "",
        "panel_error_field": error_field,
        "tags_value": values.get("tags_value", ", ".join(fan.tags)),
        "facts_value": values.get("facts_value", "\n".join(fan.ai_memory)),
        "note_value": values.get("note_value", ""),
        "limits": {
            "note": MAX_NOTE_LENGTH,
            "tags": MAX_TAGS,
            "tag": MAX_TAG_LENGTH,
            "facts": MAX_FACTS,
            "fact": MAX_FACT_LENGTH,
        },
    }


def _panel(
    request: HttpRequest, *, fan_id: int, error: ValidationFailed | None = None, **values: Any
) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    fan = fan_get_visible(actor=actor, fan_id=fan_id)
    context = fan_panel_context(actor=actor, fan=fan, error=error, **values)
    return render(request, PANEL_TEMPLATE, context)


def _checked(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name, "") in CHECKED


@require_GET
@workspace_page(Permission.READ)
def fan_panel(request: HttpRequest, fan_id: int) -> HttpResponse:
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def note_add(request: HttpRequest, fan_id: int) -> HttpResponse:
    text = request.POST.get("text", "")
    try:
        fan_note_add(
            actor=request.actor,  # type: ignore[attr-defined]
            fan_id=fan_id,
            text=text,
            is_pinned=_checked(request, "is_pinned"),
            is_locked=_checked(request, "is_locked"),
        )
    except ValidationFailed as error:
        return _panel(request, fan_id=fan_id, error=error, note_value=text)
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def note_update(request: HttpRequest, fan_id: int, note_id: int) -> HttpResponse:
    """The edit form sends `text`; an owner's or manager's form also sends `lock_field` with the
    `is_locked` checkbox."""
    is_locked = _checked(request, "is_locked") if "lock_field" in request.POST else None
    try:
        fan_note_update(
            actor=request.actor,  # type: ignore[attr-defined]
            fan_id=fan_id,
            note_id=note_id,
            text=request.POST.get("text"),
            is_locked=is_locked,
        )
    except ValidationFailed as error:
        return _panel(request, fan_id=fan_id, error=error)
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def note_pin(request: HttpRequest, fan_id: int, note_id: int) -> HttpResponse:
    fan_note_pin(
        actor=request.actor,  # type: ignore[attr-defined]
        fan_id=fan_id,
        note_id=note_id,
        is_pinned=_checked(request, "is_pinned"),
    )
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def note_delete(request: HttpRequest, fan_id: int, note_id: int) -> HttpResponse:
    fan_note_delete(
        actor=request.actor,  # type: ignore[attr-defined]
        fan_id=fan_id,
        note_id=note_id,
    )
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def tags_set(request: HttpRequest, fan_id: int) -> HttpResponse:
    """`tags`: comma-separated."""
    raw = request.POST.get("tags", "")
    tags = [part for part in raw.split(",") if part.strip()]
    try:
        fan_tags_set(actor=request.actor, fan_id=fan_id, tags=tags)  # type: ignore[attr-defined]
    except ValidationFailed as error:
        return _panel(request, fan_id=fan_id, error=error, tags_value=raw)
    return _panel(request, fan_id=fan_id)


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def memory_set(request: HttpRequest, fan_id: int) -> HttpResponse:
    """`facts`: one fact a line."""
    raw = request.POST.get("facts", "")
    try:
        fan_memory_set(
            actor=request.actor,  # type: ignore[attr-defined]
            fan_id=fan_id,
            facts=raw.splitlines(),
        )
    except ValidationFailed as error:
        return _panel(request, fan_id=fan_id, error=error, facts_value=raw)
    return _panel(request, fan_id=fan_id)
