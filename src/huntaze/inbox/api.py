"""Inbox API: conversations, messages, sending, reply suggestions, and ingestion from
platform connectors and imports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from huntaze.core.api_utils import ErrorOut, actor_of, page_bounds, values_page
from huntaze.core.errors import ValidationFailed
from huntaze.core.fields import Platform
from huntaze.inbox.selectors import (
    MAX_OFFSET,
    conversation_check_access,
    conversation_get,
    conversation_list,
    message_list,
    suggestion_check_access,
    suggestion_list,
    suggestions_pending,
)
from huntaze.inbox.services import (
    MAX_BATCH_SIZE,
    FanIdentity,
    IncomingMessage,
    IncomingPurchase,
    IngestResult,
    conversation_mark_read,
    message_send,
    messages_ingest,
    purchases_ingest,
    suggestion_review,
    suggestions_request,
)

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
    search: str = ""
    tier: str = Field("", description="Spend tier: none, low, mid, high or whale.")
    expiring_only: bool = False
    pinned_only: bool = False
    assigned_to_me: bool = False
    unanswered_hours: int | None = Field(None, description="The fan waits for N hours or more.")
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
    scheduled_for: datetime | None
    cancel_if_fan_replies: bool


class MessagePage(Schema):
    items: list[MessageOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class MessageFilters(Schema):
    before: datetime | None = None
    limit: int = 50


class MessageSendIn(Schema):
    text: str = Field("", max_length=10_000)
    media_ids: list[int] = Field(default_factory=list, max_length=20)
    scheduled_for: datetime | None = None
    cancel_if_fan_replies: bool = False
    suggestion_id: int | None = None


class SuggestionOut(Schema):
    id: int
    message_id: int
    text: str
    source: str
    model: str
    status: str
    final_text: str


class PendingSuggestionsOut(Schema):
    message_id: int | None
    items: list[SuggestionOut]


class SuggestionEditIn(Schema):
    final_text: str = Field(..., max_length=10_000)


# Ingestion --------------------------------------------------------------------------------------


class FanIn(Schema):
    platform_fan_id: str = Field(..., max_length=64)
    username: str = Field("", max_length=120)
    display_name: str = Field("", max_length=120)
    joined_at: datetime | None = None
    timezone: str = Field("", max_length=64)


class IngestMessageIn(Schema):
    platform_message_id: str = Field(..., max_length=64)
    platform: str = Platform.ONLYFANS.value
    fan: FanIn
    direction: str = Field(..., description="'in' from the fan, 'out' to the fan")
    text: str = Field("", max_length=10_000)
    sent_at: datetime
    price_cents: int = Field(0, ge=0, le=1_000_000)
    read_at: datetime | None = None


class IngestMessagesIn(Schema):
    items: Annotated[list[IngestMessageIn], Field(min_length=1, max_length=MAX_BATCH_SIZE)]
    suggest: bool = Field(True, description="Ask for reply suggestions for recent fan messages.")


class IngestPurchaseIn(Schema):
    platform_transaction_id: str = Field(..., max_length=64)
    platform: str = Platform.ONLYFANS.value
    fan: FanIn
    type: str = Field(..., description="subscription, tip, ppv or offer")
    amount_cents: int = Field(..., ge=1, le=10_000_000)
    currency: str = Field("USD", min_length=3, max_length=3)
    status: str = "completed"
    occurred_at: datetime
    platform_message_id: str = Field(
        "", max_length=64, description="For a PPV: the platform id of the message it unlocked."
    )


class IngestPurchasesIn(Schema):
    items: Annotated[list[IngestPurchaseIn], Field(min_length=1, max_length=MAX_BATCH_SIZE)]


class IngestItemOut(Schema):
    index: int
    status: str = Field(..., description="created, duplicate (a replay: the stored ids) or failed")
    id: int | None
    conversation_id: int | None
    fan_id: int | None
    error: ErrorOut | None


class IngestBatchOut(Schema):
    created: int
    duplicates: int
    failed: int
    items: list[IngestItemOut]


def _fan(fan: FanIn) -> FanIdentity:
    return FanIdentity(
        platform_fan_id=fan.platform_fan_id,
        username=fan.username,
        display_name=fan.display_name,
        joined_at=fan.joined_at,
        timezone=fan.timezone,
    )


def _batch(results: list[IngestResult]) -> dict[str, object]:
    return {
        "created": sum(1 for r in results if r.status == "created"),
        "duplicates": sum(1 for r in results if r.status == "duplicate"),
        "failed": sum(1 for r in results if r.status == "failed"),
        "items": results,
    }


# Routes -----------------------------------------------------------------------------------------


@router.get("/conversations", response={200: ConversationPage, 401: ErrorOut, 422: ErrorOut})
def list_conversations(request: HttpRequest, filters: Query[ConversationFilters]) -> HttpResponse:
    limit, offset = page_bounds(filters.limit, filters.offset)
    if offset > MAX_OFFSET:
        raise ValidationFailed.on_field("offset", f"offset is at most {MAX_OFFSET}.")
    queryset = conversation_list(
        actor=actor_of(request),
        unread_only=filters.unread_only,
        search=filters.search,
        tier=filters.tier,
        expiring_only=filters.expiring_only,
        pinned_only=filters.pinned_only,
        assigned_to_me=filters.assigned_to_me,
        unanswered_hours=filters.unanswered_hours,
    )
    return values_page(queryset, ConversationOut, limit=limit, offset=offset)


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
) -> HttpResponse:
    limit, _offset = page_bounds(filters.limit, 0)
    queryset = message_list(
        actor=actor_of(request), conversation_id=conversation_id, before=filters.before
    )
    return values_page(queryset, MessageOut, limit=limit, offset=0)


@router.post(
    "/conversations/{conversation_id}/messages",
    response={
        201: MessageOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def send_message(
    request: HttpRequest, conversation_id: int, payload: MessageSendIn
) -> Status[object]:
    """Send a message to the conversation's fan (or schedule it with `scheduled_for`). Media
    come from the creator's vault. With `suggestion_id`, the suggestion it came from is
    recorded as accepted or edited."""
    message = message_send(
        actor=actor_of(request),
        conversation_id=conversation_id,
        text=payload.text,
        media_ids=payload.media_ids,
        scheduled_for=payload.scheduled_for,
        cancel_if_fan_replies=payload.cancel_if_fan_replies,
        suggestion_id=payload.suggestion_id,
    )
    return Status(201, message)


@router.post(
    "/conversations/{conversation_id}/read",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def mark_read(request: HttpRequest, conversation_id: int) -> Status[None]:
    conversation_check_access(actor=actor_of(request), conversation_id=conversation_id)
    conversation_mark_read(actor=actor_of(request), conversation_id=conversation_id)
    return Status(204, None)


@router.get(
    "/conversations/{conversation_id}/suggestions",
    response={200: PendingSuggestionsOut, 401: ErrorOut, 404: ErrorOut},
)
def pending_suggestions(request: HttpRequest, conversation_id: int) -> object:
    """The pending reply suggestions for the conversation's latest fan message."""
    actor = actor_of(request)
    conversation_get(actor=actor, conversation_id=conversation_id)
    return suggestions_pending(actor=actor, conversation_id=conversation_id)


