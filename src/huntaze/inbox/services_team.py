"""Inbox team writes: assigning conversations to chatters, splitting the inbox among them,
pinning, the creator's "chatters see their assigned fans only" switch, and `user_stats`
(kept on write, and recomputed by a periodic job).

user_stats, per member of a workspace:
- `messages_sent`: messages they sent (added by `message_send` when a message goes out);
- `revenue_cents`: what fans paid for the PPV messages they sent (`user_stats_record_ppv_purchase`);
- `active_chats`: conversations assigned to them (recounted whenever an assignment changes);
- `response_rate`: over the last RESPONSE_WINDOW, the share of fan turns (a fan message after
  the team last wrote) in conversations assigned to them that got a team reply (job only).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from huntaze.commerce.models import PPVPurchase
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.models import Creator
from huntaze.core.permissions import Permission, role_has
from huntaze.core.selectors import team_members
from huntaze.core.services import audit_log_add, creator_cache_forget
from huntaze.inbox.events import ConversationAssigned, publish_on_commit
from huntaze.inbox.models import Conversation, DeliveryStatus, Direction, Message, UserStats
from huntaze.inbox.selectors import conversations_visible

SplitScope = Literal["unassigned", "all"]
SplitStrategy = Literal["round_robin", "load"]
SPLIT_CHUNK = 500
MAX_SPLIT_EVENTS = 200  # beyond this, one event per conversation would flood the sockets
MAX_SPLIT_CHATTERS = 50
RESPONSE_WINDOW = timedelta(days=30)
COUNTED_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)


# Members who can take conversations -------------------------------------------------------------


def assignable_members(*, creator_id: int) -> dict[int, str]:
    """user id -> name of the members whose role may message fans."""
    return {
        m.user_id: m.user.name or m.user.email
        for m in team_members(creator_id=creator_id)
        if role_has(m.role, Permission.MESSAGE)
    }


def _check_assignee(*, creator_id: int, user_id: int, field_name: str) -> str:
    members = assignable_members(creator_id=creator_id)
    if isinstance(user_id, bool) or user_id not in members:
        raise ValidationFailed.on_field(
            field_name, "Choose a member of this workspace whose role may message fans."
        )
    return members[user_id]


# user_stats -------------------------------------------------------------------------------------


def _user_stats_write(*, creator_id: int, user_id: int, **values: object) -> None:
    """Set (or F()-increment) columns of a member's user_stats row, created on first use."""
    rows = UserStats.objects.for_creator(creator_id).filter(user_id=user_id)
    if rows.update(**values):
        return
    try:
        with transaction.atomic():
            UserStats.objects.create(creator_id=creator_id, user_id=user_id)
    except IntegrityError:
        pass
    rows.update(**values)


