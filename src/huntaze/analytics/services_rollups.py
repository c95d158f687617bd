"""The rollups of the analytics pages beyond revenue and activity: the funnel, active and
churned fans, monthly cohorts and per-item content performance.

Rebuilt from the raw tables by `rollups_rebuild` (the hourly job and the demo seeding), like
`daily_revenue`; tracked funnel events (visits, follows) are recorded on write with
`funnel_event_record`. Days and months are UTC.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from huntaze.analytics.cache import analytics_cache_invalidate
from huntaze.analytics.models import (
    TRACKED_STAGES,
    ContentKind,
    ContentPerformance,
    DailyFans,
    DailyFunnel,
    FanCohort,
    FunnelStage,
)
from huntaze.commerce.models import PPVItem, Transaction, TransactionStatus
from huntaze.content.models import Content, ContentStatus
from huntaze.core.errors import ValidationFailed
from huntaze.core.fields import Platform
from huntaze.fans.models import Fan, Subscription, SubscriptionStatus

COHORT_MONTHS = 12
CHURNED_STATUSES = (SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


# --- Funnel ----------------------------------------------------------------------------------


def _funnel_rows(*, creator_id: int, start: datetime, end: datetime) -> list[DailyFunnel]:
    grouped = (
        Fan.objects.for_creator(creator_id)
        .filter(joined_at__gte=start, joined_at__lt=end)
        .annotate(day=TruncDate("joined_at", tzinfo=UTC))
        .values("day", "platform")
        .annotate(
            subscribe=Count("id"),
            first=Count("id", filter=Q(purchases_count__gte=1)),
            repeat=Count("id", filter=Q(purchases_count__gte=2)),
        )
        .order_by("day", "platform")
    )
    rows = []
    for row in grouped:
        for stage, count in (
            (FunnelStage.SUBSCRIBE, row["subscribe"]),
            (FunnelStage.FIRST_PURCHASE, row["first"]),
            (FunnelStage.REPEAT_PURCHASE, row["repeat"]),
        ):
            if count:
                rows.append(
                    DailyFunnel(
                        creator_id=creator_id,
                        day=_as_date(row["day"]),
                        platform=row["platform"],
                        stage=stage,
                        count=count,
                    )
                )
    return rows


def funnel_event_record(
    *, creator_id: int, stage: str, platform: str, occurred_at: datetime, count: int = 1
) -> None:
    """Count tracked funnel events (a visit of a tracked link, a follow) on their UTC day.

    Only the tracked stages are recorded this way; the later stages come from fans and
    transactions."""
    if stage not in TRACKED_STAGES:
        raise ValidationFailed.on_field(
            "stage", f"Only tracked stages can be recorded: {', '.join(TRACKED_STAGES)}."
        )
    if platform not in Platform.values:
        raise ValidationFailed.on_field("platform", "Unknown platform.")
    if count < 1 or count > 1_000_000:
        raise ValidationFailed.on_field("count", "count must be between 1 and 1000000.")
    if occurred_at.tzinfo is None:
        raise ValidationFailed.on_field("occurred_at", "occurred_at needs a timezone.")
    from huntaze.analytics.services import rollup_increment  # services imports this module

    rollup_increment(
        DailyFunnel,
        creator_id=creator_id,
        keys={"day": occurred_at.astimezone(UTC).date(), "platform": platform, "stage": stage},
        deltas={"count": count},
    )


# --- Active and churned fans -----------------------------------------------------------------


def _per_day(queryset: Any, field: str) -> dict[date, int]:
    grouped = (
        queryset.annotate(day=TruncDate(field, tzinfo=UTC))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    return {_as_date(row["day"]): row["count"] for row in grouped}


def _fans_rows(
    *, creator_id: int, day_from: date, day_to: date, start: datetime, end: datetime
) -> list[DailyFans]:
    subscriptions = Subscription.objects.for_creator(creator_id)
    started_before = subscriptions.filter(started_at__lt=start).count()
    ended_before = subscriptions.filter(expires_at__lt=start).count()
    in_range = {"__gte": start, "__lt": end}
    started = _per_day(
        subscriptions.filter(**{f"started_at{k}": v for k, v in in_range.items()}), "started_at"
    )
    ended = _per_day(
        subscriptions.filter(**{f"expires_at{k}": v for k, v in in_range.items()}), "expires_at"
    )
    churned = _per_day(
        subscriptions.filter(
            status__in=CHURNED_STATUSES, **{f"expires_at{k}": v for k, v in in_range.items()}
        ),
        "expires_at",
    )
    rows = []
    running = started_before - ended_before
    day = day_from
    while day <= day_to:
        running += started.get(day, 0) - ended.get(day, 0)
        if running or churned.get(day):
            rows.append(
                DailyFans(
                    creator_id=creator_id,
                    day=day,
                    active_fans=max(running, 0),
                    churned_fans=churned.get(day, 0),
                )
            )
        day += timedelta(days=1)
    return rows


# --- Cohorts ---------------------------------------------------------------------------------


def _cohort_rows(*, creator_id: int, today: date) -> list[FanCohort]:
    first_month = _month_start(today)
    for _ in range(COHORT_MONTHS - 1):
        first_month = _month_start(first_month - timedelta(days=1))
    since = _day_start(first_month)
    sizes = {
        _as_date(row["cohort"]): row["count"]
        for row in Fan.objects.for_creator(creator_id)
        .filter(joined_at__gte=since)
        .annotate(cohort=TruncMonth("joined_at", tzinfo=UTC))
        .values("cohort")
        .annotate(count=Count("id"))
        .order_by("cohort")
    }
    paying: dict[tuple[date, int], int] = defaultdict(int)
    grouped = (
        Transaction.objects.for_creator(creator_id)
        .filter(
            status=TransactionStatus.COMPLETED,
            fan__joined_at__gte=since,
            occurred_at__gte=since,
        )
        .annotate(
            cohort=TruncMonth("fan__joined_at", tzinfo=UTC),
            month=TruncMonth("occurred_at", tzinfo=UTC),
        )
        .values("cohort", "month")
        .annotate(fans=Count("fan_id", distinct=True))
        .order_by()
    )
    for row in grouped:
        cohort, month = _as_date(row["cohort"]), _as_date(row["month"])
        offset = _months_between(cohort, month)
        if 0 <= offset < COHORT_MONTHS:
            paying[(cohort, offset)] += row["fans"]
    rows = []
    for cohort, size in sizes.items():
        for offset in range(min(COHORT_MONTHS, _months_between(cohort, today) + 1)):
            rows.append(
                FanCohort(
                    creator_id=creator_id,
                    cohort_month=cohort,
                    month_offset=offset,
                    cohort_size=size,
                    paying_fans=paying.get((cohort, offset), 0),
                )
            )
    return rows


# --- Content performance ---------------------------------------------------------------------


def _int_metric(metrics: Any, name: str) -> int:
    value = metrics.get(name) if isinstance(metrics, dict) else None
    return value if isinstance(value, int) and value >= 0 else 0


def _content_rows(*, creator_id: int) -> list[ContentPerformance]:
    rows = [
        ContentPerformance(
            creator_id=creator_id,
            kind=ContentKind.POST,
            item_id=item.id,
            title=item.title[:200],
            platform=item.platform,
            published_on=item.published_at.astimezone(UTC).date(),
            views=_int_metric(item.metrics, "views"),
            likes=_int_metric(item.metrics, "likes"),
            comments=_int_metric(item.metrics, "comments"),
        )
        for item in Content.objects.for_creator(creator_id)
        .filter(status=ContentStatus.PUBLISHED, published_at__isnull=False)
        .only("id", "title", "platform", "published_at", "metrics")
    ]
    ppv_items = (
        PPVItem.objects.for_creator(creator_id)
        .filter(sent_count__gt=0)
        .annotate(moment=Coalesce("sent_at", "scheduled_at", "created_at"))
    )
    for item in ppv_items:
        rows.append(
            ContentPerformance(
                creator_id=creator_id,
                kind=ContentKind.PPV,
                item_id=item.id,
                title=item.title[:200],
                platform=Platform.ONLYFANS,
                published_on=item.moment.astimezone(UTC).date(),
                price_cents=item.price_cents,
                sent_count=item.sent_count,
                purchases_count=item.purchased_count,
                revenue_cents=item.revenue_cents,
            )
        )
    return rows


# --- Rebuild ---------------------------------------------------------------------------------


def analytics_rollups_rebuild(*, creator_id: int, day_from: date, day_to: date) -> None:
    """Recompute the funnel's derived stages and the daily fans for `day_from`..`day_to`, and the
    cohorts and content performance in full, in one transaction. Idempotent."""
    start, end = _day_start(day_from), _day_start(day_to + timedelta(days=1))
    funnel_rows = _funnel_rows(creator_id=creator_id, start=start, end=end)
    fans_rows = _fans_rows(
        creator_id=creator_id, day_from=day_from, day_to=day_to, start=start, end=end
    )
    cohort_rows = _cohort_rows(creator_id=creator_id, today=max(day_to, datetime.now(UTC).date()))
    content_rows = _content_rows(creator_id=creator_id)
    with transaction.atomic():
        DailyFunnel.objects.for_creator(creator_id).filter(day__range=(day_from, day_to)).exclude(
            stage__in=TRACKED_STAGES
        ).delete()
        DailyFans.objects.for_creator(creator_id).filter(day__range=(day_from, day_to)).delete()
        FanCohort.objects.for_creator(creator_id).delete()
        ContentPerformance.objects.for_creator(creator_id).delete()
        DailyFunnel.objects.bulk_create(funnel_rows, batch_size=500)
        DailyFans.objects.bulk_create(fans_rows, batch_size=500)
        FanCohort.objects.bulk_create(cohort_rows, batch_size=500)
        ContentPerformance.objects.bulk_create(content_rows, batch_size=500)
        analytics_cache_invalidate(creator_id=creator_id)


__all__ = ["analytics_rollups_rebuild", "funnel_event_record"]
