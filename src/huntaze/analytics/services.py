"""Rollup writes: rebuild `daily_revenue` and `daily_activity` from the raw tables, and keep
them current on write with F() increments.

Days are UTC calendar days. Analytics is the owner of the rollups, so it reads the raw tables of
fans, inbox and commerce (read only, scoped per creator) to rebuild them; nothing else here
touches another app's rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import structlog
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncDate

from huntaze.analytics.cache import analytics_cache_invalidate
from huntaze.analytics.models import DailyActivity, DailyFunnel, DailyRevenue
from huntaze.analytics.services_rollups import analytics_rollups_rebuild
from huntaze.commerce.models import Transaction, TransactionStatus
from huntaze.core.errors import ValidationFailed
from huntaze.fans.models import Fan
from huntaze.inbox.models import DeliveryStatus, Direction, Message

_log = structlog.get_logger(__name__)

# Messages that really went out (or came in). Scheduled, failed and cancelled ones do not count.
COUNTED_MESSAGE_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)
# The longest range one rebuild accepts; a longer backfill is done in chunks by the caller.
MAX_REBUILD_DAYS = 3660


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _utc_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        raise ValidationFailed("Rollups need timezone-aware datetimes.")
    return moment.astimezone(UTC).date()


def _as_date(value: Any) -> date:
    """A day from a raw cursor: PostgreSQL returns a date, SQLite a 'YYYY-MM-DD' string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- Rebuild ---------------------------------------------------------------------------------


def rollups_rebuild(*, creator_id: int, day_from: date, day_to: date) -> None:
    """Recompute both rollups of one creator for the days `day_from`..`day_to` (inclusive).

    Deletes the range and inserts the recomputed rows in one transaction, so it is idempotent
    and a reader never sees a half-built range. Only days with activity get a row; readers
    treat a missing day as zero."""
    if day_to < day_from:
        raise ValidationFailed.on_field("day_to", "day_to must not be before day_from.")
    if (day_to - day_from).days + 1 > MAX_REBUILD_DAYS:
        raise ValidationFailed.on_field(
            "day_from", f"Rebuild at most {MAX_REBUILD_DAYS} days at once."
        )
    start, end = _day_start(day_from), _day_start(day_to + timedelta(days=1))
    revenue_rows = _revenue_rows(creator_id=creator_id, start=start, end=end)
    activity_rows = _activity_rows(creator_id=creator_id, start=start, end=end)
    with transaction.atomic():
        DailyRevenue.objects.for_creator(creator_id).filter(day__range=(day_from, day_to)).delete()
        DailyActivity.objects.for_creator(creator_id).filter(day__range=(day_from, day_to)).delete()
        DailyRevenue.objects.bulk_create(revenue_rows, batch_size=500)
        DailyActivity.objects.bulk_create(activity_rows, batch_size=500)
        analytics_rollups_rebuild(creator_id=creator_id, day_from=day_from, day_to=day_to)
    _log.info(
        "rollups.rebuilt",
        creator_id=creator_id,
        day_from=day_from.isoformat(),
        day_to=day_to.isoformat(),
        revenue_rows=len(revenue_rows),
        activity_rows=len(activity_rows),
    )


def _revenue_rows(*, creator_id: int, start: datetime, end: datetime) -> list[DailyRevenue]:
    grouped = (
        Transaction.objects.for_creator(creator_id)
        .filter(
            status=TransactionStatus.COMPLETED,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=UTC))
        .values("day", "platform", "type")
        .annotate(amount=Sum("amount_cents"), count=Count("id"))
        .order_by("day", "platform", "type")
    )
    return [
        DailyRevenue(
            creator_id=creator_id,
            day=_as_date(row["day"]),
            platform=row["platform"],
            revenue_type=row["type"],
            amount_cents=row["amount"] or 0,
            transactions_count=row["count"],
        )
        for row in grouped
    ]


def _activity_rows(*, creator_id: int, start: datetime, end: datetime) -> list[DailyActivity]:
    days: dict[date, DailyActivity] = defaultdict(lambda: DailyActivity(creator_id=creator_id))

    new_fans = (
        Fan.objects.for_creator(creator_id)
        .filter(joined_at__gte=start, joined_at__lt=end)
        .annotate(day=TruncDate("joined_at", tzinfo=UTC))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")
    )
    for row in new_fans:
        days[_as_date(row["day"])].new_fans = row["count"]

    for day, messages_in, messages_out, inbound, answered in _message_day_counts(
        creator_id=creator_id, start=start, end=end
    ):
        activity = days[day]
        activity.messages_in = messages_in
        activity.messages_out = messages_out
        activity.conversations_inbound = inbound
        activity.conversations_answered = answered

    rows = []
    for day, activity in sorted(days.items()):
        activity.day = day
        rows.append(activity)
    return rows


