"""Inbox API: conversations and their messages."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from huntaze.core.api_utils import ErrorOut, actor_of, page, page_bounds
from huntaze.inbox.selectors import conversation_get, conversation_list, message_list

router = Router(tags=["inbox"])


class ConversationFanOut(Schema):
    id: int
    username: str
    display_name: str
    total_spent_cents: int
    subscription_state: str


class ConversationOut(Schema):
    id: int
    fan: ConversationFanOut
    platform: str
    last_message_at: datetime | None
    last_message_preview: str
    unread_count: int
    is_pinned: bool
    assigned_to_id: int | None


class ConversationPage(Schema):
    items: list[ConversationOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class ConversationFilters(Schema):
    unread_only: bool = False
    limit: int = 50
    offset: int = 0


class MessageOut(Schema):
    id: int
    conversation_id: int
    direction: str
    sender_id: int | None
    text: str
    media_ids: list[int]
    price_cents: int
    status: str
    sent_at: datetime
    read_at: datetime | None


class MessagePage(Schema):
    items: list[MessageOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class MessageFilters(Schema):
    before: datetime | None = None
    limit: int = 50


@router.get("/conversations", response={200: ConversationPage, 401: ErrorOut, 422: ErrorOut})
def list_conversations(
    request: HttpRequest, filters: Query[ConversationFilters]
) -> dict[str, object]:
    limit, offset = page_bounds(filters.limit, filters.offset)
    queryset = conversation_list(actor=actor_of(request), unread_only=filters.unread_only)
    return page(list(queryset[offset : offset + limit + 1]), limit=limit, offset=offset)


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, 401: ErrorOut, 404: ErrorOut},
)
def get_conversation(request: HttpRequest, conversation_id: int) -> object:
    return conversation_get(actor=actor_of(request), conversation_id=conversation_id)


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: MessagePage, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def list_messages(
    request: HttpRequest, conversation_id: int, filters: Query[MessageFilters]
) -> dict[str, object]:
    limit, _offset = page_bounds(filters.limit, 0)
    queryset = message_list(
        actor=actor_of(request), conversation_id=conversation_id, before=filters.before
    )
    return page(list(queryset[: limit + 1]), limit=limit, offset=0)
