"""Fixtures of the inbox tests: team members by role, signed-in clients, ingestion payloads
(the recorder of live events, `events`, is in tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from huntaze.core.context import Actor


@pytest.fixture
def actor_a(creator_a, owner_a):
    return Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")


@pytest.fixture
def actor_b(creator_b, owner_b):
    return Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner")


def message_item(
    number: int,
    *,
    fan: str = "fan-1",
    direction: str = "in",
    text: str | None = None,
    sent_at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    moment = sent_at or timezone.now() - timedelta(minutes=60 - number)
    return {
        "platform_message_id": f"m-{number}",
        "fan": {"platform_fan_id": fan, "username": f"user_{fan}", "display_name": f"Name {fan}"},
        "direction": direction,
        "text": text if text is not None else f"message number {number}",
        "sent_at": moment.isoformat(),
        **extra,
    }


def purchase_item(
    number: int,
    *,
    fan: str = "fan-1",
    amount_cents: int = 1500,
    occurred_at: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    moment = occurred_at or timezone.now() - timedelta(hours=5 - number)
    return {
        "platform_transaction_id": f"t-{number}",
        "fan": {"platform_fan_id": fan, "username": f"user_{fan}"},
        "type": "tip",
        "amount_cents": amount_cents,
        "occurred_at": moment.isoformat(),
        **extra,
    }
