"""Commerce API: transactions."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from huntaze.commerce.selectors import transaction_list
from huntaze.core.api_utils import ErrorOut, actor_of, page_bounds, values_page
from huntaze.core.permissions import Permission

router = Router(tags=["commerce"])


class TransactionOut(Schema):
    id: int
    fan_id: int | None
    amount_cents: int
    currency: str
    status: str
    type: str
    platform: str
    occurred_at: datetime


class TransactionPage(Schema):
    items: list[TransactionOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class TransactionFilters(Schema):
    type: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


@router.get(
    "/transactions", response={200: TransactionPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
)
def list_transactions(request: HttpRequest, filters: Query[TransactionFilters]) -> HttpResponse:
    actor = actor_of(request)
    actor.require(Permission.VIEW_BILLING)
    limit, offset = page_bounds(filters.limit, filters.offset)
    queryset = transaction_list(
        creator_id=actor.creator_id, type=filters.type, since=filters.since, until=filters.until
    )
    return values_page(queryset, TransactionOut, limit=limit, offset=offset)
