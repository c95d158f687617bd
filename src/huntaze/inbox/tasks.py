"""Inbox tasks. They take ids, call one service, and are idempotent."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task

from huntaze.core.errors import UpstreamUnavailable
from huntaze.inbox.services import scheduled_messages_send_due, suggestions_generate_for_message
from huntaze.inbox.services_memory import fan_memory_extract

_log = structlog.get_logger(__name__)

SUGGESTION_MAX_RETRIES = 3
MEMORY_MAX_RETRIES = 3
# Fan messages often come in bursts: the memory is read once the fan paused this long.
MEMORY_DEBOUNCE_S = 20
# Task routes live in settings; the AI work is sent to its queue by name at enqueue time too.
AI_QUEUE = "ai"


def suggestions_enqueue(*, creator_id: int, message_id: int) -> None:
    """Reply suggestions for a fan message, then (debounced) the AI memory of its fan."""
    suggestions_generate.apply_async(
        kwargs={"creator_id": creator_id, "message_id": message_id}, queue=AI_QUEUE
    )
    memory_extract_enqueue(creator_id=creator_id, message_id=message_id)


def memory_extract_enqueue(*, creator_id: int, message_id: int) -> None:
    """In MEMORY_DEBOUNCE_S (now when tasks run in-process): the run of the conversation's
    latest fan message reads all the messages since the last run; earlier runs do nothing."""
    memory_extract.apply_async(
        kwargs={"creator_id": creator_id, "message_id": message_id},
        queue=AI_QUEUE,
        countdown=MEMORY_DEBOUNCE_S,
    )


@shared_task(
    bind=True,
    name="huntaze.inbox.tasks.suggestions_generate",
    max_retries=SUGGESTION_MAX_RETRIES,
    acks_late=True,
)
def suggestions_generate(self: Any, *, creator_id: int, message_id: int) -> int:
    """Reply suggestions for one fan message (3, pushed as `suggestion.created`). Retried with
    backoff while the AI router is unavailable; a rerun stores nothing twice."""
    try:
        return len(suggestions_generate_for_message(creator_id=creator_id, message_id=message_id))
    except UpstreamUnavailable as error:
        if self.request.is_eager or self.request.retries >= SUGGESTION_MAX_RETRIES:
            _log.warning(
                "inbox.suggestions_unavailable",
                creator_id=creator_id,
                message_id=message_id,
                error=error.message,
            )
            return 0
        raise self.retry(
            exc=error, countdown=2 ** (self.request.retries + 1), queue=AI_QUEUE
        ) from error


@shared_task(
    bind=True,
    name="huntaze.inbox.tasks.memory_extract",
    max_retries=MEMORY_MAX_RETRIES,
    acks_late=True,
)
def memory_extract(self: Any, *, creator_id: int, message_id: int) -> int:
    """Facts about the fan from their latest messages, merged into the fan's AI memory (pushed
    as `fan.updated`). Retried with backoff while the AI router is unavailable."""
    try:
        return len(fan_memory_extract(creator_id=creator_id, message_id=message_id))
    except UpstreamUnavailable as error:
        if self.request.is_eager or self.request.retries >= MEMORY_MAX_RETRIES:
            _log.warning(
                "inbox.memory_unavailable",
                creator_id=creator_id,
                message_id=message_id,
                error=error.message,
            )
            return 0
        raise self.retry(
            exc=error, countdown=2 ** (self.request.retries + 1), queue=AI_QUEUE
        ) from error


@shared_task(name="huntaze.inbox.tasks.scheduled_messages_send")
def scheduled_messages_send() -> dict[str, int]:
    """Send the scheduled messages that are due (run every minute by beat or cron)."""
    return {"sent": scheduled_messages_send_due()}
