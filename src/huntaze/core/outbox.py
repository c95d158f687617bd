"""The transactional outbox: events written with the change that caused them
(`core.services.outbox_add`), delivered afterwards to registered handlers, at least once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog
from django.db import transaction
from django.utils import timezone

from huntaze.core.models import OutboxEvent

Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = {}
_log = structlog.get_logger("huntaze.outbox")
MAX_ATTEMPTS = 10


def register_handler(event_type: str, handler: Handler) -> None:
    """Apps register their handlers in AppConfig.ready()."""
    _handlers.setdefault(event_type, []).append(handler)


def outbox_dispatch(*, batch_size: int = 500) -> dict[str, Any]:
    """Deliver unsent events oldest first. An event whose handler fails stays unsent and is
    retried next run, up to MAX_ATTEMPTS; the others go on."""
    delivered = failed = 0
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .order_by("created_at", "id")[:batch_size]
        )
        for event in events:
            try:
                with transaction.atomic():  # a savepoint: a failed handler undoes only itself
                    for handler in _handlers.get(event.event_type, []):
                        handler(event)
            except Exception:  # noqa: BLE001 - a handler failure must not stop the batch
                _log.exception(
                    "outbox.handler_failed", event_id=event.id, event_type=event.event_type
                )
                event.attempts += 1
                event.save(update_fields=["attempts"])
                failed += 1
                continue
            event.sent_at = timezone.now()
            event.attempts += 1
            event.save(update_fields=["sent_at", "attempts"])
            delivered += 1
    return {"delivered": delivered, "failed": failed}
