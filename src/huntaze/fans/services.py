"""Fan writes from the inbox context panel: shared notes (pinning, locking), tags and the AI
memory of facts about a fan. Every write is scoped to the fans `actor` may see
(`fans_visible`) and needs Permission.MANAGE_FANS; a locked note is changed only by an owner or
a manager. Each change is pushed, once committed, to the creator's open inbox panels as
`note.changed` or `fan.updated` (whichever entry point made it: the inbox panel, the fans API
or the CRM)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext as _

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, PermissionDenied, ValidationFailed
from huntaze.core.models import Role
from huntaze.core.permissions import Permission
from huntaze.fans.models import Fan, FanNote
from huntaze.fans.selectors import PanelNote, fans_visible, is_database_id
from huntaze.inbox.events import FanUpdated, NoteChanged, publish_on_commit

MAX_NOTE_LENGTH = 2000
MAX_TAGS = 20
MAX_TAG_LENGTH = 30
MAX_FACTS = 30
MAX_FACT_LENGTH = 200
LOCKING_ROLES = frozenset({Role.OWNER, Role.MANAGER})


# Rules the panel also uses to show or hide controls ---------------------------------------------


def can_lock_notes(actor: Actor) -> bool:
    return actor.can(Permission.MANAGE_FANS) and actor.role in LOCKING_ROLES


def can_change_note(actor: Actor, note: FanNote | PanelNote) -> bool:
    if not actor.can(Permission.MANAGE_FANS):
        return False
    return not note.is_locked or actor.role in LOCKING_ROLES


# Helpers -----------------------------------------------------------------------------------------


def _fan_for_update(*, actor: Actor, fan_id: int) -> Fan:
    if not is_database_id(fan_id):
        raise NotFound(_("No such fan."))
    fan = fans_visible(actor=actor).select_for_update().filter(id=fan_id).first()
    if fan is None:
        raise NotFound(_("No such fan."))
    return fan


def _fan_exists(*, actor: Actor, fan_id: int) -> None:
    if not is_database_id(fan_id) or not fans_visible(actor=actor).filter(id=fan_id).exists():
        raise NotFound(_("No such fan."))


def _note_for_update(*, actor: Actor, fan_id: int, note_id: int) -> FanNote:
    if not (is_database_id(fan_id) and is_database_id(note_id)):
        raise NotFound(_("No such note."))
    note = (
        FanNote.objects.for_creator(actor.creator_id)
        .select_for_update()
        .filter(id=note_id, fan_id=fan_id, fan__in=fans_visible(actor=actor).values("id"))
        .first()
    )
    if note is None:
        raise NotFound(_("No such note."))
    return note


def _note_changed(*, actor: Actor, note: FanNote, action: str) -> None:
    publish_on_commit(
        creator_id=actor.creator_id,
        event=NoteChanged(
            fan_id=note.fan_id,
            note_id=note.id,
            action=action,  # type: ignore[arg-type]
            user_id=actor.user_id,
        ),
    )


def fan_updated_event(*, actor: Actor, fan: Fan, fields: list[str]) -> FanUpdated:
    """`fan.updated` for a change by a team member (the fan's tags and memory as they are)."""
    return FanUpdated(
        fan_id=fan.id,
        fields=fields,  # type: ignore[arg-type]
        tags=list(fan.tags),
        ai_memory=list(fan.ai_memory),
        by="team",
        user_id=actor.user_id,
    )


def _require_change(actor: Actor, note: FanNote) -> None:
    if not can_change_note(actor, note):
        raise PermissionDenied(_("This note is locked: only an owner or a manager can change it."))


def _require_lock(actor: Actor) -> None:
    if not can_lock_notes(actor):
        raise PermissionDenied(_("Only an owner or a manager can lock or unlock a note."))


def _clean_note_text(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationFailed.on_field("text", _("text: the note must be text."))
    cleaned = text.strip()
    if not cleaned:
        raise ValidationFailed.on_field("text", _("text: the note is empty."))
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValidationFailed.on_field(
            "text",
            _("text: a note has at most %(max)d characters (this one has %(count)d).")
            % {"max": MAX_NOTE_LENGTH, "count": len(cleaned)},
        )
    return cleaned


def clean_tags(tags: Iterable[object]) -> list[str]:
    """Lower-case, trimmed, deduplicated (first occurrence kept), each 1–30 characters, at
    most 20. Raises ValidationFailed on field `tags`."""
    cleaned: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationFailed.on_field("tags", _("tags: every tag must be text."))
        value = " ".join(tag.split()).lower()
        if not value:
            raise ValidationFailed.on_field("tags", _("tags: a tag cannot be empty."))
        if len(value) > MAX_TAG_LENGTH:
            raise ValidationFailed.on_field(
                "tags",
                _("tags: “%(tag)s” is longer than %(max)d characters.")
                % {"tag": value[:MAX_TAG_LENGTH] + "…", "max": MAX_TAG_LENGTH},
            )
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_TAGS:
        raise ValidationFailed.on_field(
            "tags",
            _("tags: at most %(max)d tags (%(count)d given).")
            % {"max": MAX_TAGS, "count": len(cleaned)},
        )
    return cleaned


def clean_facts(facts: Iterable[object]) -> list[str]:
    """Trimmed, blank ones dropped, deduplicated, each at most 200 characters, at most 30.
    Raises ValidationFailed on field `facts`."""
    cleaned: list[str] = []
    for fact in facts:
        if not isinstance(fact, str):
            raise ValidationFailed.on_field("facts", _("facts: every fact must be text."))
        value = " ".join(fact.split())
        if not value:
            continue
        if len(value) > MAX_FACT_LENGTH:
            raise ValidationFailed.on_field(
                "facts",
                _("facts: a fact has at most %(max)d characters (one has %(count)d).")
                % {"max": MAX_FACT_LENGTH, "count": len(value)},
            )
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_FACTS:
        raise ValidationFailed.on_field(
            "facts",
            _("facts: at most %(max)d facts (%(count)d given).")
            % {"max": MAX_FACTS, "count": len(cleaned)},
        )
    return cleaned


# Notes ------------------------------------------------------------------------------------------


@transaction.atomic
def fan_note_add(
    *, actor: Actor, fan_id: int, text: str, is_pinned: bool = False, is_locked: bool = False
) -> FanNote:
    actor.require(Permission.MANAGE_FANS)
    cleaned = _clean_note_text(text)
    if is_locked:
        _require_lock(actor)
    _fan_exists(actor=actor, fan_id=fan_id)
    note = FanNote.objects.for_creator(actor.creator_id).create(
        creator_id=actor.creator_id,
        fan_id=fan_id,
        author_id=actor.user_id,
        text=cleaned,
        is_pinned=is_pinned,
        is_locked=is_locked,
    )
    _note_changed(actor=actor, note=note, action="added")
    return note


@transaction.atomic
def fan_note_update(
    *,
    actor: Actor,
    fan_id: int,
    note_id: int,
    text: str | None = None,
    is_locked: bool | None = None,
) -> FanNote:
    """Change a note's text and/or its lock. Only owners and managers lock, unlock, or change
    a locked note."""
    actor.require(Permission.MANAGE_FANS)
    note = _note_for_update(actor=actor, fan_id=fan_id, note_id=note_id)
    _require_change(actor, note)
    fields: list[str] = []
    if text is not None:
        note.text = _clean_note_text(text)
        fields.append("text")
    if is_locked is not None and is_locked != note.is_locked:
        _require_lock(actor)
        note.is_locked = is_locked
        fields.append("is_locked")
    if fields:
        note.save(update_fields=[*fields, "updated_at"])
    _note_changed(actor=actor, note=note, action="updated")
    return note


@transaction.atomic
def fan_note_pin(*, actor: Actor, fan_id: int, note_id: int, is_pinned: bool) -> FanNote:
    actor.require(Permission.MANAGE_FANS)
    note = _note_for_update(actor=actor, fan_id=fan_id, note_id=note_id)
    _require_change(actor, note)
    if note.is_pinned != is_pinned:
        note.is_pinned = is_pinned
        note.save(update_fields=["is_pinned", "updated_at"])
    _note_changed(actor=actor, note=note, action="pinned" if is_pinned else "unpinned")
    return note


@transaction.atomic
def fan_note_delete(*, actor: Actor, fan_id: int, note_id: int) -> None:
    actor.require(Permission.MANAGE_FANS)
    note = _note_for_update(actor=actor, fan_id=fan_id, note_id=note_id)
    _require_change(actor, note)
    _note_changed(actor=actor, note=note, action="deleted")
    note.delete()


# Tags and AI memory -----------------------------------------------------------------------------


@transaction.atomic
def fan_tags_set(*, actor: Actor, fan_id: int, tags: Iterable[object]) -> list[str]:
    actor.require(Permission.MANAGE_FANS)
    cleaned = clean_tags(tags)
    fan = _fan_for_update(actor=actor, fan_id=fan_id)
    if fan.tags != cleaned:
        fan.tags = cleaned
        fan.save(update_fields=["tags", "updated_at"])
    publish_on_commit(
        creator_id=actor.creator_id,
        event=fan_updated_event(actor=actor, fan=fan, fields=["tags"]),
    )
    return cleaned


@transaction.atomic
def fan_memory_set(
    *,
    actor: Actor,
    fan_id: int,
    facts: Iterable[object],
    added_facts: Sequence[str] | None = None,
) -> list[str]:
    """Replace the fan's AI memory. `added_facts` marks a change by the AI memory extraction
    (what it added): `fan.updated` then says `by` "ai" rather than the team."""
    actor.require(Permission.MANAGE_FANS)
    cleaned = clean_facts(facts)
    fan = _fan_for_update(actor=actor, fan_id=fan_id)
    if fan.ai_memory != cleaned:
        fan.ai_memory = cleaned
        fan.save(update_fields=["ai_memory", "updated_at"])
    event = fan_updated_event(actor=actor, fan=fan, fields=["ai_memory"])
    if added_facts is not None:
        event = event.model_copy(
            update={"by": "ai", "user_id": None, "added_facts": list(added_facts)}
        )
    publish_on_commit(creator_id=actor.creator_id, event=event)
    return cleaned


# Aggregates kept on write (called by the inbox when a message or purchase comes in) -----------


def fan_record_message(*, creator_id: int, fan_id: int, sent_at: datetime) -> None:
    """fans.last_message_at becomes the later of itself and `sent_at`."""
    moment = Value(sent_at)
    Fan.objects.for_creator(creator_id).filter(id=fan_id).update(
        last_message_at=Greatest(Coalesce(F("last_message_at"), moment), moment)
    )


def fan_record_purchase(
    *, creator_id: int, fan_id: int, amount_cents: int, occurred_at: datetime
) -> None:
    """Adds a completed purchase to the fan's spend, count and first/last purchase times."""
    moment = Value(occurred_at)
    Fan.objects.for_creator(creator_id).filter(id=fan_id).update(
        total_spent_cents=F("total_spent_cents") + amount_cents,
        purchases_count=F("purchases_count") + 1,
        first_purchase_at=Least(Coalesce(F("first_purchase_at"), moment), moment),
        last_purchase_at=Greatest(Coalesce(F("last_purchase_at"), moment), moment),
    )
