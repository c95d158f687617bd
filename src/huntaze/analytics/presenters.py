"""From a page's summed data to what the page shows: key figures, chart specifications (drawn
by `js/analytics.js`), tables (also exported as CSV) and notices. Labels are translated here,
at render time; the cached data holds numbers only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

from huntaze.analytics.filters import AnalyticsFilter
from huntaze.analytics.models import TRACKED_STAGES, ContentKind, FunnelStage
from huntaze.analytics.selectors_pages import PageData
from huntaze.commerce.models import TransactionType
from huntaze.core.fields import Platform
from huntaze.core.money import money_format

# Up to this many days the tables have a row per day; beyond, a row per month.
DAILY_TABLE_MAX_DAYS = 92
# Rows of the content table shown on the page; the CSV export has them all.
CONTENT_ROWS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class Cell:
    display: str
    raw: Any


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    total_rows: int | None = None  # when only the first rows are built (the CSV has them all)


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass
class PageView:
    figures: list[Figure] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    has_figures: bool = True


# --- Formatting ------------------------------------------------------------------------------


def units(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _number(value: Decimal | float | int, places: int) -> str:
    """Grouped and localised like Django's number_format, at a fraction of its cost (tables
    have thousands of cells)."""
    decimal_separator = str(get_format("DECIMAL_SEPARATOR"))
    thousand_separator = str(get_format("THOUSAND_SEPARATOR"))
    text = f"{value:,.{places}f}"
    return (
        text.replace(",", "\x00")
        .replace(".", decimal_separator)
        .replace("\x00", thousand_separator)
    )


def money(cents: int, currency: str) -> Cell:
    """Shown in the active language (`core.money`); the CSV keeps the plain amount."""
    return Cell(money_format(cents, currency), units(cents))


def count(value: int) -> Cell:
    return Cell(_number(value, 0), value)


def percent(numerator: int, denominator: int) -> Cell:
    if not denominator:
        return Cell("—", "")
    ratio = numerator * 100 / denominator
    return Cell(f"{_number(ratio, 1)} %", round(ratio, 2))


def day_cell(day: date) -> Cell:
    return Cell(date_format(day, "SHORT_DATE_FORMAT"), day.isoformat())


def _buckets(analytics_filter: AnalyticsFilter) -> tuple[str, list[tuple[Cell, int, int]]]:
    """The rows of a table over the range: (label, first index, end index) per day, or per
    month beyond DAILY_TABLE_MAX_DAYS days. Returns the first column's title too."""
    days = analytics_filter.day_list()
    if len(days) <= DAILY_TABLE_MAX_DAYS:
        return _("Day"), [(day_cell(day), n, n + 1) for n, day in enumerate(days)]
    buckets, start = [], 0
    for n in range(1, len(days) + 1):
        if n == len(days) or (days[n].year, days[n].month) != (days[start].year, days[start].month):
            first = days[start]
            label = Cell(date_format(first, "YEAR_MONTH_FORMAT"), first.strftime("%Y-%m"))
            buckets.append((label, start, n))
            start = n
    return _("Month"), buckets


def _table_title(first_column: str) -> str:
    return _("Per day") if first_column == _("Day") else _("Per month")


def _change(current: int, previous: int | None) -> str:
    if previous is None:
        return _("no earlier period to compare")
    if previous == 0:
        return _("nothing in the previous period")
    change = (current - previous) * 100 / previous
    return _("%(change)s %% vs the previous period") % {"change": f"{change:+.1f}"}


def _type_label(value: str) -> str:
    try:
        return str(TransactionType(value).label)
    except ValueError:
        return value


def _platform_label(value: str) -> str:
    try:
        return str(Platform(value).label)
    except ValueError:
        return value