class SuggestionRequestOut(Schema):
    message_id: int


@router.post(
    "/conversations/{conversation_id}/suggestions",
    response={
        202: SuggestionRequestOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
)
def request_suggestions(request: HttpRequest, conversation_id: int) -> Status[object]:
    """Ask for reply suggestions for the fan's latest message (when it has none yet); they
    arrive over the WebSocket as `suggestion.created`."""
    conversation_check_access(actor=actor_of(request), conversation_id=conversation_id)
    message_id = suggestions_request(actor=actor_of(request), conversation_id=conversation_id)
    return Status(202, {"message_id": message_id})


@router.get(
    "/messages/{message_id}/suggestions",
    response={200: list[SuggestionOut], 401: ErrorOut, 404: ErrorOut},
)
def message_suggestions(request: HttpRequest, message_id: int) -> object:
    return suggestion_list(actor=actor_of(request), message_id=message_id)


SUGGESTION_REVIEW_RESPONSES = {
    200: SuggestionOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.post(
    "/suggestions/{suggestion_id}/accept",
    response=SUGGESTION_REVIEW_RESPONSES,
)
def accept_suggestion(request: HttpRequest, suggestion_id: int) -> object:
    suggestion_check_access(actor=actor_of(request), suggestion_id=suggestion_id)
    return suggestion_review(
        actor=actor_of(request), suggestion_id=suggestion_id, status="accepted"
    )


@router.post(
    "/suggestions/{suggestion_id}/edit",
    response=SUGGESTION_REVIEW_RESPONSES,
)
def edit_suggestion(request: HttpRequest, suggestion_id: int, payload: SuggestionEditIn) -> object:
    suggestion_check_access(actor=actor_of(request), suggestion_id=suggestion_id)
    return suggestion_review(
        actor=actor_of(request),
        suggestion_id=suggestion_id,
        status="edited",
        final_text=payload.final_text,
    )


@router.post(
    "/suggestions/{suggestion_id}/reject",
    response=SUGGESTION_REVIEW_RESPONSES,
)
def reject_suggestion(request: HttpRequest, suggestion_id: int) -> object:
    suggestion_check_access(actor=actor_of(request), suggestion_id=suggestion_id)
    return suggestion_review(
        actor=actor_of(request), suggestion_id=suggestion_id, status="rejected"
    )


@router.post(
    "/ingest/messages",
    response={200: IngestBatchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def ingest_messages(request: HttpRequest, payload: IngestMessagesIn) -> dict[str, object]:
    """Store up to 500 messages from a platform connector or an import. Idempotent by
    `platform_message_id`: a replayed item answers `duplicate` with the ids stored the first
    time. Each item is stored whole or not at all; its result says which."""
    results = messages_ingest(
        actor=actor_of(request),
        items=[
            IncomingMessage(
                platform_message_id=item.platform_message_id,
                platform=item.platform,
                fan=_fan(item.fan),
                direction=item.direction,
                text=item.text,
                sent_at=item.sent_at,
                price_cents=item.price_cents,
                read_at=item.read_at,
            )
            for item in payload.items
        ],
        suggest=payload.suggest,
    )
    return _batch(results)


@router.post(
    "/ingest/purchases",
    response={200: IngestBatchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def ingest_purchases(request: HttpRequest, payload: IngestPurchasesIn) -> dict[str, object]:
    """Store up to 500 purchases (tips, PPV, subscriptions, offers). Idempotent by
    `platform_transaction_id`; a completed purchase adds to the fan's spend."""
    results = purchases_ingest(
        actor=actor_of(request),
        items=[
            IncomingPurchase(
                platform_transaction_id=item.platform_transaction_id,
                platform=item.platform,
                fan=_fan(item.fan),
                type=item.type,
                amount_cents=item.amount_cents,
                currency=item.currency,
                status=item.status,
                occurred_at=item.occurred_at,
                platform_message_id=item.platform_message_id,
            )
            for item in payload.items
        ],
    )
    return _batch(results)
