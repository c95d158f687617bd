"""The Fans CRM pages under /onlyfans/fans: the fan table (filters, sorts, pages, bulk tagging,
CSV export, smart lists, saved segments and the rule builder) and a fan's profile (header, spend
chart, timeline). Segment writes go through the JSON API (assets/js/fans.js)."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huntaze.commerce.models import TransactionType
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.fields import Platform
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.fans.models import Fan, SubscriptionState
from huntaze.fans.presentation import money
from huntaze.fans.segments import SMART_LISTS, catalogue
from huntaze.fans.selectors import fan_get_visible
from huntaze.fans.selectors_crm import (
    EXPORT_COLUMNS,
    TABLE_SORTS,
    FanTableFilters,
    fan_export_batches,
    fan_table_page,
    segment_list_visible,
)
from huntaze.fans.selectors_profile import (
    fan_conversation_id,
    fan_spend_by_month,
    fan_timeline_page,
)
from huntaze.fans.services_crm import fan_tags_bulk_change

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def sort_labels() -> dict[str, str]:
    return {
        "spend": _("Biggest spend"),
        "spend_asc": _("Smallest spend"),
        "joined": _("Newest fans"),
        "joined_asc": _("Oldest fans"),
        "last_purchase": _("Last purchase"),
        "ltv": _("Lifetime value"),
        "churn_risk": _("Churn risk"),
        "name": _("Username"),
    }


def _int_or_none(value: str | None, field: str) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed.on_field(field, _("%(f)s: a number.") % {"f": field}) from None


def filters_of(data: Any) -> FanTableFilters:
    return FanTableFilters(
        search=data.get("q", "")[:200],
        subscription_state=data.get("state", ""),
        platform=data.get("platform", ""),
        tag=data.get("tag", "")[:60],
        segment_id=_int_or_none(data.get("segment"), "segment"),
        smart_list=data.get("list", ""),
        sort=data.get("sort", "") or "spend",
    ).cleaned()


def filters_query(filters: FanTableFilters, **extra: Any) -> str:
    values = {
        "q": filters.search,
        "state": filters.subscription_state,
        "platform": filters.platform,
        "tag": filters.tag,
        "segment": filters.segment_id or "",
        "list": filters.smart_list,
        "sort": "" if filters.sort == "spend" else filters.sort,
        **extra,
    }
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@dataclass(frozen=True)
class FanRow:
    fan: Fan
    name: str
    spend: str
    ltv: str
    churn_percent: int | None
    state_label: str


def _rows(fans: list[Fan], currency: str) -> list[FanRow]:
    states = dict(SubscriptionState.choices)
    return [
        FanRow(
            fan=fan,
            name=fan.display_name or fan.username,
            spend=money(fan.total_spent_cents, currency),
            ltv=money(fan.ltv_cents, currency),
            churn_percent=None if fan.churn_risk is None else round(fan.churn_risk * 100),
            state_label=str(states.get(fan.subscription_state, "")),
        )
        for fan in fans
    ]


def _builder_config(actor: Actor) -> dict[str, Any]:
    return {
        "fields": catalogue(),
        "can_manage": actor.can(Permission.MANAGE_FANS),
        "labels": {
            "matches": _("%(count)s fans match"),
            "saved": _("Segment saved."),
            "deleted": _("Segment deleted."),
            "failed": _("Something went wrong; try again."),
            "confirm_delete": _("Delete this segment?"),
            "money": _("amount"),
            "count": _("number"),
            "ratio": _("percent"),
            "days": _("days"),
            "missing": _("Condition %(number)s: fill in its value."),
            "nested": _("This segment has nested groups: change it through the API."),
        },
    }


def _page_number(request: HttpRequest) -> int:
    number = _int_or_none(request.GET.get("page"), "page")
    return number if number is not None else 1


@require_GET
@workspace_page(Permission.READ)
def fans_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    currency = creator_get(creator_id=actor.creator_id).currency
    filters = filters_of(request.GET)
    page = fan_table_page(actor=actor, filters=filters, number=_page_number(request))
    segments = segment_list_visible(actor=actor)
    context = {
        "filters": filters,
        "page": page,
        "rows": _rows(page.items, currency),
        "segments": segments,
        "segment_data": [
            {"id": s.id, "name": s.name, "description": s.description, "rules": s.rules}
            for s in segments
        ],
        "smart_lists": list(SMART_LISTS.values()),
        "sorts": [(key, sort_labels()[key]) for key in TABLE_SORTS],
        "states": SubscriptionState.choices,
        "platforms": Platform.choices,
        "can_manage": actor.can(Permission.MANAGE_FANS),
        "query": filters_query(filters),
        "previous_query": filters_query(filters, page=page.number - 1),
        "next_query": filters_query(filters, page=page.number + 1),
        "builder_config": _builder_config(actor),
    }
    return render(request, "fans/fans.html", context)


# CSV export -------------------------------------------------------------------------------------


class _Line:
    """A file-like object whose write returns what csv wrote."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A spreadsheet would run a cell starting like a formula: keep it text.
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _csv_rows(batch: list[tuple[Any, ...]]) -> str:
    writer = csv.writer(_Line())
    return "".join(writer.writerow([_cell(value) for value in row]) for row in batch)


