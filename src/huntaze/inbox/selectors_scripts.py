"""Script reads: the list, one script, and the scripts rendered for one conversation's fan."""

from __future__ import annotations

from dataclasses import dataclass

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound
from huntaze.core.selectors import creator_get
from huntaze.inbox.models import Script
from huntaze.inbox.selectors import conversation_get
from huntaze.inbox.services_scripts import VARIABLE_PATTERN


def script_list(*, creator_id: int) -> list[Script]:
    return list(Script.objects.for_creator(creator_id).order_by("shortcode", "id"))


def script_get(*, creator_id: int, script_id: int) -> Script:
    script = Script.objects.for_creator(creator_id).filter(id=script_id).first()
    if script is None:
        raise NotFound("No such script.")
    return script


def script_fill(text: str, values: dict[str, str]) -> str:
    """The text with its known variables replaced; anything else stays as typed."""
    return VARIABLE_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), text)


@dataclass(frozen=True, slots=True)
class RenderedScript:
    id: int
    shortcode: str
    title: str
    text: str
    media_ids: list[int]
    price_cents: int


def scripts_for_conversation(*, actor: Actor, conversation_id: int) -> list[RenderedScript]:
    """Every script, its variables filled for the conversation's fan (NotFound for a
    conversation the actor may not see)."""
    conversation = conversation_get(actor=actor, conversation_id=conversation_id)
    creator = creator_get(creator_id=actor.creator_id)
    values = {
        "fan_name": conversation.fan.display_name or conversation.fan.username,
        "creator_name": creator.name,
    }
    return [
        RenderedScript(
            id=script.id,
            shortcode=script.shortcode,
            title=script.title,
            text=script_fill(script.text, values),
            media_ids=[int(media_id) for media_id in script.media_ids or []],
            price_cents=script.price_cents,
        )
        for script in script_list(creator_id=actor.creator_id)
    ]
