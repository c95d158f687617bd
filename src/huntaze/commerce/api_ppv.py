"""PPV API: create (to chosen fans or a segment, now or scheduled), the list with its
analytics, one PPV with its sending progress, cancel a scheduled one, price suggestions."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from huntaze.commerce.rules import PPV_MAX_PRICE_CENTS, PPV_MIN_PRICE_CENTS
from huntaze.commerce.selectors_ppv import (
    PPVRow,
    ppv_get,
    ppv_page,
    ppv_price_suggestion,
    ppv_totals,
)
from huntaze.commerce.services_ppv import ppv_cancel, ppv_create, segment_check
from huntaze.core.api_utils import ErrorOut, actor_of, page_bounds
from huntaze.core.permissions import Permission

router = Router(tags=["ppv"])

READ_ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type] = {**READ_ERRORS, 409: ErrorOut}


class PPVOut(Schema):
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
    buy_rate: float
    revenue_per_recipient_cents: int
    progress_done: int


class PPVTotalsOut(Schema):
    count: int
    sent_count: int
    purchased_count: int
    revenue_cents: int
    buy_rate: float
    revenue_per_recipient_cents: int


class PPVPageOut(Schema):
    items: list[PPVOut]
    has_more: bool
    next_offset: int
    totals: PPVTotalsOut


class PPVFilters(Schema):
    audience: str = ""
    limit: int = 25
    offset: int = 0


def _out(row: PPVRow) -> PPVOut:
    return PPVOut(
        id=row.id,
        title=row.title,
        price_cents=row.price_cents,
        media_count=row.media_count,
        audience=row.audience,
        status=row.status,
        scheduled_at=row.scheduled_at,
        created_at=row.created_at,
        target_count=row.target_count,
        skipped_count=row.skipped_count,
        sent_count=row.sent_count,
        purchased_count=row.purchased_count,
        revenue_cents=row.revenue_cents,
        buy_rate=row.buy_rate,
        revenue_per_recipient_cents=row.revenue_per_recipient_cents,
        progress_done=row.progress_done,
    )


@router.get("/ppv", response={200: PPVPageOut, **READ_ERRORS})
def list_ppv(request: HttpRequest, filters: Query[PPVFilters]) -> PPVPageOut:
    """PPVs newest first with sent, bought, buy rate, revenue and revenue per recipient."""
    actor = actor_of(request)
    actor.require(Permission.READ)
    limit, offset = page_bounds(filters.limit, filters.offset)
    found = ppv_page(actor=actor, audience=filters.audience, offset=offset, limit=limit)
    totals = ppv_totals(actor=actor)
    return PPVPageOut(
        items=[_out(row) for row in found.items],
        has_more=found.has_more,
        next_offset=found.next_offset,
        totals=PPVTotalsOut(
            count=totals.count,
            sent_count=totals.sent_count,
            purchased_count=totals.purchased_count,
            revenue_cents=totals.revenue_cents,
            buy_rate=totals.buy_rate,
            revenue_per_recipient_cents=totals.revenue_per_recipient_cents,
        ),
    )


class PPVIn(Schema):
    title: str = Field(..., max_length=120)
    caption: str = Field("", max_length=5_000)
    price_cents: int
    media_ids: list[int] = Field(..., max_length=20)
    fan_ids: list[int] = Field(default_factory=list, max_length=1000)
    segment_id: int | None = None
    scheduled_at: datetime | None = None
    skip_already_sent: bool = True


@router.post("/ppv", response={201: PPVOut, **WRITE_ERRORS})
def create_ppv(request: HttpRequest, payload: PPVIn) -> Status[PPVOut]:
    """Create a PPV and send it now (a task, progress in `progress_done` / `target_count`) or
    at `scheduled_at`. Price between $3 and $200; media from the vault; fans or a segment."""
    actor = actor_of(request)
    item = ppv_create(actor=actor, **payload.dict())
    return Status(201, _out(ppv_get(actor=actor, ppv_item_id=item.id)))


@router.get("/ppv/{ppv_item_id}", response={200: PPVOut, **READ_ERRORS})
def get_ppv(request: HttpRequest, ppv_item_id: int) -> PPVOut:
    actor = actor_of(request)
    actor.require(Permission.READ)
    return _out(ppv_get(actor=actor, ppv_item_id=ppv_item_id))


@router.post("/ppv/{ppv_item_id}/cancel", response={200: PPVOut, **WRITE_ERRORS})
def cancel_ppv(request: HttpRequest, ppv_item_id: int) -> PPVOut:
    """Cancel a scheduled PPV; one already sending or sent stays as it is."""
    actor = actor_of(request)
    ppv_cancel(actor=actor, ppv_item_id=ppv_item_id)
    return _out(ppv_get(actor=actor, ppv_item_id=ppv_item_id))


class SuggestionFilters(Schema):
    segment_id: int | None = None


class PriceSuggestionOut(Schema):
    price_cents: int | None
    reason: str
    explanation: str
    floor_cents: int
    ceiling_cents: int


@router.get("/ppv-price-suggestion", response={200: PriceSuggestionOut, **READ_ERRORS})
def price_suggestion(request: HttpRequest, filters: Query[SuggestionFilters]) -> PriceSuggestionOut:
    """A price from the creator's sales history (for a segment when given). `price_cents` is
    null with `reason` "not_enough_data" when the history is too short."""
    actor = actor_of(request)
    actor.require(Permission.READ)
    if filters.segment_id is not None:
        segment_check(creator_id=actor.creator_id, segment_id=filters.segment_id)
    found = ppv_price_suggestion(creator_id=actor.creator_id, segment_id=filters.segment_id)
    return PriceSuggestionOut(
        price_cents=found.price_cents,
        reason=found.reason,
        explanation=str((found.detail or {}).get("explanation", "")),
        floor_cents=PPV_MIN_PRICE_CENTS,
        ceiling_cents=PPV_MAX_PRICE_CENTS,
    )
