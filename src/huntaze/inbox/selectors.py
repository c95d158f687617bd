"""Inbox reads, scoped to one creator."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound
from huntaze.inbox.models import Conversation, Message


def conversation_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Conversation]:
    queryset = Conversation.objects.for_creator(actor.creator_id).select_related("fan")
    if unread_only:
        queryset = queryset.filter(unread_count__gt=0)
    return queryset.order_by("-last_message_at", "-id")


def conversation_get(*, actor: Actor, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.for_creator(actor.creator_id)
        .select_related("fan")
        .filter(id=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


def message_list(
    *, actor: Actor, conversation_id: int, before: datetime | None = None
) -> QuerySet[Message]:
    conversation_get(actor=actor, conversation_id=conversation_id)
    queryset = Message.objects.for_creator(actor.creator_id).filter(conversation_id=conversation_id)
    if before is not None:
        queryset = queryset.filter(sent_at__lt=before)
    return queryset.order_by("-sent_at", "-id")
