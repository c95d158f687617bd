"""PPV reads, scoped to one creator: the list with its figures, bought states, the purchase a
platform reports matched to its message, and the price suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from huntaze.commerce.models import PPVAudience, PPVDelivery, PPVItem, PPVPurchase
from huntaze.commerce.rules import PPV_MAX_PRICE_CENTS, PPV_MIN_PRICE_CENTS
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.fields import RecordStatus
from huntaze.core.models import Role
from huntaze.core.permissions import role_within
from huntaze.fans.selectors import fans_visible
from huntaze.inbox.selectors import is_limited_to_assigned

PPV_PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class PPVRow:
    """A PPV and its figures: sent, bought, buy rate, revenue, revenue per recipient."""

    id: int
    title: str
    price_cents: int
    media_count: int
    audience: str
    status: str
    scheduled_at: datetime | None
    created_at: datetime
    target_count: int
    skipped_count: int
    sent_count: int
    purchased_count: int
    revenue_cents: int

    @property
    def buy_rate(self) -> float:
        return self.purchased_count / self.sent_count if self.sent_count else 0.0

    @property
    def revenue_per_recipient_cents(self) -> int:
        return round(self.revenue_cents / self.sent_count) if self.sent_count else 0

    @property
    def is_sending(self) -> bool:
        return self.status == RecordStatus.ACTIVE and self.audience != PPVAudience.FAN

    @property
    def progress_done(self) -> int:
        return self.sent_count + self.skipped_count


@dataclass(frozen=True, slots=True)
class PPVPage:
    items: list[PPVRow]
    has_more: bool
    next_offset: int


@dataclass(frozen=True, slots=True)
class PPVTotals:
    count: int
    sent_count: int
    purchased_count: int
    revenue_cents: int

    @property
    def buy_rate(self) -> float:
        return self.purchased_count / self.sent_count if self.sent_count else 0.0

    @property
    def revenue_per_recipient_cents(self) -> int:
        return round(self.revenue_cents / self.sent_count) if self.sent_count else 0


def _ppv_row(item: PPVItem) -> PPVRow:
    return PPVRow(
        id=item.id,
        title=item.title,
        price_cents=item.price_cents,
        media_count=len(item.media_ids or []),
        audience=item.audience,
        status=item.status,
        scheduled_at=item.scheduled_at,
        created_at=item.created_at,
        target_count=item.target_count,
        skipped_count=item.skipped_count,
        sent_count=item.sent_count,
        purchased_count=item.purchased_count,
        revenue_cents=item.revenue_cents,
    )


def _own_q(actor: Actor) -> Q:
    """The PPVs `actor` made: by its user, with a role no wider than its own. A manager's
    chatter-role API key does not see the manager's own campaigns made with more rights. A PPV
    stored before the role was kept counts for the signed-in user, not for a key."""
    roles = [role for role in Role.values if role_within(role, actor.role)]
    if not actor.via_api_key:
        roles.append("")
    return Q(created_by_id=actor.user_id, created_by_role__in=roles)


def ppvs_visible(*, actor: Actor) -> QuerySet[PPVItem]:
    """The PPVs `actor` may see: all the creator's, or, for a chatter limited to their
    assigned fans, those they made (`_own_q`) and those that reached one of their fans (a
    PPV's figures are its own, over all its recipients)."""
    queryset = PPVItem.objects.for_creator(actor.creator_id)
    if is_limited_to_assigned(actor):
        reached = PPVDelivery.objects.for_creator(actor.creator_id).filter(
            fan_id__in=fans_visible(actor=actor).values("id")
        )
        queryset = queryset.filter(_own_q(actor) | Q(id__in=reached.values("ppv_item_id")))
    return queryset


def ppv_page(
    *, actor: Actor, audience: str = "", offset: int = 0, limit: int = PPV_PAGE_SIZE
) -> PPVPage:
    """The PPVs `actor` may see, newest first, with their figures (one query)."""
    if audience and audience not in PPVAudience.values:
        raise ValidationFailed.on_field(
            "audience", "audience is one of " + ", ".join(PPVAudience.values) + "."
        )
    queryset = ppvs_visible(actor=actor).order_by("-created_at", "-id")
    if audience:
        queryset = queryset.filter(audience=audience)
    items = list(queryset[offset : offset + limit + 1])
    has_more = len(items) > limit
    items = items[:limit]
    return PPVPage(
        items=[_ppv_row(item) for item in items],
        has_more=has_more,
        next_offset=offset + len(items),
    )


def ppv_get(*, actor: Actor, ppv_item_id: int) -> PPVRow:
    item = ppvs_visible(actor=actor).filter(id=ppv_item_id).first()
    if item is None:
        raise NotFound("No such PPV.")
    return _ppv_row(item)


def ppv_totals(*, actor: Actor) -> PPVTotals:
    """The figures summed over the PPVs `actor` may see."""
    totals = ppvs_visible(actor=actor).aggregate(
        count=Count("id"),
        sent=Coalesce(Sum("sent_count"), 0),
        purchased=Coalesce(Sum("purchased_count"), 0),
        revenue=Coalesce(Sum("revenue_cents"), 0),
    )
    return PPVTotals(
        count=totals["count"],
        sent_count=totals["sent"],
        purchased_count=totals["purchased"],
        revenue_cents=totals["revenue"],
    )


def ppv_message_for_purchase(
    *,
    creator_id: int,
    fan_id: int,
    amount_cents: int,
    occurred_at: datetime,
    message_id: int | None = None,
) -> tuple[int, int] | None:
    """(message id, PPV id) of the PPV message a fan's purchase unlocks, or None."""
    deliveries = PPVDelivery.objects.for_creator(creator_id).filter(
        fan_id=fan_id, message_id__isnull=False, is_skipped=False
    )
    if message_id is not None:
        deliveries = deliveries.filter(message_id=message_id)
    else:
        bought = PPVPurchase.objects.for_creator(creator_id).filter(
            fan_id=fan_id, ppv_item_id=OuterRef("ppv_item_id")
        )
        deliveries = deliveries.filter(
            ppv_item__price_cents=amount_cents, sent_at__lte=occurred_at
        ).exclude(Exists(bought))
    row = deliveries.order_by("-sent_at", "-id").values_list("message_id", "ppv_item_id").first()
    return (row[0], row[1]) if row else None


def ppv_purchases_of_fan(*, creator_id: int, fan_id: int) -> dict[int, datetime]:
    """When the fan bought each PPV they bought: {PPV id: purchased at}."""
    return {
        row["ppv_item_id"]: row["purchased_at"]
        for row in PPVPurchase.objects.for_creator(creator_id)
        .filter(fan_id=fan_id)
        .values("ppv_item_id", "purchased_at")
    }


def ppv_is_bought(*, creator_id: int, fan_id: int, ppv_item_id: int) -> bool:
    return (
        PPVPurchase.objects.for_creator(creator_id)
        .filter(fan_id=fan_id, ppv_item_id=ppv_item_id)
        .exists()
    )


def ppv_item_exists(*, creator_id: int, ppv_item_id: int) -> bool:
    return PPVItem.objects.for_creator(creator_id).filter(id=ppv_item_id).exists()


@dataclass(frozen=True, slots=True)
class PriceSuggestion:
    """A suggested price, or why there is none (`reason`: not_enough_data, unavailable)."""

    price_cents: int | None
    reason: str = ""
    detail: dict[str, Any] | None = None


def ppv_price_suggestion(
    *, creator_id: int, segment_id: int | None = None, currency: str = "USD"
) -> PriceSuggestion:
    """The analytics model's price for a PPV (for a segment when given), inside the platform's
    bounds; without enough sales history, no price and the reason "not_enough_data". Its
    explanation is in the active language, with amounts in `currency`."""
    from huntaze.analytics.selectors_models import NotEnoughData, creator_ppv_price_suggestion

    try:
        result = creator_ppv_price_suggestion(
            creator_id=creator_id,
            segment_id=segment_id,
            floor_cents=PPV_MIN_PRICE_CENTS,
            ceiling_cents=PPV_MAX_PRICE_CENTS,
            currency=currency,
        )
    except NotEnoughData:
        return PriceSuggestion(price_cents=None, reason="not_enough_data")
    return _suggestion_of(result)


def _suggestion_of(result: Any) -> PriceSuggestion:
    """The page's view of the analytics model's suggestion."""
    return PriceSuggestion(
        price_cents=int(result.price_cents),
        detail={
            "explanation": str(result.explanation),
            "buy_probability": float(result.buy_probability),
            "expected_revenue_per_recipient_cents": float(
                result.expected_revenue_per_recipient_cents
            ),
            "sends": int(result.sends),
        },
    )
