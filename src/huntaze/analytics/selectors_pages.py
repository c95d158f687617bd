"""Reads of the analytics pages (overview, revenue, content, fans, platforms, funnel).

Each page is computed per creator from the rollups only (`daily_revenue`, `daily_activity`,
`daily_fans`, `daily_funnel`, `fan_cohorts`, `content_performance`, `ai_insights`), cached per
creator, range and data version (`analytics.cache`), then summed over the chosen creators.

A page's data is a plain dict that sums across creators: `totals` (name -> int), `series`
(name -> one int per day of the range), `groups` (name -> key -> int), `items` (rows, joined)
and `history_start` (the first day with data, the earliest of the creators).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, Min, Sum

from huntaze.analytics.cache import cached
from huntaze.analytics.filters import AnalyticsFilter
from huntaze.analytics.models import (
    TRACKED_STAGES,
    AIInsight,
    ContentPerformance,
    DailyActivity,
    DailyFans,
    DailyFunnel,
    DailyRevenue,
    FanCohort,
    FunnelStage,
)

PAGES = ("overview", "revenue", "content", "fans", "platforms", "funnel")
CONTENT_ITEMS_LIMIT = 200
INSIGHTS_LIMIT = 3

PageData = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PageResult:
    data: PageData
    cache_hits: int
    cache_lookups: int


def _empty() -> PageData:
    return {"totals": {}, "series": {}, "groups": {}, "items": [], "history_start": None}


def _day_index(analytics_filter: AnalyticsFilter) -> dict[date, int]:
    return {day: n for n, day in enumerate(analytics_filter.day_list())}


def _series(data: PageData, name: str, length: int) -> list[int]:
    return data["series"].setdefault(name, [0] * length)


def _add(mapping: dict[str, int], key: str, value: int) -> None:
    mapping[key] = mapping.get(key, 0) + int(value or 0)


def _history_start(creator_id: int) -> str | None:
    firsts = [
        DailyRevenue.objects.for_creator(creator_id).aggregate(first=Min("day"))["first"],
        DailyActivity.objects.for_creator(creator_id).aggregate(first=Min("day"))["first"],
    ]
    known = [day for day in firsts if day is not None]
    return min(known).isoformat() if known else None


# --- Per creator -----------------------------------------------------------------------------


def _revenue_into(
    data: PageData, creator_id: int, analytics_filter: AnalyticsFilter, *, per_platform: bool
) -> None:
    index = _day_index(analytics_filter)
    length = len(index)
    rows = (
        DailyRevenue.objects.for_creator(creator_id)
        .filter(day__range=(analytics_filter.day_from, analytics_filter.day_to))
        .values_list("day", "platform", "revenue_type", "amount_cents", "transactions_count")
    )
    groups = data["groups"]
    totals = data["totals"]
    for day, platform, revenue_type, amount, count in rows:
        position = index[day]
        _series(data, "revenue", length)[position] += amount
        _series(data, f"type:{revenue_type}", length)[position] += amount
        if per_platform:
            _series(data, f"platform:{platform}", length)[position] += amount
        _add(groups.setdefault("revenue_by_type", {}), revenue_type, amount)
        _add(groups.setdefault("transactions_by_type", {}), revenue_type, count)
        _add(groups.setdefault("revenue_by_platform", {}), platform, amount)
        _add(groups.setdefault("transactions_by_platform", {}), platform, count)
        _add(totals, "revenue_cents", amount)
        _add(totals, "transactions", count)
    previous_from, previous_to = analytics_filter.previous
    previous = (
        DailyRevenue.objects.for_creator(creator_id)
        .filter(day__range=(previous_from, previous_to))
        .aggregate(amount=Sum("amount_cents"))
    )
    _add(totals, "previous_revenue_cents", previous["amount"] or 0)


def _activity_into(data: PageData, creator_id: int, analytics_filter: AnalyticsFilter) -> None:
    index = _day_index(analytics_filter)
    rows = (
        DailyActivity.objects.for_creator(creator_id)
        .filter(day__range=(analytics_filter.day_from, analytics_filter.day_to))
        .values_list(
            "day", "new_fans", "messages_out", "conversations_inbound", "conversations_answered"
        )
    )
    totals = data["totals"]
    for day, new_fans, messages_out, inbound, answered in rows:
        _series(data, "new_fans", len(index))[index[day]] += new_fans
        _add(totals, "new_fans", new_fans)
        _add(totals, "messages_out", messages_out)
        _add(totals, "conversations_inbound", inbound)
        _add(totals, "conversations_answered", answered)


def _fans_into(data: PageData, creator_id: int, analytics_filter: AnalyticsFilter) -> None:
    index = _day_index(analytics_filter)
    length = len(index)
    active = _series(data, "active_fans", length)
    churned = _series(data, "churned_fans", length)
    rows = (
        DailyFans.objects.for_creator(creator_id)
        .filter(day__range=(analytics_filter.day_from, analytics_filter.day_to))
        .values_list("day", "active_fans", "churned_fans")
    )
    for day, active_fans, churned_fans in rows:
        active[index[day]] += active_fans
        churned[index[day]] += churned_fans
        _add(data["totals"], "churned_fans", churned_fans)
    _add(data["totals"], "active_fans_end", active[-1])
    _add(data["totals"], "active_fans_start", active[0])


def _cohorts_into(data: PageData, creator_id: int) -> None:
    sizes = data["groups"].setdefault("cohort_size", {})
    paying = data["groups"].setdefault("cohort_paying", {})
    rows = FanCohort.objects.for_creator(creator_id).values_list(
        "cohort_month", "month_offset", "cohort_size", "paying_fans"
    )
    for month, offset, size, paying_fans in rows:
        sizes[month.isoformat()] = sizes.get(month.isoformat(), 0) + (size if offset == 0 else 0)
        _add(paying, f"{month.isoformat()}|{offset}", paying_fans)


def _funnel_into(data: PageData, creator_id: int, analytics_filter: AnalyticsFilter) -> None:
    rows = (
        DailyFunnel.objects.for_creator(creator_id)
        .filter(day__range=(analytics_filter.day_from, analytics_filter.day_to))
        .values("platform", "stage")
        .annotate(count=Sum("count"))
        .order_by()
    )
    by_stage = data["groups"].setdefault("stage", {})
    by_platform = data["groups"].setdefault("platform_stage", {})
    for row in rows:
        _add(by_stage, row["stage"], row["count"])
        _add(by_platform, f"{row['platform']}|{row['stage']}", row["count"])
    is_tracked = (
        DailyFunnel.objects.for_creator(creator_id).filter(stage__in=TRACKED_STAGES).exists()
    )
    _add(data["totals"], "tracked_sources", int(is_tracked))


def _new_fans_by_platform_into(
    data: PageData, creator_id: int, analytics_filter: AnalyticsFilter
) -> None:
    rows = (
        DailyFunnel.objects.for_creator(creator_id)
        .filter(
            day__range=(analytics_filter.day_from, analytics_filter.day_to),
            stage=FunnelStage.SUBSCRIBE,
        )
        .values("platform")
        .annotate(count=Sum("count"))
        .order_by()
    )
    group = data["groups"].setdefault("new_fans_by_platform", {})
    for row in rows:
        _add(group, row["platform"], row["count"])


def _content_into(data: PageData, creator_id: int, analytics_filter: AnalyticsFilter) -> None:
    rows = (
        ContentPerformance.objects.for_creator(creator_id)
        .filter(published_on__range=(analytics_filter.day_from, analytics_filter.day_to))
        .order_by("-revenue_cents", "-views", "-id")
        .values(
            "kind", "item_id", "title", "platform", "published_on", "price_cents", "views",
            "likes", "comments", "sent_count", "purchases_count", "revenue_cents",
        )[:CONTENT_ITEMS_LIMIT]
    )  # fmt: skip
    for row in rows:
        row["published_on"] = row["published_on"].isoformat()
        row["creator_id"] = creator_id
        data["items"].append(row)
        for name in ("views", "likes", "comments", "sent_count", "purchases_count"):
            _add(data["totals"], name, row[name])
        _add(data["totals"], "revenue_cents", row["revenue_cents"])
    _add(data["totals"], "items", len(rows))


def _insights_into(data: PageData, creator_id: int) -> None:
    latest = AIInsight.objects.for_creator(creator_id).aggregate(latest=Max("created_at"))
    if latest["latest"] is None:
        return
    rows = (
        AIInsight.objects.for_creator(creator_id)
        .order_by("-period", "-id")
        .values("source", "type", "period", "confidence", "data", "created_at")[:INSIGHTS_LIMIT]
    )
    for row in rows:
        data["items"].append(
            {
                "creator_id": creator_id,
                "type": row["type"],
                "period": row["period"],
                "confidence": float(row["confidence"]),
                "summary": str((row["data"] or {}).get("summary", "")),
                "created_at": row["created_at"].isoformat(),
            }
        )


def _compute(page: str, creator_id: int, analytics_filter: AnalyticsFilter) -> PageData:
    data = _empty()
    data["history_start"] = _history_start(creator_id)
    if page == "overview":
        _revenue_into(data, creator_id, analytics_filter, per_platform=False)
        _activity_into(data, creator_id, analytics_filter)
        _fans_into(data, creator_id, analytics_filter)
        _insights_into(data, creator_id)
    elif page == "revenue":
        _revenue_into(data, creator_id, analytics_filter, per_platform=True)
    elif page == "content":
        _content_into(data, creator_id, analytics_filter)
    elif page == "fans":
        _activity_into(data, creator_id, analytics_filter)
        _fans_into(data, creator_id, analytics_filter)
        _cohorts_into(data, creator_id)
    elif page == "platforms":
        _revenue_into(data, creator_id, analytics_filter, per_platform=True)
        _new_fans_by_platform_into(data, creator_id, analytics_filter)
    elif page == "funnel":
        _funnel_into(data, creator_id, analytics_filter)
    else:
        raise ValueError(f"unknown analytics page {page!r}")
    return data


# --- Summing creators ------------------------------------------------------------------------


def _merge(total: PageData, part: PageData) -> None:
    for name, value in part["totals"].items():
        _add(total["totals"], name, value)
    for name, values in part["series"].items():
        into = total["series"].setdefault(name, [0] * len(values))
        for position, value in enumerate(values):
            into[position] += value
    for name, group in part["groups"].items():
        into_group = total["groups"].setdefault(name, {})
        for key, value in group.items():
            _add(into_group, key, value)
    total["items"].extend(part["items"])
    starts = [day for day in (total["history_start"], part["history_start"]) if day]
    total["history_start"] = min(starts) if starts else None


def analytics_page(
    *,
    page: str,
    analytics_filter: AnalyticsFilter,
    compute: Callable[[str, int, AnalyticsFilter], PageData] = _compute,
) -> PageResult:
    """The data of one page for the filter's creators (summed), from the cache when it can."""
    if page not in PAGES:
        raise ValueError(f"unknown analytics page {page!r}")
    total = _empty()
    hits = 0
    parts = (analytics_filter.day_from.isoformat(), analytics_filter.day_to.isoformat())
    for creator_id in analytics_filter.creator_ids:
        data, hit = cached(
            page=page,
            creator_id=creator_id,
            parts=parts,
            compute=functools.partial(compute, page, creator_id, analytics_filter),
        )
        hits += int(hit)
        _merge(total, data)
    if page == "content":
        total["items"].sort(key=lambda row: (-row["revenue_cents"], -row["views"]))
    return PageResult(data=total, cache_hits=hits, cache_lookups=len(analytics_filter.creator_ids))


__all__ = ["PAGES", "PageData", "PageResult", "analytics_page"]
