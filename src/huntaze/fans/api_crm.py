"""Fans CRM API: saved segments (CRUD, preview, their fans), the rule catalogue, smart lists
and bulk tagging. Mounted inside the fans router (/api/v1/fans/...)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from huntaze.core.api_utils import ErrorOut, actor_of, page, page_bounds
from huntaze.fans.segments import SMART_LISTS, catalogue
from huntaze.fans.selectors_crm import (
    FanTableFilters,
    segment_counted_visible,
    segment_fan_list,
    segment_get_visible,
    segment_list_visible,
    segment_preview,
)
from huntaze.fans.services_crm import (
    fan_tags_bulk_change,
    segment_create,
    segment_delete,
    segment_update,
)

READ_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    rules: dict[str, Any]
    fan_count: int
    counted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SegmentIn(Schema):
    name: str
    description: str = ""
    rules: dict[str, Any]


class SegmentUpdateIn(Schema):
    name: str | None = None
    description: str | None = None
    rules: dict[str, Any] | None = None


class PreviewIn(Schema):
    rules: dict[str, Any]


class FanBriefOut(Schema):
    id: int
    username: str
    display_name: str
    platform: str
    subscription_state: str
    total_spent_cents: int
    ltv_cents: int | None
    churn_risk: float | None


class PreviewOut(Schema):
    count: int
    sample: list[FanBriefOut]


class FanBriefPage(Schema):
    items: list[FanBriefOut]
    limit: int
    offset: int
    has_more: bool
    total: int | None


class PageIn(Schema):
    limit: int = 50
    offset: int = 0


class SmartListOut(Schema):
    slug: str
    label: str
    hint: str
    rules: dict[str, Any]


class BulkTagsIn(Schema):
    tag: str
    action: str = "add"
    fan_ids: list[int] | None = None
    all_matching: bool = False
    search: str = ""
    subscription_state: str = ""
    platform: str = ""
    filter_tag: str = ""
    segment_id: int | None = None
    smart_list: str = ""


class BulkTagsOut(Schema):
    changed: int
    unchanged: int
    skipped_full: int


def segment_fields(request: HttpRequest) -> object:
    """The fields a segment rule may use, each with its operators and, for choices, values."""
    actor_of(request)
    return catalogue()


def smart_lists(request: HttpRequest) -> object:
    """Built-in segments (big spenders, expiring, expired, never spent, at risk)."""
    actor_of(request)
    return [
        {"slug": s.slug, "label": str(s.label), "hint": str(s.hint), "rules": s.rules}
        for s in SMART_LISTS.values()
    ]


def list_segments(request: HttpRequest) -> object:
    return segment_list_visible(actor=actor_of(request))


def create_segment(request: HttpRequest, payload: SegmentIn) -> Status[object]:
    """Save a segment: `rules` is {match: all|any, conditions: [{field, op, value}...]}; see
    GET /segments/fields. Unknown fields or operators answer 422 naming them."""
    actor = actor_of(request)
    segment = segment_create(
        actor=actor, name=payload.name, description=payload.description, rules=payload.rules
    )
    return Status(201, segment_counted_visible(actor=actor, segment=segment))


def preview_segment(request: HttpRequest, payload: PreviewIn) -> object:
    """How many fans the rules match now, and the five biggest spenders among them."""
    return segment_preview(actor=actor_of(request), rules=payload.rules)


def get_segment(request: HttpRequest, segment_id: int) -> object:
    return segment_get_visible(actor=actor_of(request), segment_id=segment_id)


def update_segment(request: HttpRequest, segment_id: int, payload: SegmentUpdateIn) -> object:
    actor = actor_of(request)
    segment = segment_update(
        actor=actor,
        segment_id=segment_id,
        name=payload.name,
        description=payload.description,
        rules=payload.rules,
    )
    return segment_counted_visible(actor=actor, segment=segment)


def delete_segment(request: HttpRequest, segment_id: int) -> Status[None]:
    segment_delete(actor=actor_of(request), segment_id=segment_id)
    return Status(204, None)


def segment_fans(request: HttpRequest, segment_id: int, paging: Query[PageIn]) -> object:
    """The segment's fans now, biggest spenders first."""
    limit, offset = page_bounds(paging.limit, paging.offset)
    queryset = segment_fan_list(actor=actor_of(request), segment_id=segment_id)
    return page(list(queryset[offset : offset + limit + 1]), limit=limit, offset=offset)


def bulk_tags(request: HttpRequest, payload: BulkTagsIn) -> object:
    """Add or remove one tag on `fan_ids` (at most 500), or with `all_matching` on every fan
    matching the filters (search, subscription_state, platform, filter_tag, segment_id,
    smart_list)."""
    filters = FanTableFilters(
        search=payload.search,
        subscription_state=payload.subscription_state,
        platform=payload.platform,
        tag=payload.filter_tag,
        segment_id=payload.segment_id,
        smart_list=payload.smart_list,
    )
    return fan_tags_bulk_change(
        actor=actor_of(request),
        tag=payload.tag,
        action=payload.action,
        fan_ids=None if payload.all_matching else (payload.fan_ids or []),
        filters=filters if payload.all_matching else None,
    )


def add_routes(router: Router) -> None:
    """Add these routes to the fans router, ahead of its `/{fan_id}` routes."""
    router.add_api_operation(
        "/segments/fields",
        ["GET"],
        segment_fields,
        response={200: list[dict[str, Any]], 401: ErrorOut},
    )
    router.add_api_operation(
        "/smart-lists", ["GET"], smart_lists, response={200: list[SmartListOut], 401: ErrorOut}
    )
    router.add_api_operation(
        "/segments", ["GET"], list_segments, response={200: list[SegmentOut], 401: ErrorOut}
    )
    router.add_api_operation(
        "/segments", ["POST"], create_segment, response={201: SegmentOut, **WRITE_ERRORS}
    )
    router.add_api_operation(
        "/segments/preview", ["POST"], preview_segment, response={200: PreviewOut, **READ_ERRORS}
    )
    router.add_api_operation(
        "/segments/{segment_id}", ["GET"], get_segment, response={200: SegmentOut, **READ_ERRORS}
    )
    router.add_api_operation(
        "/segments/{segment_id}",
        ["PUT"],
        update_segment,
        response={200: SegmentOut, **WRITE_ERRORS},
    )
    router.add_api_operation(
        "/segments/{segment_id}",
        ["DELETE"],
        delete_segment,
        response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    )
    router.add_api_operation(
        "/segments/{segment_id}/fans",
        ["GET"],
        segment_fans,
        response={200: FanBriefPage, **READ_ERRORS},
    )
    router.add_api_operation(
        "/bulk-tags", ["POST"], bulk_tags, response={200: BulkTagsOut, **WRITE_ERRORS}
    )