def _chart(
    chart_id: str, title: str, kind: str, x: list[str], series: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    return {"id": chart_id, "title": title, "type": kind, "x": x, "series": series, **extra}


def _history_notices(view: PageView, data: PageData, analytics_filter: AnalyticsFilter) -> bool:
    """Notices about the range against the data's first day; False when nothing can be shown."""
    start = data["history_start"]
    if start is None:
        view.notices.append(
            _("Not enough history yet: no sales, fans or messages have been recorded.")
        )
        return False
    first = date.fromisoformat(start)
    if analytics_filter.day_to < first:
        view.notices.append(
            _("Not enough history yet: your data starts on %(day)s. Choose a later range.")
            % {"day": date_format(first, "DATE_FORMAT")}
        )
        return False
    if analytics_filter.day_from < first:
        view.notices.append(
            _("Your data starts on %(day)s: the days before count as zero.")
            % {"day": date_format(first, "DATE_FORMAT")}
        )
    return True


def _previous_known(data: PageData, analytics_filter: AnalyticsFilter) -> bool:
    start = data["history_start"]
    return start is not None and analytics_filter.previous[0] >= date.fromisoformat(start)


def _days(analytics_filter: AnalyticsFilter) -> list[str]:
    return [day.isoformat() for day in analytics_filter.day_list()]


def _money_series(values: list[int]) -> list[str]:
    return [str(units(value)) for value in values]


# --- Pages -----------------------------------------------------------------------------------


def overview_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    totals, currency = data["totals"], analytics_filter.currency
    revenue = totals.get("revenue_cents", 0)
    previous = (
        totals.get("previous_revenue_cents", 0) if _previous_known(data, analytics_filter) else None
    )
    inbound = totals.get("conversations_inbound", 0)
    view.figures = [
        Figure(_("Revenue"), money(revenue, currency).display, _change(revenue, previous)),
        Figure(_("Transactions"), count(totals.get("transactions", 0)).display),
        Figure(_("New fans"), count(totals.get("new_fans", 0)).display),
        Figure(_("Active fans at the end"), count(totals.get("active_fans_end", 0)).display),
        Figure(_("Churned fans"), count(totals.get("churned_fans", 0)).display),
        Figure(
            _("Response rate"),
            percent(totals.get("conversations_answered", 0), inbound).display,
            _("conversations answered the same day"),
        ),
    ]
    days = _days(analytics_filter)
    series = data["series"]
    view.charts.append(
        _chart(
            "overview-revenue", _("Revenue per day"), "bar", days,
            [{"name": _("Revenue"), "values": _money_series(series.get("revenue", [0] * len(days)))}],
            money=True, currency=currency, x_kind="day",
        )
    )  # fmt: skip
    by_type = data["groups"].get("revenue_by_type", {})
    if by_type:
        view.charts.append(
            _chart(
                "overview-types", _("Revenue by type"), "pie", [],
                [{"name": _type_label(key), "values": [str(units(value))]}
                 for key, value in sorted(by_type.items())],
                money=True, currency=currency,
            )
        )  # fmt: skip
    first_column, buckets = _buckets(analytics_filter)
    table = Table(
        _table_title(first_column),
        [first_column, _("Revenue"), _("New fans"), _("Active fans at the end"), _("Churned fans")],
    )
    zeros = [0] * len(days)
    for label, start, end in buckets:
        table.rows.append(
            [
                label,
                money(sum(series.get("revenue", zeros)[start:end]), currency),
                count(sum(series.get("new_fans", zeros)[start:end])),
                count(series.get("active_fans", zeros)[end - 1]),
                count(sum(series.get("churned_fans", zeros)[start:end])),
            ]
        )
    view.tables.append(table)
    return view


def revenue_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    totals, currency, groups = data["totals"], analytics_filter.currency, data["groups"]
    revenue, transactions = totals.get("revenue_cents", 0), totals.get("transactions", 0)
    previous = (
        totals.get("previous_revenue_cents", 0) if _previous_known(data, analytics_filter) else None
    )
    view.figures = [
        Figure(_("Revenue"), money(revenue, currency).display, _change(revenue, previous)),
        Figure(_("Transactions"), count(transactions).display),
        Figure(
            _("Average transaction"),
            money(revenue // transactions, currency).display if transactions else "—",
        ),
    ]
    types = [value for value in TransactionType.values if f"type:{value}" in data["series"]]
    days = _days(analytics_filter)
    view.charts.append(
        _chart(
            "revenue-over-time", _("Revenue over time, by type"), "stacked_bar", days,
            [{"name": _type_label(t), "values": _money_series(data["series"][f"type:{t}"])}
             for t in types],
            money=True, currency=currency, x_kind="day",
        )
    )  # fmt: skip
    for chart_id, title, group, label_of in (
        ("revenue-types", _("By type"), "revenue_by_type", _type_label),
        ("revenue-platforms", _("By platform"), "revenue_by_platform", _platform_label),
    ):
        values = groups.get(group, {})
        if values:
            view.charts.append(
                _chart(
                    chart_id, title, "pie", [],
                    [{"name": label_of(key), "values": [str(units(amount))]}
                     for key, amount in sorted(values.items())],
                    money=True, currency=currency,
                )
            )  # fmt: skip
    summary = Table(_("By type"), [_("Type"), _("Revenue"), _("Share"), _("Transactions")])
    for key, amount in sorted(groups.get("revenue_by_type", {}).items(), key=lambda kv: -kv[1]):
        summary.rows.append(
            [
                Cell(_type_label(key), key),
                money(amount, currency),
                percent(amount, revenue),
                count(groups.get("transactions_by_type", {}).get(key, 0)),
            ]
        )
    first_column, buckets = _buckets(analytics_filter)
    daily = Table(
        _table_title(first_column), [first_column, *[_type_label(t) for t in types], _("Total")]
    )
    zeros = [0] * len(days)
    for label, start, end in buckets:
        daily.rows.append(
            [
                label,
                *[money(sum(data["series"][f"type:{t}"][start:end]), currency) for t in types],
                money(sum(data["series"].get("revenue", zeros)[start:end]), currency),
            ]
        )
    view.tables += [summary, daily]
    return view


def content_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    totals, currency, items = data["totals"], analytics_filter.currency, data["items"]
    view.figures = [
        Figure(_("Items published or sent"), count(totals.get("items", 0)).display),
        Figure(_("Post views"), count(totals.get("views", 0)).display),
        Figure(_("Pay-per-view revenue"), money(totals.get("revenue_cents", 0), currency).display),
        Figure(
            _("Pay-per-view buy rate"),
            percent(totals.get("purchases_count", 0), totals.get("sent_count", 0)).display,
        ),
    ]
    ppv = [item for item in items if item["kind"] == ContentKind.PPV][:10]
    posts = sorted(
        (item for item in items if item["kind"] == ContentKind.POST), key=lambda i: -i["views"]
    )[:10]
    if ppv:
        view.charts.append(
            _chart(
                "content-ppv", _("Top pay-per-view items by revenue"), "hbar",
                [item["title"] for item in ppv],
                [{"name": _("Revenue"), "values": [str(units(i["revenue_cents"])) for i in ppv]}],
                money=True, currency=currency,
            )
        )  # fmt: skip
    if posts:
        view.charts.append(
            _chart(
                "content-posts", _("Top posts by views"), "hbar",
                [item["title"] for item in posts],
                [{"name": _("Views"), "values": [i["views"] for i in posts]}],
            )
        )  # fmt: skip
    table = Table(
        _("Per item"),
        [
            _("Title"), _("Kind"), _("Platform"), _("Published"), _("Price"), _("Views"),
            _("Likes"), _("Comments"), _("Sent"), _("Purchases"), _("Buy rate"), _("Revenue"),
        ],
    )  # fmt: skip
    shown = items if for_export else items[:CONTENT_ROWS_SHOWN]
    if len(shown) < len(items):
        table.total_rows = len(items)
        table.note = _(
            "The first %(shown)s of %(total)s items, by revenue then views; the CSV export has "
            "them all (at most 200 per workspace)."
        ) % {"shown": len(shown), "total": len(items)}
    for item in shown:
        is_ppv = item["kind"] == ContentKind.PPV
        dash = Cell("—", "")
        table.rows.append(
            [
                Cell(item["title"], item["title"]),
                Cell(str(ContentKind(item["kind"]).label), item["kind"]),
                Cell(_platform_label(item["platform"]), item["platform"]),
                day_cell(date.fromisoformat(item["published_on"])),
                money(item["price_cents"], currency) if is_ppv else dash,
                dash if is_ppv else count(item["views"]),
                dash if is_ppv else count(item["likes"]),
                dash if is_ppv else count(item["comments"]),
                count(item["sent_count"]) if is_ppv else dash,
                count(item["purchases_count"]) if is_ppv else dash,
                percent(item["purchases_count"], item["sent_count"]) if is_ppv else dash,
                money(item["revenue_cents"], currency) if is_ppv else dash,
            ]
        )
    if not items:
        view.notices.append(_("Nothing was published or sent in this range."))
    view.tables.append(table)
    return view


def fans_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    totals, series = data["totals"], data["series"]
    days = _days(analytics_filter)
    zeros = [0] * len(days)
    churned, start = totals.get("churned_fans", 0), totals.get("active_fans_start", 0)
    view.figures = [
        Figure(_("New fans"), count(totals.get("new_fans", 0)).display),
        Figure(
            _("Active fans at the end"),
            count(totals.get("active_fans_end", 0)).display,
            _("%(count)s at the start") % {"count": count(start).display},
        ),
        Figure(_("Churned fans"), count(churned).display),
        Figure(
            _("Churn rate"),
            percent(churned, start + totals.get("new_fans", 0)).display,
            _("churned / (active at the start + new)"),
        ),
    ]
    view.charts.append(
        _chart(
            "fans-flow", _("New, active and churned fans"), "mixed", days,
            [
                {"name": _("New fans"), "values": series.get("new_fans", zeros), "kind": "bar"},
                {"name": _("Churned fans"), "values": series.get("churned_fans", zeros), "kind": "bar"},
                {"name": _("Active fans"), "values": series.get("active_fans", zeros), "kind": "line",
                 "axis": 1},
            ],
            x_kind="day",
        )
    )  # fmt: skip
    cohort_table = _cohort_table(data)
    if cohort_table.rows:
        heat = [
            [offset, row_index, cell.raw]
            for row_index, row in enumerate(cohort_table.rows)
            for offset, cell in enumerate(row[2:])
            if cell.raw != ""
        ]
        view.charts.append(
            _chart(
                "fans-cohorts", _("Cohort retention: share of each month's new fans who paid"),
                "heatmap", [str(n) for n in range(12)],
                [{"name": _("Paying fans (%)"), "values": heat}],
                y=[row[0].display for row in cohort_table.rows],
            )
        )  # fmt: skip
    first_column, buckets = _buckets(analytics_filter)
    daily = Table(
        _table_title(first_column),
        [first_column, _("New fans"), _("Active fans at the end"), _("Churned fans")],
    )
    for label, start, end in buckets:
        daily.rows.append(
            [
                label,
                count(sum(series.get("new_fans", zeros)[start:end])),
                count(series.get("active_fans", zeros)[end - 1]),
                count(sum(series.get("churned_fans", zeros)[start:end])),
            ]
        )
    view.tables += [daily, cohort_table]
    return view


def _cohort_table(data: PageData) -> Table:
    sizes = data["groups"].get("cohort_size", {})
    paying = data["groups"].get("cohort_paying", {})
    table = Table(
        _("Cohorts: paying fans by month after joining (%)"),
        [_("Joined in"), _("Fans"), *[_("Month %(n)s") % {"n": n} for n in range(12)]],
    )
    for month in sorted(sizes):
        size = sizes[month]
        cells = []
        for offset in range(12):
            key = f"{month}|{offset}"
            cells.append(percent(paying[key], size) if key in paying else Cell("", ""))
        first = date.fromisoformat(month)
        table.rows.append(
            [Cell(date_format(first, "YEAR_MONTH_FORMAT"), month), count(size), *cells]
        )
    return table


def platforms_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    groups, currency = data["groups"], analytics_filter.currency
    revenue = groups.get("revenue_by_platform", {})
    new_fans = groups.get("new_fans_by_platform", {})
    total = sum(revenue.values())
    platforms = sorted(set(revenue) | set(new_fans), key=lambda p: -revenue.get(p, 0))
    view.figures = [
        Figure(_("Platforms with sales or fans"), count(len(platforms)).display),
        Figure(_("Revenue"), money(total, currency).display),
    ]
    if platforms:
        top = platforms[0]
        view.figures.append(
            Figure(
                _("Top platform"), _platform_label(top), percent(revenue.get(top, 0), total).display
            )
        )
    days = _days(analytics_filter)
    view.charts.append(
        _chart(
            "platforms-over-time", _("Revenue per platform"), "stacked_bar", days,
            [{"name": _platform_label(p), "values": _money_series(data["series"][f"platform:{p}"])}
             for p in platforms if f"platform:{p}" in data["series"]],
            money=True, currency=currency, x_kind="day",
        )
    )  # fmt: skip
    table = Table(
        _("Per platform"),
        [_("Platform"), _("Revenue"), _("Share"), _("Transactions"), _("New fans"),
         _("Revenue per new fan")],
    )  # fmt: skip
    for platform in platforms:
        amount, fans = revenue.get(platform, 0), new_fans.get(platform, 0)
        table.rows.append(
            [
                Cell(_platform_label(platform), platform),
                money(amount, currency),
                percent(amount, total),
                count(groups.get("transactions_by_platform", {}).get(platform, 0)),
                count(fans),
                money(amount // fans, currency) if fans else Cell("—", ""),
            ]
        )
    view.tables.append(table)
    return view


def funnel_view(
    data: PageData, analytics_filter: AnalyticsFilter, *, for_export: bool = False
) -> PageView:
    view = PageView()
    if not _history_notices(view, data, analytics_filter):
        view.has_figures = False
        return view
    by_stage = data["groups"].get("stage", {})
    is_tracked = data["totals"].get("tracked_sources", 0) > 0
    stages = [s for s in FunnelStage if is_tracked or s not in TRACKED_STAGES]
    if not is_tracked:
        view.notices.append(
            _(
                "Visits and follows are not tracked yet: no tracked link or follow event has been "
                "recorded, so the funnel starts at Subscribe."
            )
        )
    first = by_stage.get(stages[0], 0)
    view.figures = [
        Figure(str(stage.label), count(by_stage.get(stage, 0)).display) for stage in stages
    ]
    view.figures.append(
        Figure(
            _("Subscribe to repeat purchase"),
            percent(
                by_stage.get(FunnelStage.REPEAT_PURCHASE, 0), by_stage.get(FunnelStage.SUBSCRIBE, 0)
            ).display,
        )
    )
    view.charts.append(
        _chart(
            "funnel", _("Funnel"), "funnel", [str(s.label) for s in stages],
            [{"name": _("Fans"), "values": [by_stage.get(s, 0) for s in stages]}],
        )
    )  # fmt: skip
    table = Table(
        _("Stages"),
        [_("Stage"), _("Count"), _("From the previous stage"), _("From the first stage")],
    )
    previous = None
    for stage in stages:
        value = by_stage.get(stage, 0)
        table.rows.append(
            [
                Cell(str(stage.label), stage.value),
                count(value),
                percent(value, previous) if previous is not None else Cell("—", ""),
                percent(value, first),
            ]
        )
        previous = value
    table.note = _(
        "Subscribe, first and repeat purchase follow the fans who joined in the range: of them, "
        "who bought once, and twice or more, since."
    )
    view.tables.append(table)
    return view


PRESENTERS = {
    "overview": overview_view,
    "revenue": revenue_view,
    "content": content_view,
    "fans": fans_view,
    "platforms": platforms_view,
    "funnel": funnel_view,
}