def _sync_csv(batches: Iterator[list[tuple[Any, ...]]]) -> Iterator[str]:
    yield csv.writer(_Line()).writerow(EXPORT_COLUMNS)
    for batch in batches:
        yield _csv_rows(batch)


async def _async_csv(batches: Iterator[list[tuple[Any, ...]]]) -> AsyncIterator[str]:
    yield csv.writer(_Line()).writerow(EXPORT_COLUMNS)
    next_batch = sync_to_async(lambda: next(batches, None), thread_sensitive=True)
    while (batch := await next_batch()) is not None:
        yield _csv_rows(batch)


@require_GET
@workspace_page(Permission.READ)
def fans_export(request: HttpRequest) -> HttpResponse:
    """The fans matching the table's filters as CSV, streamed batch by batch (1,000 rows per
    query) so memory stays flat for 100k fans; async under ASGI, sync under WSGI."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    filters = filters_of(request.GET)
    batches = fan_export_batches(actor=actor, filters=filters)
    content: Any = _async_csv(batches) if isinstance(request, ASGIRequest) else _sync_csv(batches)
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="fans-{stamp}.csv"'
    return cast(HttpResponse, response)  # workspace_page's type; Django serves either


# Bulk tagging -----------------------------------------------------------------------------------


def _selected_ids(request: HttpRequest) -> list[int]:
    try:
        return [int(value) for value in request.POST.getlist("fan_ids")]
    except ValueError:
        raise ValidationFailed.on_field("fan_ids", _("fan_ids: fan numbers.")) from None


@require_POST
@workspace_page(Permission.MANAGE_FANS)
def fans_bulk_tags(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    filters = filters_of(request.POST)
    is_all = request.POST.get("scope") == "all"
    try:
        result = fan_tags_bulk_change(
            actor=actor,
            tag=request.POST.get("bulk_tag", ""),
            action=request.POST.get("action", ""),
            fan_ids=None if is_all else _selected_ids(request),
            filters=filters if is_all else None,
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
    else:
        text = _("Tags changed on %(changed)d fans (%(unchanged)d already right).") % {
            "changed": result.changed,
            "unchanged": result.unchanged,
        }
        if result.skipped_full:
            text += " " + _("%(n)d fans skipped: they have 20 tags already.") % {
                "n": result.skipped_full
            }
        messages.success(request, text)
    return redirect(f"/onlyfans/fans?{filters_query(filters)}")


# Fan profile ------------------------------------------------------------------------------------


def _chart_data(chart: Any) -> dict[str, Any]:
    labels = dict(TransactionType.choices)
    return {
        "months": chart.months,
        "currency": chart.currency,
        "series": [
            {"type": key, "name": str(labels.get(key, key)), "cents": values}
            for key, values in sorted(chart.series.items())
        ],
    }


@require_GET
@workspace_page(Permission.READ)
def fan_profile(request: HttpRequest, fan_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    fan = fan_get_visible(actor=actor, fan_id=fan_id)
    currency = creator_get(creator_id=actor.creator_id).currency
    chart = fan_spend_by_month(actor=actor, fan_id=fan.id, currency=currency)
    timeline = fan_timeline_page(actor=actor, fan_id=fan.id)
    context = {
        "fan": fan,
        "row": _rows([fan], currency)[0],
        "platform_label": dict(Platform.choices).get(fan.platform, fan.platform),
        "conversation_id": fan_conversation_id(actor=actor, fan_id=fan.id),
        "chart": chart,
        "chart_data": _chart_data(chart),
        "timeline": timeline,
        "currency": currency,
    }
    return render(request, "fans/profile.html", context)


@require_GET
@workspace_page(Permission.READ)
def fan_timeline(request: HttpRequest, fan_id: int) -> HttpResponse:
    """More of the timeline (HTMX): the entries before `before`."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    timeline = fan_timeline_page(actor=actor, fan_id=fan_id, before=request.GET.get("before", ""))
    currency = creator_get(creator_id=actor.creator_id).currency
    context = {"timeline": timeline, "fan": {"id": fan_id}, "currency": currency}
    return render(request, "fans/_timeline.html", context)
