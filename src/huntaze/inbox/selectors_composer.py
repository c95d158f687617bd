"""Composer reads: the PPV messages of a conversation, bought or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from huntaze.commerce.selectors_ppv import ppv_purchases_of_fan
from huntaze.core.context import Actor
from huntaze.inbox.models import Message
from huntaze.inbox.selectors import conversation_get

MAX_PPV_STATES = 500


@dataclass(frozen=True, slots=True)
class PPVMessageState:
    message_id: int
    ppv_item_id: int
    price_cents: int
    is_bought: bool
    bought_at: datetime | None


def ppv_message_states(*, actor: Actor, conversation_id: int) -> list[PPVMessageState]:
    """The conversation's latest PPV messages (up to 500), each bought or not (NotFound for a
    conversation the actor may not see)."""
    conversation = conversation_get(actor=actor, conversation_id=conversation_id)
    rows = list(
        Message.objects.for_creator(actor.creator_id)
        .filter(conversation_id=conversation.id, ppv_item_id__isnull=False)
        .order_by("-sent_at", "-id")
        .values_list("id", "ppv_item_id", "price_cents")[:MAX_PPV_STATES]
    )
    bought = ppv_purchases_of_fan(creator_id=actor.creator_id, fan_id=conversation.fan_id)
    return [
        PPVMessageState(
            message_id=message_id,
            ppv_item_id=ppv_item_id,
            price_cents=price_cents,
            is_bought=ppv_item_id in bought,
            bought_at=bought.get(ppv_item_id),
        )
        for message_id, ppv_item_id, price_cents in reversed(rows)
    ]
