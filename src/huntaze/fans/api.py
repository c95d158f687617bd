"""Fans API."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from huntaze.core.api_utils import ErrorOut, actor_of, page, page_bounds
from huntaze.fans.selectors import fan_get, fan_list

router = Router(tags=["fans"])


class FanOut(Schema):
    id: int
    platform: str
    username: str
    display_name: str
    joined_at: datetime
    subscription_state: str
    total_spent_cents: int
    purchases_count: int
    last_purchase_at: datetime | None
    tags: list[str]
    ltv_cents: int | None
    churn_risk: float | None


class FanPage(Schema):
    items: list[FanOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class FanFilters(Schema):
    search: str = ""
    sort: str = "spend"
    subscription_state: str = ""
    limit: int = 50
    offset: int = 0


@router.get("", response={200: FanPage, 401: ErrorOut, 422: ErrorOut})
def list_fans(request: HttpRequest, filters: Query[FanFilters]) -> dict[str, object]:
    actor = actor_of(request)
    limit, offset = page_bounds(filters.limit, filters.offset)
    queryset = fan_list(
        creator_id=actor.creator_id,
        search=filters.search,
        sort=filters.sort,
        subscription_state=filters.subscription_state,
    )
    return page(list(queryset[offset : offset + limit + 1]), limit=limit, offset=offset)


@router.get("/{fan_id}", response={200: FanOut, 401: ErrorOut, 404: ErrorOut})
def get_fan(request: HttpRequest, fan_id: int) -> object:
    return fan_get(creator_id=actor_of(request).creator_id, fan_id=fan_id)
