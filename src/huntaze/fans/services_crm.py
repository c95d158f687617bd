"""Writes of the fans CRM: saved segments (create, update, delete) and bulk tagging. Every write
is scoped to `actor.creator_id` and needs Permission.MANAGE_FANS (analysts only read); bulk
tagging touches only the fans the actor may see (`fans_visible`) and pushes `fan.updated` for
the fans it changed (at most MAX_BULK_EVENTS of them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, ValidationFailed
from huntaze.core.permissions import Permission
from huntaze.fans.models import Fan, Segment
from huntaze.fans.segments import rules_clean, segment_matches
from huntaze.fans.selectors import fans_visible, is_database_id
from huntaze.fans.selectors_crm import FanTableFilters, fan_table_queryset
from huntaze.fans.services import MAX_TAGS, clean_tags, fan_updated_event
from huntaze.inbox.events import publish_on_commit

MAX_SEGMENT_NAME = 80
MAX_SEGMENT_DESCRIPTION = 255
MAX_SELECTED = 500
BULK_BATCH = 500
# A bulk change pushes `fan.updated` for at most this many fans (an open panel on one of the
# others shows the new tags when it is opened again).
MAX_BULK_EVENTS = 500
TAG_ACTIONS = ("add", "remove")


# Segments ---------------------------------------------------------------------------------------


def _clean_name(name: object) -> str:
    cleaned = " ".join(name.split()) if isinstance(name, str) else ""
    if not cleaned:
        raise ValidationFailed.on_field("name", _("name: give the segment a name."))
    if len(cleaned) > MAX_SEGMENT_NAME:
        raise ValidationFailed.on_field(
            "name", _("name: at most %(max)d characters.") % {"max": MAX_SEGMENT_NAME}
        )
    return cleaned


def _clean_description(description: object) -> str:
    cleaned = description.strip() if isinstance(description, str) else ""
    if len(cleaned) > MAX_SEGMENT_DESCRIPTION:
        raise ValidationFailed.on_field(
            "description",
            _("description: at most %(max)d characters.") % {"max": MAX_SEGMENT_DESCRIPTION},
        )
    return cleaned


def _name_taken(*, creator_id: int, name: str, exclude_id: int | None = None) -> bool:
    queryset = Segment.objects.for_creator(creator_id).filter(name__iexact=name)
    if exclude_id is not None:
        queryset = queryset.exclude(id=exclude_id)
    return queryset.exists()


def _conflict(name: str) -> Conflict:
    message = _("name: a segment called “%(name)s” exists already.") % {"name": name}
    return Conflict(message, field_errors={"name": [message]})


def _save(segment: Segment, *, fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            segment.save(update_fields=fields)
    except IntegrityError:
        raise _conflict(segment.name) from None


def _count(*, creator_id: int, rules: dict[str, Any]) -> int:
    return segment_matches(creator_id=creator_id, rules=rules).count()


@transaction.atomic
def segment_create(*, actor: Actor, name: str, rules: object, description: str = "") -> Segment:
    actor.require(Permission.MANAGE_FANS)
    cleaned_name = _clean_name(name)
    cleaned_description = _clean_description(description)
    cleaned_rules = rules_clean(rules, require_condition=True)
    if _name_taken(creator_id=actor.creator_id, name=cleaned_name):
        raise _conflict(cleaned_name)
    segment = Segment(
        creator_id=actor.creator_id,
        name=cleaned_name,
        description=cleaned_description,
        rules=cleaned_rules,
        fan_count=_count(creator_id=actor.creator_id, rules=cleaned_rules),
        counted_at=timezone.now(),
    )
    _save(segment)
    return segment


def _segment_for_update(*, actor: Actor, segment_id: int) -> Segment:
    if not is_database_id(segment_id):
        raise NotFound(_("No such segment."))
    segment = (
        Segment.objects.for_creator(actor.creator_id)
        .select_for_update()
        .filter(id=segment_id)
        .first()
    )
    if segment is None:
        raise NotFound(_("No such segment."))
    return segment


@transaction.atomic
def segment_update(
    *,
    actor: Actor,
    segment_id: int,
    name: str | None = None,
    rules: object = None,
    description: str | None = None,
) -> Segment:
    """Change what is given (None: unchanged); a new rule set recounts the fans."""
    actor.require(Permission.MANAGE_FANS)
    segment = _segment_for_update(actor=actor, segment_id=segment_id)
    if name is not None:
        segment.name = _clean_name(name)
        if _name_taken(creator_id=actor.creator_id, name=segment.name, exclude_id=segment.id):
            raise _conflict(segment.name)
    if description is not None:
        segment.description = _clean_description(description)
    if rules is not None:
        segment.rules = rules_clean(rules, require_condition=True)
    segment.fan_count = _count(creator_id=actor.creator_id, rules=segment.rules)
    segment.counted_at = timezone.now()
    _save(segment)
    return segment


@transaction.atomic
def segment_delete(*, actor: Actor, segment_id: int) -> None:
    actor.require(Permission.MANAGE_FANS)
    _segment_for_update(actor=actor, segment_id=segment_id).delete()


# Bulk tagging -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkTagResult:
    changed: int
    unchanged: int
    skipped_full: int  # fans who already have the most tags allowed


def _apply(fans: list[Fan], *, tag: str, action: str, result: dict[str, int]) -> list[Fan]:
    changed = []
    for fan in fans:
        tags = list(fan.tags or [])
        if action == "add" and tag not in tags:
            if len(tags) >= MAX_TAGS:
                result["skipped_full"] += 1
                continue
            fan.tags = [*tags, tag]
        elif action == "remove" and tag in tags:
            fan.tags = [t for t in tags if t != tag]
        else:
            result["unchanged"] += 1
            continue
        fan.updated_at = timezone.now()
        changed.append(fan)
    result["changed"] += len(changed)
    return changed


def _tag_batch(*, actor: Actor, ids: Sequence[int], tag: str, action: str, result: dict) -> None:
    fans = list(
        fans_visible(actor=actor)
        .select_for_update()
        .filter(id__in=ids)
        .only("id", "tags", "ai_memory", "updated_at")
        .order_by("id")
    )
    already_announced = result["changed"]
    changed = _apply(fans, tag=tag, action=action, result=result)
    if changed:
        Fan.objects.for_creator(actor.creator_id).bulk_update(changed, ["tags", "updated_at"])
    for fan in changed[: max(0, MAX_BULK_EVENTS - already_announced)]:
        publish_on_commit(
            creator_id=actor.creator_id,
            event=fan_updated_event(actor=actor, fan=fan, fields=["tags"]),
        )


def _clean_action(tag: object, action: object) -> str:
    if action not in TAG_ACTIONS:
        raise ValidationFailed.on_field("action", _("action: “add” or “remove”."))
    if not isinstance(tag, str) or not tag.strip():
        raise ValidationFailed.on_field("tag", _("tag: write the tag to add or remove."))
    try:
        return clean_tags([tag])[0]
    except ValidationFailed as error:
        raise ValidationFailed.on_field("tag", error.message.replace("tags:", "tag:")) from None


@transaction.atomic
def fan_tags_bulk_change(
    *,
    actor: Actor,
    tag: str,
    action: str,
    fan_ids: Sequence[int] | None = None,
    filters: FanTableFilters | None = None,
) -> BulkTagResult:
    """Add or remove `tag` on the selected fans (`fan_ids`, at most 500, all the creator's
    or NotFound and nothing changes), or on every fan matching `filters`, walked by id in
    batches of 500 inside one transaction."""
    actor.require(Permission.MANAGE_FANS)
    cleaned_tag = _clean_action(tag, action)
    result = {"changed": 0, "unchanged": 0, "skipped_full": 0}
    if fan_ids is not None:
        ids = _selected_ids(actor=actor, fan_ids=fan_ids)
        _tag_batch(actor=actor, ids=ids, tag=cleaned_tag, action=action, result=result)
        return BulkTagResult(**result)
    if filters is None:
        raise ValidationFailed.on_field("fan_ids", _("fan_ids: choose fans, or all matching."))
    matching = fan_table_queryset(actor=actor, filters=filters).order_by("id")
    last_id = 0
    while True:
        ids = list(matching.filter(id__gt=last_id).values_list("id", flat=True)[:BULK_BATCH])
        if not ids:
            break
        _tag_batch(actor=actor, ids=ids, tag=cleaned_tag, action=action, result=result)
        last_id = ids[-1]
    return BulkTagResult(**result)


def _selected_ids(*, actor: Actor, fan_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(fan_ids))
    if not ids:
        raise ValidationFailed.on_field("fan_ids", _("fan_ids: choose at least one fan."))
    if len(ids) > MAX_SELECTED:
        raise ValidationFailed.on_field(
            "fan_ids",
            _("fan_ids: at most %(max)d fans at once; use “all matching” for more.")
            % {"max": MAX_SELECTED},
        )
    if not all(isinstance(i, int) and is_database_id(i) for i in ids):
        raise NotFound(_("No such fan."))
    found = fans_visible(actor=actor).filter(id__in=ids).count()
    if found != len(ids):
        raise NotFound(_("No such fan."))
    return ids
