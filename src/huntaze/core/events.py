"""Live events to the connected members of a creator, sent once the transaction commits."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def creator_group(creator_id: int) -> str:
    return f"creator.{creator_id}"


def broadcast_now(*, creator_id: int, event_type: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        creator_group(creator_id),
        {"type": "creator.event", "event": event_type, "payload": payload},
    )


def broadcast_on_commit(*, creator_id: int, event_type: str, payload: dict[str, Any]) -> None:
    transaction.on_commit(
        lambda: broadcast_now(creator_id=creator_id, event_type=event_type, payload=payload)
    )
