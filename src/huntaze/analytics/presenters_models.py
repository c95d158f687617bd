"""Forecast, churn and pricing pages: from the models' results (`selectors_models`) to key
figures, charts and tables, like `presenters` does for the rollup pages."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from huntaze.analytics.filters import AnalyticsFilter
from huntaze.analytics.presenters import (
    Cell,
    Figure,
    PageView,
    Table,
    count,
    day_cell,
    money,
    percent,
    units,
)
from huntaze.analytics.selectors_models import ChurnOverview, PriceBand, RevenueForecast

REASON_LABELS = {
    "overdue": lambda: _("Overdue: more than twice the usual gap since the last purchase"),
    "late": lambda: _("Late: past the usual gap since the last purchase"),
    "on_track": lambda: _("On track, but the model sees a risk"),
    "no_repeat": lambda: _("Bought once, never again"),
}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def forecast_view(forecast: RevenueForecast, currency: str) -> PageView:
    view = PageView()
    level = round(forecast.interval_level * 100)
    grain = _("week") if forecast.weekly else _("day")
    view.figures = [
        Figure(
            _("Expected revenue, next %(days)s days") % {"days": forecast.horizon_days},
            money(forecast.total_cents, currency).display,
        ),
        Figure(_("Method"), forecast.method),
        Figure(
            _("Backtest error"),
            _pct(forecast.backtest_mape),
            _("baseline (same weekday last week): %(mape)s")
            % {"mape": _pct(forecast.baseline_mape)},
        ),
    ]
    mape, baseline = forecast.backtest_mape, forecast.baseline_mape
    if mape is not None and baseline is not None and mape > baseline:
        view.notices.append(
            _(
                "On the backtest this forecast erred more than the simple baseline: read it as "
                "a rough guide."
            )
        )
    history_x = [day.isoformat() for day in forecast.history_days]
    future_x = [day.isoformat() for day in forecast.days]
    blanks_future = [None] * len(future_x)
    blanks_history = [None] * len(history_x)
    view.charts.append(
        {
            "id": "forecast",
            "title": _("Revenue per %(grain)s: history and forecast with its %(level)s%% interval")
            % {"grain": grain, "level": level},
            "type": "forecast",
            "x": history_x + future_x,
            "x_kind": "day",
            "money": True,
            "currency": currency,
            "series": [
                {
                    "name": _("Revenue"),
                    "values": _units_list(forecast.history_cents) + blanks_future,
                },
                {
                    "name": _("Forecast"),
                    "values": blanks_history + _units_list(forecast.mean_cents),
                },
                {"name": _("Low"), "values": blanks_history + _units_list(forecast.lower_cents)},
                {"name": _("High"), "values": blanks_history + _units_list(forecast.upper_cents)},
            ],
        }
    )
    table = Table(
        _("Forecast per week") if forecast.weekly else _("Forecast per day"),
        [_("Starting") if forecast.weekly else _("Day"), _("Expected"), _("Low"), _("High")],
    )
    for day, mean, low, high in zip(
        forecast.days, forecast.mean_cents, forecast.lower_cents, forecast.upper_cents, strict=True
    ):
        table.rows.append(
            [day_cell(day), money(mean, currency), money(low, currency), money(high, currency)]
        )
    table.note = _("Low and high bound the %(level)s%% interval of each point.") % {"level": level}
    view.tables.append(table)
    return view


def _units_list(values: tuple[int, ...]) -> list[Any]:
    return [str(units(value)) for value in values]


def churn_view(
    overview: ChurnOverview, data: dict[str, Any], analytics_filter: AnalyticsFilter, currency: str
) -> PageView:
    """`data`: the fans page data of the range (daily active and churned fans)."""
    view = PageView()
    series = data["series"]
    days = [day.isoformat() for day in analytics_filter.day_list()]
    zeros = [0] * len(days)
    active, churned = series.get("active_fans", zeros), series.get("churned_fans", zeros)
    rates: list[float | None] = []
    for position in range(len(days)):
        before = active[position - 1] if position else active[0] + churned[0]
        rates.append(round(churned[position] * 100 / before, 3) if before else None)
    start = data["totals"].get("active_fans_start", 0)
    total_churned = data["totals"].get("churned_fans", 0)
    view.figures = [
        Figure(_("Churn rate over the range"),
               percent(total_churned, start + data["totals"].get("new_fans", 0)).display,
               _("churned / (active at the start + new)")),
        Figure(_("Fans at risk"), count(overview.at_risk_fans).display,
               _("of %(scored)s scored fans") % {"scored": count(overview.scored_fans).display}),
    ]  # fmt: skip
    if overview.scores_updated_at is not None:
        view.figures.append(
            Figure(_("Scores updated"), date_format(overview.scores_updated_at, "DATETIME_FORMAT"))
        )
    else:
        view.notices.append(
            _("No churn scores yet: the nightly scoring job has not run for this workspace.")
        )
    view.charts.append(
        {
            "id": "churn-rate", "title": _("Daily churn rate (%)"), "type": "bar", "x": days,
            "x_kind": "day", "series": [{"name": _("Churn rate (%)"), "values": rates}],
        }
    )  # fmt: skip
    reasons = Counter(fan.reason.kind for fan in overview.fans)
    if reasons:
        view.charts.append(
            {
                "id": "churn-reasons", "title": _("Why the listed fans are at risk"),
                "type": "pie", "x": [],
                "series": [{"name": REASON_LABELS.get(kind, lambda k=kind: k)(), "values": [n]}
                           for kind, n in reasons.most_common()],
            }
        )  # fmt: skip
    table = Table(
        _("Fans at risk, most spend at stake first"),
        [_("Fan"), _("Churn risk"), _("Spent"), _("Purchases"), _("Last purchase"), _("Reason")],
    )
    for fan in overview.fans:
        table.rows.append(
            [
                Cell(fan.display_name or fan.username, fan.username),
                Cell(f"{fan.churn_risk * 100:.0f} %", round(fan.churn_risk, 4)),
                money(fan.total_spent_cents, currency),
                count(fan.purchases_count),
                day_cell(fan.last_purchase_at.date()),
                Cell(fan.reason_text, fan.reason.kind),
            ]
        )
    view.tables.append(table)
    return view


def pricing_view(bands: list[PriceBand], suggestion: Any, refusal: str, currency: str) -> PageView:
    """`suggestion`: a PriceSuggestion, or None with `refusal` saying why."""
    view = PageView()
    sends = sum(band.sends for band in bands)
    buys = sum(band.buys for band in bands)
    view.figures = [
        Figure(_("PPV recipients"), count(sends).display),
        Figure(_("Buy rate"), percent(buys, sends).display),
    ]
    if suggestion is not None:
        view.figures.append(
            Figure(
                _("Suggested price"),
                money(suggestion.price_cents, currency).display,
                _("expected %(amount)s per recipient")
                % {
                    "amount": money(
                        round(suggestion.expected_revenue_per_recipient_cents), currency
                    ).display
                },
            )
        )
        view.notices.append(suggestion.explanation)
    elif refusal:
        view.notices.append(refusal)
    labels = [_band_label(band, currency) for band in bands]
    view.charts.append(
        {
            "id": "pricing-bands", "title": _("Buy rate by price band (%)"), "type": "mixed",
            "x": labels,
            "series": [
                {"name": _("Observed buy rate (%)"), "kind": "bar",
                 "values": [round(band.buy_rate * 100, 2) for band in bands]},
                {"name": _("Model buy rate (%)"), "kind": "line",
                 "values": [None if band.model_buy_probability is None
                            else round(band.model_buy_probability * 100, 2) for band in bands]},
            ],
        }
    )  # fmt: skip
    table = Table(
        _("Price bands"),
        [_("Price band"), _("Recipients"), _("Buys"), _("Buy rate"), _("Model buy rate"),
         _("Revenue"), _("Revenue per recipient")],
    )  # fmt: skip
    for label, band in zip(labels, bands, strict=True):
        model = band.model_buy_probability
        table.rows.append(
            [
                Cell(label, f"{band.low_cents}-{band.high_cents or ''}"),
                count(band.sends),
                count(band.buys),
                percent(band.buys, band.sends),
                Cell(
                    "—" if model is None else f"{model * 100:.1f} %",
                    "" if model is None else round(model * 100, 2),
                ),
                money(band.revenue_cents, currency),
                money(band.revenue_per_recipient_cents, currency),
            ]
        )
    view.tables.append(table)
    if not bands:
        view.notices.append(_("Not enough history yet: no PPV has been sent."))
    return view


def _band_label(band: PriceBand, currency: str) -> str:
    low = money(band.low_cents, currency).display
    if band.high_cents is None:
        return _("%(low)s and more") % {"low": low}
    return f"{low} – {money(band.high_cents, currency).display}"
