"""Inbox reads, scoped to one creator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from huntaze.commerce.models import Transaction, TransactionStatus
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.fields import Platform
from huntaze.core.models import Role
from huntaze.core.selectors import creator_get
from huntaze.core.sql import Select, column
from huntaze.core.timeutils import utc_or_invalid
from huntaze.fans.models import Fan, SubscriptionState
from huntaze.inbox.models import Conversation, Direction, Message, Suggestion, SuggestionStatus

CONVERSATION_PAGE_SIZE = 50
MESSAGE_PAGE_SIZE = 30
MAX_SEARCH_LENGTH = 100
MAX_DATABASE_ID = 2**63 - 1  # a foreign-key lookup beyond this overflows the database driver
MAX_OFFSET = 100_000
# The conversation list's order: pinned first, then newest activity, ties by id.
CONVERSATION_ORDER = ("-is_pinned", "-last_message_at", "-id")


# Spend tiers: fixed bands of a fan's total spend, in the creator's currency (cents). Fixed bands
# (not percentiles) so a tier means the same thing across creators and the filter is a plain
# range on `fans.total_spent_cents`.
SPEND_TIERS: dict[str, tuple[int, int | None]] = {
    "none": (0, 0),
    "low": (1, 4_999),
    "mid": (5_000, 24_999),
    "high": (25_000, 99_999),
    "whale": (100_000, None),
}
MAX_UNANSWERED_HOURS = 24 * 90


def spend_tier_of(total_spent_cents: int) -> str:
    for tier, (low, high) in SPEND_TIERS.items():
        if total_spent_cents >= low and (high is None or total_spent_cents <= high):
            return tier
    return "none"


def is_limited_to_assigned(actor: Actor) -> bool:
    """A chatter of a creator who limits chatters to their assigned fans."""
    if actor.role != Role.CHATTER:
        return False
    return creator_get(creator_id=actor.creator_id).chatters_see_assigned_only


def conversations_visible(actor: Actor) -> QuerySet[Conversation]:
    """The conversations `actor` may read or write: all the creator's, or only those assigned
    to a chatter the creator limits. Every inbox read and write starts here."""
    queryset = Conversation.objects.for_creator(actor.creator_id)
    if is_limited_to_assigned(actor):
        queryset = queryset.filter(assigned_to_id=actor.user_id)
    return queryset


def awaiting_reply_q() -> Q:
    """The fan wrote last (the same predicate as the partial index `conv_awaiting_activity`)."""
    return Q(last_inbound_at__isnull=False) & (
        Q(last_outbound_at__isnull=True) | Q(last_inbound_at__gt=F("last_outbound_at"))
    )


def _check_search(search: str) -> str:
    search = (search or "").strip()
    if len(search) > MAX_SEARCH_LENGTH:
        raise ValidationFailed.on_field(
            "search", f"Search with at most {MAX_SEARCH_LENGTH} characters."
        )
    if "\x00" in search:
        raise ValidationFailed.on_field("search", "search contains a NUL character.")
    return search


def _tier_q(tier: str) -> Q:
    if tier not in SPEND_TIERS:
        raise ValidationFailed.on_field("tier", "tier is one of " + ", ".join(SPEND_TIERS) + ".")
    low, high = SPEND_TIERS[tier]
    condition = Q(fan__total_spent_cents__gte=low)
    if high is not None:
        condition &= Q(fan__total_spent_cents__lte=high)
    return condition


def _unanswered_q(hours: int) -> Q:
    if isinstance(hours, bool) or not 0 <= hours <= MAX_UNANSWERED_HOURS:
        raise ValidationFailed.on_field(
            "unanswered_hours", f"unanswered_hours is between 0 and {MAX_UNANSWERED_HOURS}."
        )
    return awaiting_reply_q() & Q(last_inbound_at__lte=timezone.now() - timedelta(hours=hours))


def conversation_list(
    *,
    actor: Actor,
    unread_only: bool = False,
    search: str = "",
    tier: str = "",
    expiring_only: bool = False,
    pinned_only: bool = False,
    assigned_to_me: bool = False,
    unanswered_hours: int | None = None,
) -> QuerySet[Conversation]:
    """The conversations `actor` may see, pinned ones first, then by last activity (newest
    first; ties by id), with their fan. The order is total, so offset pages neither skip nor
    repeat a row across the pinned/unpinned boundary; it follows the indexes
    `conv_creator_pinned_activity` / `conv_assignee_pinned_activity` and the partial ones of
    migration 0003.

    Filters: unread, search on the fan's names, spend `tier` (a key of SPEND_TIERS), the fan's
    subscription expiring, pinned, assigned to the actor, and the fan waiting for an answer
    for at least `unanswered_hours`."""
    queryset = conversations_visible(actor).select_related("fan")
    if unread_only:
        queryset = queryset.filter(unread_count__gt=0)
    search = _check_search(search)
    if search:
        queryset = queryset.filter(
            Q(fan__username__icontains=search) | Q(fan__display_name__icontains=search)
        )
    if tier:
        queryset = queryset.filter(_tier_q(tier))
    if expiring_only:
        queryset = queryset.filter(fan__subscription_state=SubscriptionState.EXPIRING)
    if pinned_only:
        queryset = queryset.filter(is_pinned=True)
    if assigned_to_me:
        queryset = queryset.filter(assigned_to_id=actor.user_id)
    if unanswered_hours is not None:
        queryset = queryset.filter(_unanswered_q(unanswered_hours))
    return queryset.order_by(*CONVERSATION_ORDER)


@dataclass(frozen=True, slots=True)
class RowFan:
    id: int
    username: str
    display_name: str
    total_spent_cents: int
    ltv_cents: int | None
    churn_risk: float | None
    subscription_state: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class RowAssignee:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """What a row of the list shows (`inbox.views.Row`), with the attribute names of a
    Conversation and its fan, so that a row renders from either."""

    id: int
    unread_count: int
    is_pinned: bool
    last_message_preview: str
    last_message_at: datetime | None
    assigned_to_id: int | None
    assigned_to: RowAssignee | None
    fan: RowFan


# Read as plain rows: model instances (a conversation, its fan and its assignee on each of 51
# rows) cost about as much again as the query.
_ROW_VALUES = (
    "id",
    "unread_count",
    "is_pinned",
    "last_message_preview",
    "last_message_at",
    "assigned_to_id",
    "assigned_to__name",
    "assigned_to__email",
    "fan_id",
    "fan__username",
    "fan__display_name",
    "fan__total_spent_cents",
    "fan__ltv_cents",
    "fan__churn_risk",
    "fan__subscription_state",
    "fan__joined_at",
)


def _conversation_row(values: tuple[Any, ...]) -> ConversationRow:
    """A row of `_ROW_VALUES` (its fan columns in RowFan's field order)."""
    (
        conversation_id,
        unread_count,
        is_pinned,
        preview,
        last_message_at,
        assigned_to_id,
        assignee_name,
        assignee_email,
        *fan,
    ) = values
    return ConversationRow(
        id=conversation_id,
        unread_count=unread_count,
        is_pinned=is_pinned,
        last_message_preview=preview,
        last_message_at=last_message_at,
        assigned_to_id=assigned_to_id,
        assigned_to=(
            RowAssignee(name=assignee_name or "", email=assignee_email or "")
            if assigned_to_id is not None
            else None
        ),
        fan=RowFan(*fan),
    )


@dataclass(frozen=True, slots=True)
class ConversationPage:
    items: list[ConversationRow]
    offset: int
    limit: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit


# The list as the inbox opens, with no filter: the same rows, in the same order, as
# `conversation_list().values_list(*_ROW_VALUES)` (a test compares them), without the ORM's
# compile on the page everyone loads first.
_UNFILTERED_ROWS = Select(
    """SELECT c.id, c.unread_count, c.is_pinned, c.last_message_preview, c.last_message_at,
       c.assigned_to_id, u.name, u.email,
       f.id, f.username, f.display_name, f.total_spent_cents, f.ltv_cents, f.churn_risk,
       f.subscription_state, f.joined_at
FROM conversations c
JOIN fans f ON f.id = c.fan_id
LEFT JOIN users u ON u.id = c.assigned_to_id
WHERE c.creator_id = %(creator_id)s
  -- a chatter whose creator limits chatters to their assigned fans (conversations_visible)
  AND (%(assignee_id)s IS NULL OR c.assigned_to_id = %(assignee_id)s)
ORDER BY c.is_pinned DESC, c.last_message_at DESC, c.id DESC
LIMIT %(limit)s OFFSET %(offset)s""",
    [
        None,
        None,
        column(Conversation, "is_pinned"),
        None,
        column(Conversation, "last_message_at"),
        *[None] * 10,
        column(Fan, "joined_at"),
    ],
)


def conversation_page(
    *,
    actor: Actor,
    offset: int = 0,
    limit: int = CONVERSATION_PAGE_SIZE,
    **filters: Any,
) -> ConversationPage:
    """One page of `conversation_list(**filters)` as list rows, in one query (one row more
    tells if there is more)."""
    offset = min(max(0, offset), MAX_OFFSET)
    limit = max(1, min(limit, 200))
    is_filtered = filters.get("unanswered_hours") is not None or any(
        value for name, value in filters.items() if name != "unanswered_hours"
    )
    if is_filtered:
        rows = list(
            conversation_list(actor=actor, **filters).values_list(*_ROW_VALUES)[
                offset : offset + limit + 1
            ]
        )
    else:
        rows = _UNFILTERED_ROWS.rows(
            creator_id=actor.creator_id,
            assignee_id=actor.user_id if is_limited_to_assigned(actor) else None,
            limit=limit + 1,
            offset=offset,
        )
    return ConversationPage(
        items=[_conversation_row(row) for row in rows[:limit]],
        offset=offset,
        limit=limit,
        has_more=len(rows) > limit,
    )


def conversation_get(*, actor: Actor, conversation_id: int) -> Conversation:
    """One conversation `actor` may see; NotFound for another creator's, a missing one, or one
    not assigned to a limited chatter (they all answer alike)."""
    conversation = (
        conversations_visible(actor)
        .select_related("fan", "assigned_to")
        .filter(id=conversation_id)
        .first()
    )
    if conversation is None:
        raise NotFound("No such conversation.")
    return conversation


# The open conversation: what the chat and the context panel show, in one query --------------------


@dataclass(frozen=True, slots=True)
class LastPurchase:
    amount_cents: int
    currency: str
    type: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class PanelFan:
    """The fan as the open conversation shows it, with a Fan's attribute names (the context
    panel renders from either)."""

    id: int
    creator_id: int
    username: str
    display_name: str
    platform: str
    joined_at: datetime
    subscription_state: str
    subscription_expires_at: datetime | None
    total_spent_cents: int
    purchases_count: int
    timezone: str
    tags: list[str]
    ai_memory: list[str]

    def get_platform_display(self) -> str:
        return str(dict(Platform.choices).get(self.platform, self.platform))


@dataclass(frozen=True, slots=True)
class OpenConversation:
    id: int
    unread_count: int
    is_pinned: bool
    assigned_to_id: int | None
    assignee_name: str  # the assignee's name, else e-mail; "" when nobody is assigned
    fan: PanelFan
    last_purchase: LastPurchase | None  # the fan's latest completed transaction


_OPEN_CONVERSATION = Select(
    """SELECT c.id, c.unread_count, c.is_pinned, c.assigned_to_id,
       u.name, u.email,
       f.id, f.creator_id, f.username, f.display_name, f.platform, f.joined_at,
       f.subscription_state, f.subscription_expires_at, f.total_spent_cents,
       f.purchases_count, f.timezone, f.tags, f.ai_memory,
       t.amount_cents, t.currency, t.type, t.occurred_at
FROM conversations c
JOIN fans f ON f.id = c.fan_id AND f.creator_id = c.creator_id
LEFT JOIN users u ON u.id = c.assigned_to_id
LEFT JOIN transactions t ON t.id = (
    SELECT p.id FROM transactions p
    WHERE p.creator_id = c.creator_id AND p.fan_id = c.fan_id
      AND p.status = %(completed)s
    ORDER BY p.occurred_at DESC, p.id DESC
    LIMIT 1)
WHERE c.creator_id = %(creator_id)s AND c.id = %(conversation_id)s
  -- a chatter whose creator limits chatters to their assigned fans (conversations_visible)
  AND (%(assignee_id)s IS NULL OR c.assigned_to_id = %(assignee_id)s)""",
    [
        None,
        None,
        column(Conversation, "is_pinned"),
        *[None] * 8,
        column(Fan, "joined_at"),
        None,
        column(Fan, "subscription_expires_at"),
        None,
        None,
        None,
        column(Fan, "tags"),
        column(Fan, "ai_memory"),
        None,
        None,
        None,
        column(Transaction, "occurred_at"),
    ],
)


def conversation_open(*, actor: Actor, conversation_id: int) -> OpenConversation:
    """The conversation, its fan, its assignee and the fan's last purchase, in one query: what
    opening a conversation shows. NotFound like `conversation_get`."""
    if not 0 < conversation_id <= MAX_DATABASE_ID:
        raise NotFound("No such conversation.")
    row = _OPEN_CONVERSATION.row(
        creator_id=actor.creator_id,
        conversation_id=conversation_id,
        completed=TransactionStatus.COMPLETED,
        assignee_id=actor.user_id if is_limited_to_assigned(actor) else None,
    )
    if row is None:
        raise NotFound("No such conversation.")
    (conversation_id, unread_count, is_pinned, assigned_to_id, name, email, *rest) = row
    fan, purchase = rest[:13], rest[13:]
    return OpenConversation(
        id=conversation_id,
        unread_count=unread_count,
        is_pinned=is_pinned,
        assigned_to_id=assigned_to_id,
        assignee_name=(name or email or "") if assigned_to_id is not None else "",
        fan=PanelFan(*fan),
        last_purchase=LastPurchase(*purchase) if purchase[0] is not None else None,
    )


def conversation_check_access(*, actor: Actor, conversation_id: int) -> None:
    """NotFound unless `actor` may see the conversation (for write entry points)."""
    if not conversations_visible(actor).filter(id=conversation_id).exists():
        raise NotFound("No such conversation.")


def suggestion_check_access(*, actor: Actor, suggestion_id: int) -> None:
    """NotFound unless the suggestion's conversation is one `actor` may see."""
    visible = conversations_visible(actor).values("id")
    found = (
        Suggestion.objects.for_creator(actor.creator_id)
        .filter(id=suggestion_id, message__conversation_id__in=visible)
        .exists()
    )
    if not found:
        raise NotFound("No such suggestion.")


def fan_check_access(*, actor: Actor, fan_id: int) -> None:
    """A limited chatter sees only the fans of the conversations assigned to them."""
    if is_limited_to_assigned(actor) and not (
        conversations_visible(actor).filter(fan_id=fan_id).exists()
    ):
        raise NotFound("No such fan.")


def conversation_exists(*, creator_id: int, conversation_id: int) -> bool:
    return Conversation.objects.for_creator(creator_id).filter(id=conversation_id).exists()


def conversation_visible_to(
    *, creator_id: int, user_id: int, role: str, conversation_id: int
) -> bool:
    """Whether this member may see the conversation (the WebSocket's check)."""
    actor = Actor(creator_id=creator_id, user_id=user_id, role=role)
    return conversations_visible(actor).filter(id=conversation_id).exists()


def message_list(
    *, actor: Actor, conversation_id: int, before: datetime | None = None
) -> QuerySet[Message]:
    conversation_get(actor=actor, conversation_id=conversation_id)
    queryset = Message.objects.for_creator(actor.creator_id).filter(conversation_id=conversation_id)
    if before is not None:
        queryset = queryset.filter(sent_at__lt=utc_or_invalid(before, field="before"))
    return queryset.order_by("-sent_at", "-id")


@dataclass(frozen=True, slots=True)
class Bubble:
    """What a bubble of the chat shows (`inbox.rendering.message_html`), with a Message's
    attribute names."""

    id: int
    direction: str
    status: str
    text: str
    media_ids: list[int]
    price_cents: int | None
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Messages oldest first; `has_older` when there are older ones before the first."""

    items: list[Bubble]
    has_older: bool

    @property
    def oldest_id(self) -> int | None:
        return self.items[0].id if self.items else None


_BUBBLE_COLUMNS = [
    None,
    None,
    None,
    None,
    column(Message, "media_ids"),
    None,
    column(Message, "sent_at"),
]
_LATEST_BUBBLES = Select(
    """SELECT id, direction, status, text, media_ids, price_cents, sent_at
    FROM messages
    WHERE creator_id = %(creator_id)s AND conversation_id = %(conversation_id)s
    ORDER BY sent_at DESC, id DESC
    LIMIT %(limit)s""",
    _BUBBLE_COLUMNS,
)
# The anchor is joined, not passed: its sent_at then compares in the database's own format.
_BUBBLES_BEFORE = Select(
    """SELECT m.id, m.direction, m.status, m.text, m.media_ids, m.price_cents, m.sent_at
    FROM messages m
    JOIN messages a
      ON a.id = %(before_id)s AND a.creator_id = m.creator_id
         AND a.conversation_id = m.conversation_id
    WHERE m.creator_id = %(creator_id)s AND m.conversation_id = %(conversation_id)s
      AND (m.sent_at < a.sent_at OR (m.sent_at = a.sent_at AND m.id < a.id))
    ORDER BY m.sent_at DESC, m.id DESC
    LIMIT %(limit)s""",
    _BUBBLE_COLUMNS,
)


def message_page(
    *,
    actor: Actor,
    conversation_id: int,
    before_message_id: int | None = None,
    limit: int = MESSAGE_PAGE_SIZE,
) -> MessagePage:
    """The latest `limit` messages of a conversation, or those before `before_message_id`
    (history paged backwards by (sent_at, id)), as bubbles. One query (two when there is
    nothing before the anchor: is the anchor there at all?)."""
    limit = max(1, min(limit, 200))
    if before_message_id is None:
        rows = _LATEST_BUBBLES.rows(
            creator_id=actor.creator_id, conversation_id=conversation_id, limit=limit + 1
        )
    else:
        if not 0 < before_message_id <= MAX_DATABASE_ID:
            raise NotFound("No such message.")
        rows = _BUBBLES_BEFORE.rows(
            creator_id=actor.creator_id,
            conversation_id=conversation_id,
            before_id=before_message_id,
            limit=limit + 1,
        )
        if not rows and not (
            Message.objects.for_creator(actor.creator_id)
            .filter(conversation_id=conversation_id, id=before_message_id)
            .exists()
        ):
            raise NotFound("No such message.")
    bubbles = [Bubble(*row) for row in rows[:limit]]
    bubbles.reverse()
    return MessagePage(items=bubbles, has_older=len(rows) > limit)


@dataclass(frozen=True, slots=True)
class PendingSuggestion:
    """A suggestion waiting for the team's answer, with a Suggestion's attribute names."""

    id: int
    message_id: int
    text: str
    source: str
    model: str
    status: str
    final_text: str


_PENDING_SUGGESTIONS = Select(
    """SELECT id, message_id, text, source, model, status, final_text
    FROM suggestions
    WHERE creator_id = %(creator_id)s AND message_id = %(message_id)s AND status = %(status)s
    ORDER BY id""",
    [None] * 7,
)


@dataclass(frozen=True, slots=True)
class PendingSuggestions:
    message_id: int | None
    items: list[PendingSuggestion]


_NOT_IN_THE_THREAD = ("scheduled", "cancelled", "failed")


def _latest_of_page(page: MessagePage) -> tuple[bool, tuple[int, str] | None]:
    """(known, the newest message of the thread) from its latest page, oldest first: not
    known when the page holds only scheduled or failed messages and there are older ones."""
    for message in reversed(page.items):
        if message.status not in _NOT_IN_THE_THREAD:
            return True, (message.id, message.direction)
    return (not page.has_older), None


def suggestions_pending(
    *, actor: Actor, conversation_id: int, latest_page: MessagePage | None = None
) -> PendingSuggestions:
    """The pending suggestions for the conversation's latest message, when it is the fan's.
    `latest_page`: the conversation's latest `message_page`, when the caller has it (the
    newest message is then read from it instead of queried)."""
    known, latest = _latest_of_page(latest_page) if latest_page is not None else (False, None)
    if not known:
        latest = (
            Message.objects.for_creator(actor.creator_id)
            .filter(conversation_id=conversation_id)
            .exclude(status__in=_NOT_IN_THE_THREAD)
            .order_by("-sent_at", "-id")
            .values_list("id", "direction")
            .first()
        )
    if latest is None or latest[1] != Direction.INBOUND:
        return PendingSuggestions(message_id=None, items=[])
    items = [
        PendingSuggestion(*row)
        for row in _PENDING_SUGGESTIONS.rows(
            creator_id=actor.creator_id, message_id=latest[0], status=SuggestionStatus.PENDING
        )
    ]
    return PendingSuggestions(message_id=latest[0], items=items)


def suggestion_list(*, actor: Actor, message_id: int) -> list[Suggestion]:
    """The suggestions of one of the actor's messages; NotFound for any other id (another
    creator's message answers like a missing one)."""
    visible = conversations_visible(actor).values("id")
    found = (
        Message.objects.for_creator(actor.creator_id)
        .filter(id=message_id, conversation_id__in=visible)
        .exists()
    )
    if not found:
        raise NotFound("No such message.")
    return list(
        Suggestion.objects.for_creator(actor.creator_id)
        .filter(message_id=message_id)
        .order_by("id")
    )