def user_stats_refresh_active_chats(*, creator_id: int, user_ids: Iterable[int | None]) -> None:
    """Recount `active_chats` (conversations assigned) of these members."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return
    counts = dict(
        Conversation.objects.for_creator(creator_id)
        .filter(assigned_to_id__in=wanted)
        .values("assigned_to_id")
        .annotate(total=Count("id"))
        .values_list("assigned_to_id", "total")
    )
    for user_id in sorted(wanted):
        _user_stats_write(
            creator_id=creator_id, user_id=user_id, active_chats=counts.get(user_id, 0)
        )


def user_stats_record_ppv_purchase(*, creator_id: int, message_id: int, price_cents: int) -> None:
    """A fan bought the PPV of `message_id`: its sender's revenue grows by `price_cents`.

    Called in the transaction that stores the purchase (commerce's PPV purchase service)."""
    sender_id = (
        Message.objects.for_creator(creator_id)
        .filter(id=message_id)
        .values_list("sender_id", flat=True)
        .first()
    )
    if sender_id is None or price_cents <= 0:
        return
    _user_stats_write(
        creator_id=creator_id, user_id=sender_id, revenue_cents=F("revenue_cents") + price_cents
    )


def _response_rates(*, creator_id: int, since: datetime) -> dict[int, float]:
    """assignee id -> answered fan turns / fan turns since `since`, in their conversations."""
    assignees = dict(
        Conversation.objects.for_creator(creator_id)
        .filter(assigned_to_id__isnull=False)
        .values_list("id", "assigned_to_id")
    )
    turns: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    rows = (
        Message.objects.for_creator(creator_id)
        .filter(sent_at__gte=since, status__in=COUNTED_STATUSES, conversation_id__in=assignees)
        .order_by("conversation_id", "sent_at", "id")
        .values_list("conversation_id", "direction")
    )
    current, is_waiting = None, False
    for conversation_id, direction in rows.iterator(chunk_size=2000):
        if conversation_id != current:
            current, is_waiting = conversation_id, False
        user_id = assignees[conversation_id]
        if direction == Direction.INBOUND and not is_waiting:
            turns[user_id] += 1
            is_waiting = True
        elif direction == Direction.OUTBOUND and is_waiting:
            answered[user_id] += 1
            is_waiting = False
    return {user_id: answered[user_id] / count for user_id, count in turns.items()}


def user_stats_recompute(*, creator_id: int, now: datetime | None = None) -> int:
    """Recompute every figure of the creator's user_stats from the messages, PPV purchases and
    assignments (the periodic job; on-write updates keep them close in between). Returns how
    many rows were written."""
    now = now or timezone.now()
    sent = dict(
        Message.objects.for_creator(creator_id)
        .filter(direction=Direction.OUTBOUND, sender_id__isnull=False, status__in=COUNTED_STATUSES)
        .values("sender_id")
        .annotate(total=Count("id"))
        .values_list("sender_id", "total")
    )
    revenue = dict(
        PPVPurchase.objects.for_creator(creator_id)
        .filter(message__sender_id__isnull=False)
        .values("message__sender_id")
        .annotate(total=Sum("price_cents"))
        .values_list("message__sender_id", "total")
    )
    active = dict(
        Conversation.objects.for_creator(creator_id)
        .filter(assigned_to_id__isnull=False)
        .values("assigned_to_id")
        .annotate(total=Count("id"))
        .values_list("assigned_to_id", "total")
    )
    rates = _response_rates(creator_id=creator_id, since=now - RESPONSE_WINDOW)
    existing = set(UserStats.objects.for_creator(creator_id).values_list("user_id", flat=True))
    members = {m.user_id for m in team_members(creator_id=creator_id)}
    user_ids = (set(sent) | set(revenue) | set(active) | set(rates) | existing) & (
        members | existing
    )
    with transaction.atomic():
        for user_id in sorted(user_ids):
            _user_stats_write(
                creator_id=creator_id,
                user_id=user_id,
                messages_sent=sent.get(user_id, 0),
                revenue_cents=revenue.get(user_id, 0) or 0,
                active_chats=active.get(user_id, 0),
                response_rate=round(rates.get(user_id, 0.0), 4),
            )
    return len(user_ids)


def user_stats_recompute_all(*, now: datetime | None = None) -> int:
    """`user_stats_recompute` for every creator with a team member who messages (the job)."""
    creator_ids = (
        Creator.objects.filter(memberships__role__in=("owner", "manager", "chatter"))
        .values_list("id", flat=True)
        .distinct()
    )
    return sum(user_stats_recompute(creator_id=creator_id, now=now) for creator_id in creator_ids)


# Assignment -------------------------------------------------------------------------------------


def _publish_assigned(
    *, actor: Actor, conversation_id: int, assignee_id: int | None, assignee_name: str
) -> None:
    publish_on_commit(
        creator_id=actor.creator_id,
        event=ConversationAssigned(
            conversation_id=conversation_id,
            assigned_to_id=assignee_id,
            assigned_to_name=assignee_name,
            assigned_by_id=actor.user_id,
        ),
    )


def conversation_assign(
    *, actor: Actor, conversation_id: int, assignee_id: int | None
) -> Conversation:
    """Give the conversation to a member who may message (None: nobody). Owners and managers
    only. Emits `conversation.assigned` and recounts both members' active chats."""
    actor.require(Permission.MANAGE_TEAM)
    with transaction.atomic():
        conversation = (
            Conversation.objects.for_creator(actor.creator_id)
            .select_for_update()
            .filter(id=conversation_id)
            .first()
        )
        if conversation is None:
            raise NotFound("No such conversation.")
        assignee_name = ""
        if assignee_id is not None:
            assignee_name = _check_assignee(
                creator_id=actor.creator_id, user_id=assignee_id, field_name="assignee_id"
            )
        previous_id = conversation.assigned_to_id
        if previous_id == assignee_id:
            return conversation
        conversation.assigned_to_id = assignee_id
        conversation.save(update_fields=["assigned_to", "updated_at"])
        user_stats_refresh_active_chats(
            creator_id=actor.creator_id, user_ids=(previous_id, assignee_id)
        )
        audit_log_add(
            actor=actor,
            action="conversation.assigned",
            target_type="conversation",
            target_id=str(conversation.id),
            data={"from": previous_id, "to": assignee_id},
        )
        _publish_assigned(
            actor=actor,
            conversation_id=conversation.id,
            assignee_id=assignee_id,
            assignee_name=assignee_name,
        )
    return conversation


@dataclass(frozen=True, slots=True)
class SplitResult:
    total: int
    per_chatter: dict[int, int] = field(default_factory=dict)


def _clean_user_ids(*, creator_id: int, user_ids: Sequence[int]) -> dict[int, str]:
    unique = list(dict.fromkeys(user_ids))
    if not unique:
        raise ValidationFailed.on_field("user_ids", "Choose at least one chatter.")
    if len(unique) > MAX_SPLIT_CHATTERS:
        raise ValidationFailed.on_field(
            "user_ids", f"Split among at most {MAX_SPLIT_CHATTERS} members."
        )
    return {
        user_id: _check_assignee(creator_id=creator_id, user_id=user_id, field_name="user_ids")
        for user_id in unique
    }


def _plan(
    *, ids: list[int], chatters: list[int], strategy: SplitStrategy, loads: dict[int, int]
) -> dict[int, list[int]]:
    """chatter -> conversation ids. Round robin deals them in turn; by load, each goes to the
    chatter with the fewest conversations so far (ties in the order given)."""
    plan: dict[int, list[int]] = {chatter: [] for chatter in chatters}
    if strategy == "round_robin":
        for index, conversation_id in enumerate(ids):
            plan[chatters[index % len(chatters)]].append(conversation_id)
        return plan
    heap = [(loads.get(chatter, 0), order, chatter) for order, chatter in enumerate(chatters)]
    heapq.heapify(heap)
    for conversation_id in ids:
        load, order, chatter = heapq.heappop(heap)
        plan[chatter].append(conversation_id)
        heapq.heappush(heap, (load + 1, order, chatter))
    return plan


def conversations_split(
    *,
    actor: Actor,
    user_ids: Sequence[int],
    scope: SplitScope = "unassigned",
    strategy: SplitStrategy = "round_robin",
) -> SplitResult:
    """Share the creator's unassigned (or all) conversations among `user_ids`, newest
    first, round robin or by load, in one transaction. Owners and managers only."""
    actor.require(Permission.MANAGE_TEAM)
    if scope not in ("unassigned", "all"):
        raise ValidationFailed.on_field("scope", "scope is unassigned or all.")
    if strategy not in ("round_robin", "load"):
        raise ValidationFailed.on_field("strategy", "strategy is round_robin or load.")
    names = _clean_user_ids(creator_id=actor.creator_id, user_ids=user_ids)
    chatters = list(names)
    with transaction.atomic():
        conversations = Conversation.objects.for_creator(actor.creator_id)
        if scope == "unassigned":
            conversations = conversations.filter(assigned_to_id__isnull=True)
        rows = list(
            conversations.select_for_update()
            .order_by("-last_message_at", "-id")
            .values_list("id", "assigned_to_id")
        )
        previous = {assigned_to for _id, assigned_to in rows if assigned_to is not None}
        loads: dict[int, int] = {}
        if scope == "unassigned":
            loads = dict(
                Conversation.objects.for_creator(actor.creator_id)
                .filter(assigned_to_id__in=chatters)
                .values("assigned_to_id")
                .annotate(total=Count("id"))
                .values_list("assigned_to_id", "total")
            )
        plan = _plan(
            ids=[row[0] for row in rows], chatters=chatters, strategy=strategy, loads=loads
        )
        for chatter, ids in plan.items():
            for start in range(0, len(ids), SPLIT_CHUNK):
                Conversation.objects.for_creator(actor.creator_id).filter(
                    id__in=ids[start : start + SPLIT_CHUNK]
                ).update(assigned_to_id=chatter, updated_at=timezone.now())
        user_stats_refresh_active_chats(
            creator_id=actor.creator_id, user_ids=set(chatters) | previous
        )
        result = SplitResult(
            total=len(rows), per_chatter={chatter: len(ids) for chatter, ids in plan.items()}
        )
        audit_log_add(
            actor=actor,
            action="conversations.split",
            target_type="creator",
            target_id=str(actor.creator_id),
            data={"scope": scope, "strategy": strategy, "per_chatter": result.per_chatter},
        )
        if len(rows) <= MAX_SPLIT_EVENTS:
            for chatter, ids in plan.items():
                for conversation_id in ids:
                    _publish_assigned(
                        actor=actor,
                        conversation_id=conversation_id,
                        assignee_id=chatter,
                        assignee_name=names[chatter],
                    )
    return result


# Pinning and the creator's switch ---------------------------------------------------------------


def conversation_pin(*, actor: Actor, conversation_id: int, is_pinned: bool) -> Conversation:
    """Pin (or unpin) a conversation for the whole team. Roles that message fans."""
    actor.require(Permission.MESSAGE)
    with transaction.atomic():
        conversation = conversations_visible(actor).select_for_update().filter(id=conversation_id)
        found = conversation.first()
        if found is None:
            raise NotFound("No such conversation.")
        if found.is_pinned != is_pinned:
            found.is_pinned = is_pinned
            found.save(update_fields=["is_pinned", "updated_at"])
    return found


def creator_set_chatters_see_assigned_only(*, actor: Actor, is_enabled: bool) -> None:
    """Limit (or stop limiting) the creator's chatters to the conversations assigned to them.
    Owners and managers only; audited."""
    actor.require(Permission.MANAGE_TEAM)
    with transaction.atomic():
        Creator.objects.filter(id=actor.creator_id).update(
            chatters_see_assigned_only=is_enabled, updated_at=timezone.now()
        )
        creator_cache_forget(creator_id=actor.creator_id)
        audit_log_add(
            actor=actor,
            action="creator.chatters_see_assigned_only",
            target_type="creator",
            target_id=str(actor.creator_id),
            data={"enabled": is_enabled},
        )
