"""Core periodic tasks."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from huntaze.core.outbox import outbox_dispatch as _outbox_dispatch


@shared_task(name="huntaze.core.tasks.outbox_dispatch")
def outbox_dispatch() -> dict[str, Any]:
    return _outbox_dispatch()
