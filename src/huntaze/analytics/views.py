"""The analytics pages under /analytics/: a filter (range, workspaces), key figures, charts, tables
and a CSV export of each table (`?format=csv&table=<n>`)."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from huntaze.analytics.cache import ANALYTICS_CACHE, CACHE_TTL_S, creator_versions
from huntaze.analytics.filters import (
    PRESET_DAYS,
    AnalyticsFilter,
    analytics_filter_parse,
    analytics_workspaces,
)
from huntaze.analytics.presenters import PRESENTERS, PageView, Table
from huntaze.analytics.selectors_pages import analytics_page
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import WorkspaceSummary

CACHE_HEADER = "X-Analytics-Cache"  # hit, miss or partial (several workspaces)
CACHE_COUNT_HEADER = "X-Analytics-Cache-Hits"  # "<hits>/<lookups>"


@dataclass(frozen=True)
class AnalyticsNav:
    slug: str
    url: str
    label: Any


# The nine pages of the seed's Analytics section, in its order.
ANALYTICS_NAV: tuple[AnalyticsNav, ...] = (
    AnalyticsNav("overview", "/analytics/", _("Overview")),
    AnalyticsNav("revenue", "/analytics/revenue", _("Revenue")),
    AnalyticsNav("content", "/analytics/content", _("Content")),
    AnalyticsNav("fans", "/analytics/fans", _("Fans")),
    AnalyticsNav("platforms", "/analytics/platforms", _("Platforms")),
    AnalyticsNav("funnel", "/analytics/funnel", _("Funnel")),
    AnalyticsNav("forecast", "/analytics/forecast", _("Forecast")),
    AnalyticsNav("churn", "/analytics/churn", _("Churn")),
    AnalyticsNav("pricing", "/analytics/pricing", _("Pricing")),
)
TITLES = {item.slug: item.label for item in ANALYTICS_NAV}

Builder = Callable[[AnalyticsFilter], tuple[PageView, dict[str, Any], tuple[int, int]]]


def _workspaces(request: HttpRequest, actor: Actor) -> list[WorkspaceSummary]:
    """The actor's analytics workspaces, read once per request."""
    cached = getattr(request, "_analytics_workspaces", None)
    if cached is None:
        cached = analytics_workspaces(actor=actor)
        request._analytics_workspaces = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]


def _filter_from(request: HttpRequest, actor: Actor) -> AnalyticsFilter:
    return analytics_filter_parse(
        actor=actor,
        workspaces=_workspaces(request, actor),
        creators=request.GET.getlist("creator"),
        start=request.GET.get("from", ""),
        end=request.GET.get("to", ""),
        preset=request.GET.get("days", ""),
    )


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(
            [_csv_safe(cell.raw if cell.raw is not None else cell.display) for cell in row]
        )
    return response


def _csv_safe(value: Any) -> Any:
    """Keep a spreadsheet from running a cell as a formula (titles come from users)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _base_context(
    request: HttpRequest, actor: Actor, page: str, analytics_filter: AnalyticsFilter | None
) -> dict[str, Any]:
    workspaces = _workspaces(request, actor)
    chosen = set(analytics_filter.creator_ids) if analytics_filter else {actor.creator_id}
    return {
        "page": page,
        "page_title": TITLES[page],
        "analytics_nav": [item for item in ANALYTICS_NAV if _is_available(item.slug)],
        "analytics_filter": analytics_filter,
        "workspaces": workspaces,
        "chosen_creators": chosen,
        "preset_days": PRESET_DAYS,
        "query": request.GET,
        "field_errors": {},
        "show_range": True,
    }


def _is_available(slug: str) -> bool:
    from huntaze.analytics.urls import available_pages

    return slug in available_pages()


def render_page(
    request: HttpRequest,
    page: str,
    build: Builder,
    template: str = "analytics/page.html",
    filter_context: dict[str, Any] | None = None,
    is_fragment_cached: bool = False,
) -> HttpResponse:
    """Parse the filter, build the page view (or its CSV), render. `build` returns the view, extra
    context, and (cache hits, cache lookups) for the response headers; `filter_context` adds
    page-specific controls to the filter form. With `is_fragment_cached` (pages whose data only
    depends on the rollups), the rendered figures, charts and tables are cached too, under the
    creators' data versions."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    analytics_filter = None
    try:
        analytics_filter = _filter_from(request, actor)
        if request.GET.get("format") == "csv":
            built, _extra, counts = build(analytics_filter)
            return _with_cache_headers(_csv_of(request, page, built, analytics_filter), counts)
        body, has_charts, counts, view = _body(
            request, page, analytics_filter, build, is_fragment_cached=is_fragment_cached
        )
    except ValidationFailed as error:
        context = _base_context(request, actor, page, analytics_filter)
        context.update(filter_context or {})
        context["field_errors"] = {name: msgs[0] for name, msgs in error.field_errors.items()}
        context["error_message"] = error.message
        return render(request, template, context, status=400)
    context = _base_context(request, actor, page, analytics_filter)
    context.update(filter_context or {})
    context.update(body_html=body, has_charts=has_charts)
    if view is not None:
        context["view"] = view
    return _with_cache_headers(render(request, template, context), counts)


