"""Inbox reads, scoped to one creator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from huntaze.commerce.selectors import transaction_list
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.inbox.models import Conversation, Direction, Message, Suggestion, SuggestionStatus

CONVERSATION_PAGE_SIZE = 50
MESSAGE_PAGE_SIZE = 30
MAX_SEARCH_LENGTH = 100
MAX_DATABASE_ID = 2**63 - 1  # a foreign-key lookup beyond this overflows the database driver
MAX_OFFSET = 100_000


def conversation_list(
    *, actor: Actor, unread_only: bool = False, search: str = ""
) -> QuerySet[Conversation]:
    """The creator's conversations by last activity (newest first), with their fan."""
    queryset = Conversation.objects.for_creator(actor.creator_id).select_related("fan")
    if unread_only:
        queryset = queryset.filter(unread_count__gt=0)
    search = (search or "").strip()
    if len(search) > MAX_SEARCH_LENGTH:
        raise ValidationFailed.on_field(
            "search", f"Search with at most {MAX_SEARCH_LENGTH} characters."
        )
    if "\x00" in search:
        raise ValidationFailed.on_field("search", "search contains a NUL character.")
    if search:
        queryset = queryset.filter(
            Q(fan__username__icontains=search) | Q(fan__display_name__icontains=search)
        )
    return queryset.order_by("-last_message_at", "-id")


@dataclass(frozen=True, slots=True)
class ConversationPage:
    items: list[Conversation]
    offset: int
    limit: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit


def conversation_page(
    *,
    actor: Actor,
    unread_only: bool = False,
    search: str = "",
    offset: int = 0,
    limit: int = CONVERSATION_PAGE_SIZE,
) -> ConversationPage:
    """One page of `conversation_list`, in one query (one row more tells if there is more)."""
    offset = min(max(0, offset), MAX_OFFSET)
    limit = max(1, min(limit, 200))
    rows = list(
        conversation_list(actor=actor, unread_only=unread_only, search=search)[
            offset : offset + limit + 1
        ]
    )
    return ConversationPage(
        items=rows[:limit], offset=offset, limit=limit, has_more=len(rows) > limit
    )


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


def conversation_exists(*, creator_id: int, conversation_id: int) -> bool:
    return Conversation.objects.for_creator(creator_id).filter(id=conversation_id).exists()


def message_list(
    *, actor: Actor, conversation_id: int, before: datetime | None = None
) -> QuerySet[Message]:
    conversation_get(actor=actor, conversation_id=conversation_id)
    queryset = Message.objects.for_creator(actor.creator_id).filter(conversation_id=conversation_id)
    if before is not None:
        try:
            if timezone.is_naive(before):
                before = timezone.make_aware(before, UTC)
            before.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationFailed.on_field("before", "before is out of range.") from None
        queryset = queryset.filter(sent_at__lt=before)
    return queryset.order_by("-sent_at", "-id")


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Messages oldest first; `has_older` when there are older ones before the first."""

    items: list[Message]
    has_older: bool

    @property
    def oldest_id(self) -> int | None:
        return self.items[0].id if self.items else None


def message_page(
    *,
    actor: Actor,
    conversation_id: int,
    before_message_id: int | None = None,
    limit: int = MESSAGE_PAGE_SIZE,
) -> MessagePage:
    """The latest `limit` messages of a conversation, or those before `before_message_id`
    (history paged backwards by (sent_at, id))."""
    limit = max(1, min(limit, 200))
    queryset = Message.objects.for_creator(actor.creator_id).filter(conversation_id=conversation_id)
    if before_message_id is not None:
        anchor = queryset.filter(id=before_message_id).values_list("sent_at", flat=True).first()
        if anchor is None:
            raise NotFound("No such message.")
        queryset = queryset.filter(
            Q(sent_at__lt=anchor) | Q(sent_at=anchor, id__lt=before_message_id)
        )
    rows = list(queryset.order_by("-sent_at", "-id")[: limit + 1])
    return MessagePage(items=list(reversed(rows[:limit])), has_older=len(rows) > limit)


@dataclass(frozen=True, slots=True)
class PendingSuggestions:
    message_id: int | None
    items: list[Suggestion]


def suggestions_pending(*, actor: Actor, conversation_id: int) -> PendingSuggestions:
    """The pending suggestions for the conversation's latest message, when it is the fan's."""
    latest = (
        Message.objects.for_creator(actor.creator_id)
        .filter(conversation_id=conversation_id)
        .exclude(status__in=("scheduled", "cancelled", "failed"))
        .order_by("-sent_at", "-id")
        .values_list("id", "direction")
        .first()
    )
    if latest is None or latest[1] != Direction.INBOUND:
        return PendingSuggestions(message_id=None, items=[])
    items = list(
        Suggestion.objects.for_creator(actor.creator_id)
        .filter(message_id=latest[0], status=SuggestionStatus.PENDING)
        .order_by("id")
    )
    return PendingSuggestions(message_id=latest[0], items=items)


def suggestion_list(*, actor: Actor, message_id: int) -> list[Suggestion]:
    """The suggestions of one of the actor's messages; NotFound for any other id (another
    creator's message answers like a missing one)."""
    if not Message.objects.for_creator(actor.creator_id).filter(id=message_id).exists():
        raise NotFound("No such message.")
    return list(
        Suggestion.objects.for_creator(actor.creator_id)
        .filter(message_id=message_id)
        .order_by("id")
    )


@dataclass(frozen=True, slots=True)
class LastPurchase:
    amount_cents: int
    currency: str
    type: str
    occurred_at: datetime


def fan_last_purchase(*, actor: Actor, fan_id: int) -> LastPurchase | None:
    row = (
        transaction_list(creator_id=actor.creator_id)
        .filter(fan_id=fan_id, status="completed")
        .values("amount_cents", "currency", "type", "occurred_at")
        .first()
    )
    if row is None:
        return None
    return LastPurchase(
        amount_cents=row["amount_cents"],
        currency=row["currency"],
        type=row["type"],
        occurred_at=row["occurred_at"],
    )
