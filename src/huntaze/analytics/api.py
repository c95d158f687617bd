"""Analytics JSON API under /api/v1/analytics: the data of each page, the AI summary run, and
tracked funnel events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from huntaze.analytics.filters import analytics_filter_parse
from huntaze.analytics.selectors_pages import analytics_page
from huntaze.analytics.services_insights import insight_summary_run
from huntaze.analytics.services_rollups import funnel_event_record
from huntaze.core.api_utils import ErrorOut, actor_of
from huntaze.core.errors import ValidationFailed
from huntaze.core.permissions import Permission

router = Router(tags=["analytics"])

PageName = Literal["overview", "revenue", "content", "fans", "platforms", "funnel"]


class AnalyticsQuery(Schema):
    creator: list[int] = Field(default_factory=list, description="Workspaces to sum (yours).")
    from_: str = Field("", alias="from", description="First day, YYYY-MM-DD (UTC).")
    to: str = Field("", description="Last day, YYYY-MM-DD (UTC); today by default.")
    days: str = Field("", description="Instead of dates: 7, 30, 90 or 365 days to today.")


class PageOut(Schema):
    page: str
    creator_ids: list[int]
    currency: str
    day_from: date
    day_to: date
    days: list[date]
    history_start: date | None
    totals: dict[str, int]
    series: dict[str, list[int]]
    groups: dict[str, dict[str, int]]
    items: list[dict[str, Any]]


@router.get(
    "/pages/{page}",
    response={200: PageOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def page_data(request: HttpRequest, page: PageName, query: Query[AnalyticsQuery]) -> dict:
    """The figures behind one analytics page, summed over the chosen workspaces. Money in
    cents; `series` has one value per day of `days`. A range that ends before the first day
    with data is refused: not enough history yet."""
    actor = actor_of(request)
    analytics_filter = analytics_filter_parse(
        actor=actor,
        creators=[str(creator_id) for creator_id in query.creator],
        start=query.from_,
        end=query.to,
        preset=query.days,
    )
    data = analytics_page(page=page, analytics_filter=analytics_filter).data
    start = data["history_start"]
    if start is None or analytics_filter.day_to < date.fromisoformat(start):
        raise ValidationFailed.on_field(
            "to",
            "Not enough history yet: "
            + (f"the data starts on {start}." if start else "nothing has been recorded."),
        )
    return {
        "page": page,
        "creator_ids": list(analytics_filter.creator_ids),
        "currency": analytics_filter.currency,
        "day_from": analytics_filter.day_from,
        "day_to": analytics_filter.day_to,
        "days": analytics_filter.day_list(),
        **data,
    }


class InsightRunOut(Schema):
    creator_id: int
    period: str
    status: str
    confidence: float | None
    summary: str


@router.post(
    "/ai/summary/run",
    response={200: InsightRunOut, 401: ErrorOut, 403: ErrorOut, 503: ErrorOut},
)
def ai_summary_run(request: HttpRequest) -> object:
    """Summarise the last seven full days of the workspace through the AI router (the daily job
    does it for every workspace). Idempotent per period: a rerun returns the stored summary."""
    actor = actor_of(request)
    actor.require(Permission.VIEW_ANALYTICS)
    return insight_summary_run(creator_id=actor.creator_id)


class FunnelEventIn(Schema):
    stage: Literal["visit", "follow"]
    platform: str
    occurred_at: datetime
    count: int = 1


class FunnelEventOut(Schema):
    recorded: int


@router.post(
    "/funnel/events",
    response={201: FunnelEventOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def funnel_event(request: HttpRequest, payload: FunnelEventIn) -> Status[dict[str, int]]:
    """Record tracked funnel events (visits of a tracked link, follows) for the workspace."""
    actor = actor_of(request)
    actor.require(Permission.MANAGE_MARKETING)
    funnel_event_record(
        creator_id=actor.creator_id,
        stage=payload.stage,
        platform=payload.platform,
        occurred_at=payload.occurred_at,
        count=payload.count,
    )
    return Status(201, {"recorded": payload.count})