def _message_day_counts(
    *, creator_id: int, start: datetime, end: datetime
) -> list[tuple[date, int, int, int, int]]:
    """(day, messages in, messages out, conversations with an inbound message, of those the ones
    answered) per day, in two GROUP BY levels: per day and conversation, then per day.

    The inner query is built by the ORM (portable day truncation and parameters); the outer
    one only sums its columns, which is the same SQL on SQLite and PostgreSQL."""
    per_conversation_day = (
        Message.objects.for_creator(creator_id)
        .filter(sent_at__gte=start, sent_at__lt=end, status__in=COUNTED_MESSAGE_STATUSES)
        .annotate(day=TruncDate("sent_at", tzinfo=UTC))
        .values("day", "conversation_id")
        .annotate(
            n_in=Count("id", filter=Q(direction=Direction.INBOUND)),
            n_out=Count("id", filter=Q(direction=Direction.OUTBOUND)),
            first_in=Min("sent_at", filter=Q(direction=Direction.INBOUND)),
            last_out=Max("sent_at", filter=Q(direction=Direction.OUTBOUND)),
        )
        .order_by()
    )
    inner_sql, params = per_conversation_day.query.sql_with_params()
    # Only ORM-compiled SQL is interpolated; every value travels in `params`.
    outer_sql = (
        "SELECT t.day, SUM(t.n_in), SUM(t.n_out), "  # noqa: S608
        "SUM(CASE WHEN t.n_in > 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN t.n_in > 0 AND t.last_out > t.first_in THEN 1 ELSE 0 END) "
        f"FROM ({inner_sql}) t GROUP BY t.day ORDER BY t.day"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer_sql, params)
        return [
            (_as_date(day), int(n_in), int(n_out), int(inbound), int(answered))
            for day, n_in, n_out, inbound, answered in cursor.fetchall()
        ]


# --- On-write increments ---------------------------------------------------------------------


def rollup_increment(
    model: type[DailyRevenue] | type[DailyActivity] | type[DailyFunnel],
    *,
    creator_id: int,
    keys: dict[str, Any],
    deltas: dict[str, int],
) -> None:
    """Add `deltas` to the row of `keys`, creating it when missing (an upsert with F())."""
    deltas = {field: delta for field, delta in deltas.items() if delta}
    if not deltas:
        return
    changes = {field: F(field) + delta for field, delta in deltas.items()}
    with transaction.atomic():
        analytics_cache_invalidate(creator_id=creator_id)
        rows = model.objects.for_creator(creator_id).filter(**keys)
        if rows.update(**changes):
            return
        if any(delta < 0 for delta in deltas.values()):
            # Taking away from a row that does not exist: the rollup was never told about the
            # original write. Leave it for the next rebuild rather than store a negative count.
            _log.warning("rollups.decrement_missing_row", model=model.__name__, **keys)
            return
        try:
            with transaction.atomic():
                model.objects.create(creator_id=creator_id, **keys, **deltas)
        except IntegrityError:
            # Another writer created the row between our update and insert.
            rows.update(**changes)


def rollup_record_transaction(
    *,
    creator_id: int,
    occurred_at: datetime,
    platform: str,
    transaction_type: str,
    amount_cents: int,
    is_reversal: bool = False,
) -> None:
    """Count one completed transaction in `daily_revenue`.

    Call it in the transaction that stores the transaction once it is `completed`; call it
    again with `is_reversal=True` when a completed transaction is refunded (or otherwise stops
    being completed), which takes it back out."""
    sign = -1 if is_reversal else 1
    rollup_increment(
        DailyRevenue,
        creator_id=creator_id,
        keys={"day": _utc_day(occurred_at), "platform": platform, "revenue_type": transaction_type},
        deltas={"amount_cents": sign * amount_cents, "transactions_count": sign},
    )


def rollup_record_fan(*, creator_id: int, joined_at: datetime) -> None:
    """Count one new fan in `daily_activity.new_fans`; call it once when a fan is created."""
    rollup_increment(
        DailyActivity,
        creator_id=creator_id,
        keys={"day": _utc_day(joined_at)},
        deltas={"new_fans": 1},
    )


def _conversation_day_state(
    first_in: datetime | None, last_out: datetime | None
) -> tuple[int, int]:
    """(has an inbound message, is answered) for one conversation on one day."""
    if first_in is None:
        return 0, 0
    return 1, int(last_out is not None and last_out > first_in)


def rollup_record_message(
    *,
    creator_id: int,
    conversation_id: int,
    message_id: int,
    direction: str,
    sent_at: datetime,
) -> None:
    """Count one message in `daily_activity` (messages in/out, conversations inbound/answered).

    Call it once per message, right after the message is stored with a sent, delivered or read
    status (a scheduled message when it actually goes out), in the same transaction. It compares
    the conversation's day with and without this message, so out-of-order arrivals stay exact.
    For bulk imports, store everything then call `rollups_rebuild` for the imported days."""
    day = _utc_day(sent_at)
    start = _day_start(day)
    others = (
        Message.objects.for_creator(creator_id)
        .filter(
            conversation_id=conversation_id,
            sent_at__gte=start,
            sent_at__lt=start + timedelta(days=1),
            status__in=COUNTED_MESSAGE_STATUSES,
        )
        .exclude(id=message_id)
        .aggregate(
            first_in=Min("sent_at", filter=Q(direction=Direction.INBOUND)),
            last_out=Max("sent_at", filter=Q(direction=Direction.OUTBOUND)),
        )
    )
    first_in, last_out = others["first_in"], others["last_out"]
    inbound_before, answered_before = _conversation_day_state(first_in, last_out)
    if direction == Direction.INBOUND:
        first_in = sent_at if first_in is None else min(first_in, sent_at)
    elif direction == Direction.OUTBOUND:
        last_out = sent_at if last_out is None else max(last_out, sent_at)
    else:
        raise ValidationFailed.on_field("direction", "direction must be 'in' or 'out'.")
    inbound_after, answered_after = _conversation_day_state(first_in, last_out)
    rollup_increment(
        DailyActivity,
        creator_id=creator_id,
        keys={"day": day},
        deltas={
            "messages_in": int(direction == Direction.INBOUND),
            "messages_out": int(direction == Direction.OUTBOUND),
            "conversations_inbound": inbound_after - inbound_before,
            "conversations_answered": answered_after - answered_before,
        },
    )


__all__ = [
    "COUNTED_MESSAGE_STATUSES",
    "rollup_record_fan",
    "rollup_record_message",
    "rollup_increment",
    "rollup_record_transaction",
    "rollups_rebuild",
]
