"""Reads of a fan's profile page: monthly spend by type, and one timeline merging
subscriptions, purchases, messages and notes, paged by a keyset cursor (time, kind, id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from huntaze.commerce.models import TransactionStatus
from huntaze.commerce.selectors import transaction_list
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.fans.models import FanNote, Subscription
from huntaze.fans.selectors import fan_get_visible
from huntaze.inbox.selectors import conversation_list, message_list

TIMELINE_PAGE_SIZE = 25
CHART_MONTHS = 12
PREVIEW_LENGTH = 160
# Ties on time are broken by kind (in this order, descending) then id.
KINDS = ("message", "note", "purchase", "subscription")


# Spend chart ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendChart:
    months: list[str]  # "2025-01"
    series: dict[str, list[int]]  # transaction type -> cents per month
    currency: str

    @property
    def is_empty(self) -> bool:
        return not any(any(values) for values in self.series.values())


def _month_keys(now: datetime, count: int) -> list[str]:
    year, month = now.year, now.month
    keys = []
    for _index in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(keys))


def fan_spend_by_month(
    *, actor: Actor, fan_id: int, months: int = CHART_MONTHS, currency: str = "USD"
) -> SpendChart:
    """Completed purchases of the fan over the last `months` calendar months (UTC), summed per
    month and type, in cents. Months without purchases are zeros. NotFound when `actor` may
    not read the fan."""
    fan_get_visible(actor=actor, fan_id=fan_id)
    creator_id = actor.creator_id
    now = timezone.now().astimezone(UTC)
    keys = _month_keys(now, months)
    since = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=UTC)
    rows = (
        transaction_list(creator_id=creator_id, since=since)
        .filter(fan_id=fan_id, status=TransactionStatus.COMPLETED)
        .order_by()
        .annotate(month=TruncMonth("occurred_at", tzinfo=UTC))
        .values("month", "type")
        .annotate(cents=Sum("amount_cents"))
    )
    series: dict[str, list[int]] = {}
    for row in rows:
        key = row["month"].strftime("%Y-%m")
        if key in keys:
            values = series.setdefault(row["type"], [0] * len(keys))
            values[keys.index(key)] += int(row["cents"] or 0)
    return SpendChart(months=keys, series=series, currency=currency)


# Timeline ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    at: datetime
    kind: str
    id: int

    def encode(self) -> str:
        return f"{self.at.astimezone(UTC).isoformat()}|{self.kind}|{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            at_text, kind, id_text = text.split("|")
            at = datetime.fromisoformat(at_text)
            identifier = int(id_text)
        except ValueError:
            raise ValidationFailed.on_field(
                "before", _("before: not a timeline position.")
            ) from None
        if at.tzinfo is None or kind not in KINDS or identifier < 1:
            raise ValidationFailed.on_field("before", _("before: not a timeline position."))
        return cls(at=at, kind=kind, id=identifier)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    at: datetime
    id: int
    title: str
    detail: str = ""
    amount_cents: int | None = None
    direction: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, kind=self.kind, id=self.id)


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None


def _after_cursor(queryset: QuerySet[Any], column: str, kind: str, cursor: Cursor | None) -> Any:
    """Rows strictly after `cursor` in the order (time desc, kind desc, id desc)."""
    if cursor is None:
        return queryset
    if kind < cursor.kind:
        return queryset.filter(**{f"{column}__lte": cursor.at})
    if kind > cursor.kind:
        return queryset.filter(**{f"{column}__lt": cursor.at})
    return queryset.filter(
        Q(**{f"{column}__lt": cursor.at}) | Q(**{column: cursor.at, "id__lt": cursor.id})
    )


def _newest(queryset: QuerySet[Any], column: str, kind: str, cursor: Cursor | None, limit: int):
    rows = _after_cursor(queryset, column, kind, cursor).order_by(f"-{column}", "-id")
    return list(rows[:limit])


def _subscriptions(creator_id: int, fan_id: int, cursor: Cursor | None, limit: int):
    base = Subscription.objects.for_creator(creator_id).filter(fan_id=fan_id)
    return [
        TimelineEntry(
            kind="subscription",
            at=row.started_at,
            id=row.id,
            title=_("Subscribed (%(tier)s), %(status)s")
            % {
                "tier": row.tier,
                "status": row.get_status_display(),
            },
            detail=_("until %(date)s")
            % {"date": date_format(timezone.localtime(row.expires_at), "DATE_FORMAT")},
            amount_cents=row.amount_cents,
        )
        for row in _newest(base, "started_at", "subscription", cursor, limit)
    ]


def _purchases(creator_id: int, fan_id: int, cursor: Cursor | None, limit: int):
    base = transaction_list(creator_id=creator_id).filter(fan_id=fan_id)
    return [
        TimelineEntry(
            kind="purchase",
            at=row.occurred_at,
            id=row.id,
            title=str(row.get_type_display()),
            detail=str(row.get_status_display()),
            amount_cents=row.amount_cents,
        )
        for row in _newest(base, "occurred_at", "purchase", cursor, limit)
    ]


def _messages(actor: Actor, fan_id: int, cursor: Cursor | None, limit: int):
    conversation_ids = list(
        conversation_list(actor=actor).filter(fan_id=fan_id).values_list("id", flat=True)[:5]
    )
    entries: list[TimelineEntry] = []
    for conversation_id in conversation_ids:
        base = message_list(actor=actor, conversation_id=conversation_id)
        entries += [
            TimelineEntry(
                kind="message",
                at=row.sent_at,
                id=row.id,
                title=_("Fan wrote") if row.direction == "in" else _("Team wrote"),
                detail=_preview(row.text) or _("(media)"),
                amount_cents=row.price_cents or None,
                direction=row.direction,
            )
            for row in _newest(base, "sent_at", "message", cursor, limit)
        ]
    return entries


def _notes(creator_id: int, fan_id: int, cursor: Cursor | None, limit: int):
    base = FanNote.objects.for_creator(creator_id).filter(fan_id=fan_id)
    return [
        TimelineEntry(kind="note", at=row.created_at, id=row.id, title=_("Note"), detail=row.text)
        for row in _newest(base, "created_at", "note", cursor, limit)
    ]


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1] + "…"


def fan_timeline_page(
    *, actor: Actor, fan_id: int, before: str = "", limit: int = TIMELINE_PAGE_SIZE
) -> TimelinePage:
    """The fan's newest `limit` events before the cursor `before` (all four kinds merged, newest
    first), and the cursor of the next page (None at the end)."""
    fan_get_visible(actor=actor, fan_id=fan_id)
    cursor = Cursor.decode(before) if before else None
    fetch = limit + 1
    entries = (
        _subscriptions(actor.creator_id, fan_id, cursor, fetch)
        + _purchases(actor.creator_id, fan_id, cursor, fetch)
        + _messages(actor, fan_id, cursor, fetch)
        + _notes(actor.creator_id, fan_id, cursor, fetch)
    )
    entries.sort(key=lambda e: (e.at, e.kind, e.id), reverse=True)
    page = entries[:limit]
    has_more = len(entries) > limit
    return TimelinePage(entries=page, next_cursor=page[-1].cursor.encode() if has_more else None)


def fan_conversation_id(*, actor: Actor, fan_id: int) -> int | None:
    """The fan's conversation in the inbox, if there is one the actor may open."""
    return (
        conversation_list(actor=actor)
        .filter(fan_id=fan_id)
        .order_by("-last_message_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
