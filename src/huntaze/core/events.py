"""Live events to the connected members of a creator, sent once the transaction commits."""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

PUBLISH_TIMEOUT_S = 5.0

_publisher_loop: asyncio.AbstractEventLoop | None = None
_publisher_pid = 0
_publisher_lock = threading.Lock()


def _publisher() -> asyncio.AbstractEventLoop:
    """An event loop of its own, in a daemon thread, for processes that have none (Celery
    workers, commands): `async_to_sync` there would make a new loop, and so a new Redis
    connection, for every event. One per process (a forked worker makes its own)."""
    global _publisher_loop, _publisher_pid
    with _publisher_lock:
        if _publisher_loop is None or _publisher_pid != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="huntaze-events", daemon=True).start()
            _publisher_loop, _publisher_pid = loop, os.getpid()
        return _publisher_loop


def creator_group(creator_id: int) -> str:
    return f"creator.{creator_id}"


def broadcast_now(*, creator_id: int, event_type: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    group = creator_group(creator_id)
    message = {"type": "creator.event", "event": event_type, "payload": payload}
    in_server = getattr(SyncToAsync.threadlocal, "main_event_loop", None) is not None
    if in_server or isinstance(layer, InMemoryChannelLayer):
        # A request's thread: the server's own loop (and its pooled connections) sends it.
        async_to_sync(layer.group_send)(group, message)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), _publisher())
    future.result(timeout=PUBLISH_TIMEOUT_S)


def broadcast_on_commit(*, creator_id: int, event_type: str, payload: dict[str, Any]) -> None:
    transaction.on_commit(
        lambda: broadcast_now(creator_id=creator_id, event_type=event_type, payload=payload)
    )
