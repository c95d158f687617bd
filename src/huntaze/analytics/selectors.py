"""Reads for dashboards. They read the rollups and indexed counts, never scan the raw message
or transaction tables, and are cached for a minute per creator."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.core.context import Actor
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.fans.models import Fan, SubscriptionState
from huntaze.inbox.models import Conversation

HOME_WINDOW_DAYS = 30
ACTIVE_CHAT_DAYS = 7
HOME_CACHE_TTL_S = 60
# Bump when HomeMetrics changes shape, so a deploy never reads an old pickled value.
_HOME_CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class DayAmount:
    day: date
    amount_cents: int


@dataclass(frozen=True, slots=True)
class RevenueSummary:
    currency: str
    total_cents: int
    previous_total_cents: int
    series: tuple[DayAmount, ...]  # one entry per day of the window, oldest first, zero-filled

    @property
    def change_pct(self) -> float | None:
        """Change against the previous window, in percent; None when that window had none."""
        if self.previous_total_cents == 0:
            return None
        return (self.total_cents - self.previous_total_cents) * 100 / self.previous_total_cents


@dataclass(frozen=True, slots=True)
class HomeMetrics:
    day_from: date
    day_to: date
    revenue: RevenueSummary | None  # None for roles without view_billing
    active_fans: int
    new_fans: int
    messages_sent: int
    conversations_inbound: int
    conversations_answered: int
    active_chats: int

    @property
    def response_rate(self) -> float | None:
        """Answered / inbound conversation-days over the window, 0..1; None with no inbound."""
        if self.conversations_inbound == 0:
            return None
        return self.conversations_answered / self.conversations_inbound

    @property
    def is_empty(self) -> bool:
        """Nothing at all yet: no fans, no messages, no revenue (whether or not it is shown)."""
        return (
            self.active_fans == 0
            and self.new_fans == 0
            and self.messages_sent == 0
            and self.conversations_inbound == 0
            and self.active_chats == 0
            and (self.revenue is None or self.revenue.total_cents == 0)
        )


def home_cache_key(*, creator_id: int, today: date) -> str:
    return f"analytics:home:v{_HOME_CACHE_VERSION}:{creator_id}:{today.isoformat()}"


def home_metrics(*, actor: Actor, now: datetime | None = None) -> HomeMetrics:
    """The Home dashboard figures of the actor's creator over the last 30 days (today
    included, UTC days). Revenue only for roles with `view_billing`."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    key = home_cache_key(creator_id=actor.creator_id, today=today)
    metrics = cache.get(key)
    if not isinstance(metrics, HomeMetrics):
        metrics = _compute_home_metrics(creator_id=actor.creator_id, now=now, today=today)
        cache.set(key, metrics, HOME_CACHE_TTL_S)
    if not actor.can(Permission.VIEW_BILLING):
        metrics = dataclasses.replace(metrics, revenue=None)
    return metrics


def _compute_home_metrics(*, creator_id: int, now: datetime, today: date) -> HomeMetrics:
    day_from = today - timedelta(days=HOME_WINDOW_DAYS - 1)
    activity = (
        DailyActivity.objects.for_creator(creator_id)
        .filter(day__range=(day_from, today))
        .aggregate(
            new_fans=Sum("new_fans"),
            messages_sent=Sum("messages_out"),
            inbound=Sum("conversations_inbound"),
            answered=Sum("conversations_answered"),
        )
    )
    active_fans = (
        Fan.objects.for_creator(creator_id)
        .filter(subscription_state__in=(SubscriptionState.ACTIVE, SubscriptionState.EXPIRING))
        .count()
    )
    active_chats = (
        Conversation.objects.for_creator(creator_id)
        .filter(last_message_at__gte=now - timedelta(days=ACTIVE_CHAT_DAYS))
        .count()
    )
    return HomeMetrics(
        day_from=day_from,
        day_to=today,
        revenue=_revenue_summary(creator_id=creator_id, day_from=day_from, day_to=today),
        active_fans=active_fans,
        new_fans=activity["new_fans"] or 0,
        messages_sent=activity["messages_sent"] or 0,
        conversations_inbound=activity["inbound"] or 0,
        conversations_answered=activity["answered"] or 0,
        active_chats=active_chats,
    )


def _revenue_summary(*, creator_id: int, day_from: date, day_to: date) -> RevenueSummary:
    """Totals of the window and of the window before it, from one GROUP BY over the rollup."""
    window = (day_to - day_from).days + 1
    previous_from = day_from - timedelta(days=window)
    per_day = dict(
        DailyRevenue.objects.for_creator(creator_id)
        .filter(day__range=(previous_from, day_to))
        .values("day")
        .annotate(amount=Sum("amount_cents"))
        .order_by("day")
        .values_list("day", "amount")
    )
    series = tuple(
        DayAmount(day=day, amount_cents=per_day.get(day) or 0)
        for day in (day_from + timedelta(days=offset) for offset in range(window))
    )
    previous_total = sum(
        amount or 0 for day, amount in per_day.items() if previous_from <= day < day_from
    )
    return RevenueSummary(
        currency=creator_get(creator_id=creator_id).currency,
        total_cents=sum(point.amount_cents for point in series),
        previous_total_cents=previous_total,
        series=series,
    )
