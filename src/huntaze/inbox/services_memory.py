"""The AI memory of a fan, filled from the conversation: after fan messages, the facts they
state (birthday, location, job, pets, likes...) are extracted and merged into the fan's memory
(`fans.ai_memory`), then `fan.updated` tells the open panels.

Debounced per conversation: each fan message schedules `huntaze.inbox.tasks.memory_extract`
(queue `ai`) a little later; the run for a message that is no longer the conversation's latest
fan message does nothing, and the run for the latest reads every fan message since the last
run (the cursor kept by `huntaze.ai.memory`). Idempotent: a message is read once."""

from __future__ import annotations

import structlog
from django.db import transaction

from huntaze.ai.memory import (
    FactExtraction,
    SourceMessage,
    fan_facts_extract,
    memory_cursor_advance,
    memory_cursor_get,
    memory_cursor_lock,
    memory_fact_sources,
    memory_facts_merge,
    memory_facts_record,
)
from huntaze.core.context import Actor
from huntaze.core.models import Role
from huntaze.fans.selectors import fan_get
from huntaze.fans.services import MAX_FACTS, fan_memory_set
from huntaze.inbox.models import DeliveryStatus, Direction, Message

_log = structlog.get_logger(__name__)

MAX_BATCH_MESSAGES = 20
_READ_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)


def _memory_actor(creator_id: int) -> Actor:
    """Who writes the AI's facts through `fans.services`: the workspace itself, no member."""
    return Actor(creator_id=creator_id, user_id=None, role=Role.OWNER)


def _fan_messages(*, creator_id: int, conversation_id: int, after_id: int) -> list[Message]:
    """The conversation's fan messages newer than the cursor, oldest first (the last 20)."""
    rows = (
        Message.objects.for_creator(creator_id)
        .filter(
            conversation_id=conversation_id,
            direction=Direction.INBOUND,
            status__in=_READ_STATUSES,
            id__gt=after_id,
        )
        .order_by("-sent_at", "-id")
        .only("id", "text", "sent_at")[:MAX_BATCH_MESSAGES]
    )
    return list(reversed(rows))


def _latest_fan_message_id(*, creator_id: int, conversation_id: int) -> int | None:
    return (
        Message.objects.for_creator(creator_id)
        .filter(conversation_id=conversation_id, direction=Direction.INBOUND)
        .order_by("-sent_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def fan_memory_extract(*, creator_id: int, message_id: int) -> list[str]:
    """Read the fan messages of `message_id`'s conversation not read yet and merge the facts
    they state into the fan's memory. Returns the facts added (empty when this message is not
    the latest fan message, was read already, or states nothing new).

    The router call runs outside any transaction. Raises UpstreamUnavailable when the router
    cannot answer (nothing is stored, the cursor stays, a retry reads the same messages)."""
    message = (
        Message.objects.for_creator(creator_id)
        .filter(id=message_id, direction=Direction.INBOUND)
        .values("conversation_id", "fan_id")
        .first()
    )
    if message is None:
        return []
    conversation_id, fan_id = message["conversation_id"], message["fan_id"]
    if _latest_fan_message_id(creator_id=creator_id, conversation_id=conversation_id) != message_id:
        return []  # a later fan message has its own run, which reads this one too
    cursor = memory_cursor_get(creator_id=creator_id, conversation_id=conversation_id)
    if cursor >= message_id:
        return []
    batch = _fan_messages(creator_id=creator_id, conversation_id=conversation_id, after_id=cursor)
    if not batch:
        return []
    fan = fan_get(creator_id=creator_id, fan_id=fan_id)
    extraction = fan_facts_extract(
        creator_id=creator_id,
        messages=[SourceMessage(id=m.id, text=m.text, sent_at=m.sent_at) for m in batch],
        known_facts=list(fan.ai_memory),
    )
    return _store(
        creator_id=creator_id,
        conversation_id=conversation_id,
        fan_id=fan_id,
        last_message_id=max(m.id for m in batch),
        extraction=extraction,
    )


def _store(
    *,
    creator_id: int,
    conversation_id: int,
    fan_id: int,
    last_message_id: int,
    extraction: FactExtraction,
) -> list[str]:
    with transaction.atomic():
        cursor = memory_cursor_lock(creator_id=creator_id, conversation_id=conversation_id)
        if cursor >= last_message_id:
            return []  # a concurrent run stored these messages' facts
        fan = fan_get(creator_id=creator_id, fan_id=fan_id)
        merge = memory_facts_merge(
            current=list(fan.ai_memory),
            facts=extraction.facts,
            sources=memory_fact_sources(creator_id=creator_id, fan_id=fan_id),
            max_facts=MAX_FACTS,
        )
        if merge.added:
            fan_memory_set(  # which pushes `fan.updated` (by "ai")
                actor=_memory_actor(creator_id),
                fan_id=fan_id,
                facts=merge.facts,
                added_facts=[fact.text for fact in merge.added],
            )
            memory_facts_record(
                creator_id=creator_id, fan_id=fan_id, facts=merge.added, model=extraction.model
            )
        memory_cursor_advance(
            creator_id=creator_id, conversation_id=conversation_id, message_id=last_message_id
        )
    added = [fact.text for fact in merge.added]
    _log.info(
        "inbox.memory_extracted",
        creator_id=creator_id,
        fan_id=fan_id,
        last_message_id=last_message_id,
        added=len(added),
        method=extraction.method,
    )
    return added