def _with_cache_headers(response: HttpResponse, counts: tuple[int, int]) -> HttpResponse:
    hits, lookups = counts
    response[CACHE_HEADER] = "hit" if hits == lookups else ("miss" if hits == 0 else "partial")
    response[CACHE_COUNT_HEADER] = f"{hits}/{lookups}"
    return response


def _fragment_key(request: HttpRequest, page: str, analytics_filter: AnalyticsFilter) -> str:
    versions = creator_versions(analytics_filter.creator_ids)
    creators = ",".join(
        f"{creator_id}:{version}"
        for creator_id, version in zip(analytics_filter.creator_ids, versions, strict=True)
    )
    query = sorted((k, v) for k, vs in request.GET.lists() for v in vs if k not in ("format",))
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:16]
    return (
        f"analytics:html:s1:{page}:{get_language()}:{creators}:"
        f"{analytics_filter.day_from.isoformat()}:{analytics_filter.day_to.isoformat()}:{digest}"
    )


def _body(
    request: HttpRequest,
    page: str,
    analytics_filter: AnalyticsFilter,
    build: Builder,
    *,
    is_fragment_cached: bool,
) -> tuple[str, bool, tuple[int, int], PageView | None]:
    """The rendered figures, charts and tables: (html, has charts, cache counts, the view when
    it was built)."""
    key = _fragment_key(request, page, analytics_filter) if is_fragment_cached else None
    if key is not None:
        stored = cache.get(key)
        if stored is not None:
            ANALYTICS_CACHE.labels(page=f"{page}_html", result="hit").inc()
            lookups = len(analytics_filter.creator_ids)
            return mark_safe(stored[0]), bool(stored[1]), (lookups, lookups), None  # noqa: S308
        ANALYTICS_CACHE.labels(page=f"{page}_html", result="miss").inc()
    view, extra, counts = build(analytics_filter)
    context = {
        "view": view,
        "query": request.GET,
        "chosen_creators": set(analytics_filter.creator_ids),
        **extra,
    }
    body = render_to_string("analytics/_body.html", context, request=request)
    has_charts = bool(view.charts) and view.has_figures
    if key is not None:
        cache.set(key, (str(body), has_charts), CACHE_TTL_S)
    return body, has_charts, counts, view


def _csv_of(
    request: HttpRequest, page: str, view: PageView, analytics_filter: AnalyticsFilter
) -> HttpResponse:
    try:
        index = int(request.GET.get("table", "0"))
        table = view.tables[index]
    except (ValueError, IndexError):
        return HttpResponse(
            str(_("No such table on this page.")), status=400, content_type="text/plain"
        )
    filename = (
        f"analytics-{page}-{analytics_filter.day_from.isoformat()}-"
        f"{analytics_filter.day_to.isoformat()}-{index}.csv"
    )
    return csv_response(table, filename)


def _rollup_page(slug: str) -> Callable[[HttpRequest], HttpResponse]:
    @workspace_page(Permission.VIEW_ANALYTICS)
    def view(request: HttpRequest) -> HttpResponse:
        def build(
            analytics_filter: AnalyticsFilter,
        ) -> tuple[PageView, dict[str, Any], tuple[int, int]]:
            result = analytics_page(page=slug, analytics_filter=analytics_filter)
            page_view = PRESENTERS[slug](
                result.data, analytics_filter, for_export=request.GET.get("format") == "csv"
            )
            extra: dict[str, Any] = {}
            if slug == "overview":
                extra["insights"] = _insights_of(result.data, request)
            return page_view, extra, (result.cache_hits, result.cache_lookups)

        return render_page(request, slug, build, is_fragment_cached=True)

    view.__name__ = f"analytics_{slug}"
    return view


def _insights_of(data: dict[str, Any], request: HttpRequest) -> list[dict[str, Any]]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    names = {w.creator_id: w.name for w in _workspaces(request, actor)}
    return [
        {**item, "creator_name": names.get(item["creator_id"], ""),
         "confidence_pct": round(item["confidence"] * 100)}
        for item in sorted(data["items"], key=lambda i: i["period"], reverse=True)
    ]  # fmt: skip


overview = _rollup_page("overview")
revenue = _rollup_page("revenue")
content = _rollup_page("content")
fans = _rollup_page("fans")
platforms = _rollup_page("platforms")
funnel = _rollup_page("funnel")
