"""Inbox team reads: the members who can take conversations, and the managers' review log.

The review log, per member who messages, over a date range (days in the creator's time zone):
- messages sent: outbound messages they sent (sent, delivered or read; not scheduled, cancelled
  or failed) during the range;
- PPV sent: those of them with a price (or a PPV item);
- PPV bought and PPV revenue: purchases during the range of PPV messages they sent;
- earnings per message: PPV revenue / messages sent;
- median reply time: for each fan turn (the first fan message after the team last wrote), the
  time until the next team message, counted for that message's sender when it was sent during
  the range. A turn may start up to REPLY_LOOKBACK before the range.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Q, Sum

from huntaze.commerce.models import PPVPurchase
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.permissions import Permission, role_has
from huntaze.core.selectors import creator_get, team_members
from huntaze.inbox.models import Conversation, DeliveryStatus, Direction, Message, UserStats

MAX_REVIEW_DAYS = 366
MIN_REVIEW_DAY = date(2000, 1, 1)
MAX_REVIEW_DAY = date(2999, 12, 31)
REPLY_LOOKBACK = timedelta(days=7)
COUNTED_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)


@dataclass(frozen=True, slots=True)
class TeamMember:
    user_id: int
    name: str
    role: str


def team_messaging_members(*, creator_id: int) -> list[TeamMember]:
    """The members whose role may message fans (who can be assigned conversations)."""
    return [
        TeamMember(user_id=m.user_id, name=m.user.name or m.user.email, role=m.role)
        for m in team_members(creator_id=creator_id)
        if role_has(m.role, Permission.MESSAGE)
    ]


@dataclass(frozen=True, slots=True)
class ChatterReview:
    user_id: int
    name: str
    role: str
    messages_sent: int
    ppv_sent: int
    ppv_bought: int
    ppv_revenue_cents: int
    replies: int
    median_reply_s: float | None

    @property
    def earnings_per_message_cents(self) -> int | None:
        if not self.messages_sent:
            return None
        return round(self.ppv_revenue_cents / self.messages_sent)


@dataclass(frozen=True, slots=True)
class ReviewLog:
    start: date
    end: date
    rows: list[ChatterReview]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def review_bounds(*, start: date, end: date, tz_name: str) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the creator's zone; checks the range."""
    for name, day in (("start", start), ("end", end)):
        if not MIN_REVIEW_DAY <= day <= MAX_REVIEW_DAY:
            raise ValidationFailed.on_field(
                name, f"{name} is between {MIN_REVIEW_DAY} and {MAX_REVIEW_DAY}."
            )
    if end < start:
        raise ValidationFailed.on_field("end", "The end comes on or after the start.")
    if (end - start).days + 1 > MAX_REVIEW_DAYS:
        raise ValidationFailed.on_field("end", f"Review at most {MAX_REVIEW_DAYS} days at once.")
    zone = _zone(tz_name)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _sent_counts(
    *, creator_id: int, since: datetime, until: datetime
) -> dict[int, tuple[int, int]]:
    rows = (
        Message.objects.for_creator(creator_id)
        .filter(
            direction=Direction.OUTBOUND,
            sender_id__isnull=False,
            status__in=COUNTED_STATUSES,
            sent_at__gte=since,
            sent_at__lt=until,
        )
        .values("sender_id")
        .annotate(
            total=Count("id"),
            ppv=Count("id", filter=Q(price_cents__gt=0) | Q(ppv_item__isnull=False)),
        )
    )
    return {row["sender_id"]: (row["total"], row["ppv"]) for row in rows}


def _ppv_bought(*, creator_id: int, since: datetime, until: datetime) -> dict[int, tuple[int, int]]:
    rows = (
        PPVPurchase.objects.for_creator(creator_id)
        .filter(purchased_at__gte=since, purchased_at__lt=until, message__sender_id__isnull=False)
        .values("message__sender_id")
        .annotate(total=Count("id"), revenue=Sum("price_cents"))
    )
    return {row["message__sender_id"]: (row["total"], row["revenue"] or 0) for row in rows}


def reply_times(*, creator_id: int, since: datetime, until: datetime) -> dict[int, list[float]]:
    """sender id -> seconds from each fan turn to its reply, for replies in [since, until)."""
    rows = (
        Message.objects.for_creator(creator_id)
        .filter(sent_at__gte=since - REPLY_LOOKBACK, sent_at__lt=until, status__in=COUNTED_STATUSES)
        .order_by("conversation_id", "sent_at", "id")
        .values_list("conversation_id", "direction", "sender_id", "sent_at")
    )
    times: dict[int, list[float]] = defaultdict(list)
    current: int | None = None
    waiting_since: datetime | None = None
    for conversation_id, direction, sender_id, sent_at in rows.iterator(chunk_size=2000):
        if conversation_id != current:
            current, waiting_since = conversation_id, None
        if direction == Direction.INBOUND:
            waiting_since = waiting_since or sent_at
            continue
        if waiting_since is not None and sender_id is not None and sent_at >= since:
            times[sender_id].append((sent_at - waiting_since).total_seconds())
        waiting_since = None
    return times


def review_log(*, actor: Actor, start: date, end: date) -> ReviewLog:
    """Per member who messages (and anyone who sent in the range), the figures above."""
    actor.require(Permission.MANAGE_TEAM)
    creator = creator_get(creator_id=actor.creator_id)
    since, until = review_bounds(start=start, end=end, tz_name=creator.timezone)
    sent = _sent_counts(creator_id=creator.id, since=since, until=until)
    bought = _ppv_bought(creator_id=creator.id, since=since, until=until)
    replies = reply_times(creator_id=creator.id, since=since, until=until)
    members = {m.user_id: m for m in team_messaging_members(creator_id=creator.id)}
    everyone = set(members) | set(sent) | set(bought) | set(replies)
    rows = []
    for user_id in everyone:
        member = members.get(user_id)
        times = replies.get(user_id, [])
        rows.append(
            ChatterReview(
                user_id=user_id,
                name=member.name if member else "",
                role=member.role if member else "",
                messages_sent=sent.get(user_id, (0, 0))[0],
                ppv_sent=sent.get(user_id, (0, 0))[1],
                ppv_bought=bought.get(user_id, (0, 0))[0],
                ppv_revenue_cents=bought.get(user_id, (0, 0))[1],
                replies=len(times),
                median_reply_s=statistics.median(times) if times else None,
            )
        )
    rows.sort(key=lambda row: (-row.messages_sent, row.name, row.user_id))
    return ReviewLog(start=start, end=end, rows=rows)


def assigned_counts(*, creator_id: int) -> dict[int, int]:
    """user id -> conversations assigned to them now."""
    return dict(
        Conversation.objects.for_creator(creator_id)
        .filter(assigned_to_id__isnull=False)
        .values("assigned_to_id")
        .annotate(total=Count("id"))
        .values_list("assigned_to_id", "total")
    )


def user_stats_list(*, actor: Actor) -> dict[int, UserStats]:
    """user id -> the member's user_stats row."""
    return {row.user_id: row for row in UserStats.objects.for_creator(actor.creator_id)}
