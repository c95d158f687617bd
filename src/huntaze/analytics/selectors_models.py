"""Reads that run the models for one creator: the revenue forecast, the fans at risk of churning
with the reason, and the PPV price suggestion with the demand by price band.

Inputs are read only and scoped to the creator: the daily revenue rollup, the scores the
nightly job stores on the fans (services_scores), and the PPV figures. A model without enough
history raises NotEnoughData (re-exported here) with a readable message; nothing is made up.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huntaze.analytics.clv import ChurnReason, NotEnoughData, churn_reason, format_days
from huntaze.analytics.forecast import forecast_revenue
from huntaze.analytics.models import DailyRevenue
from huntaze.analytics.pricing import (
    REASON_AT_CEILING,
    REASON_AT_FLOOR,
    REASON_AT_TESTED_HIGH,
    REASON_AT_TESTED_LOW,
    REASON_BEST_PRICE,
    REASON_OUTSIDE_TESTED,
    DemandModel,
    PriceSuggestion,
    fit_demand,
    suggest_price,
)
from huntaze.commerce.models import PPVItem
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.money import money_format
from huntaze.fans.models import Fan, Segment

__all__ = [
    "AtRiskFan",
    "ChurnOverview",
    "NotEnoughData",
    "PriceBand",
    "RevenueForecast",
    "creator_churn_overview",
    "creator_ppv_price_bands",
    "creator_ppv_price_suggestion",
    "creator_revenue_forecast",
]

FORECAST_MIN_HORIZON_DAYS = 30
FORECAST_MAX_HORIZON_DAYS = 90
FORECAST_HISTORY_DAYS = 730
FORECAST_SHOWN_HISTORY_DAYS = 91
FORECAST_CACHE_TTL_S = 3600
AT_RISK_THRESHOLD = 0.5
CHURN_MAX_LIMIT = 200
PPV_SETTLE_DAYS = 2  # a PPV sent more recently may still collect buys: left out of the model
PRICE_BAND_EDGES_CENTS = (0, 500, 1000, 1500, 2000, 3000, 5000, 10_000)


# ----------------------------------------------------------------------------- revenue forecast


@dataclass(frozen=True, slots=True)
class RevenueForecast:
    """Points start today (UTC); with `weekly` each point is a 7-day block starting on its day.
    The history shown ends yesterday, at the same grain. Errors are volume-weighted MAPEs
    (0.12 = 12%) of the method and of the seasonal-naive baseline on the backtest."""

    weekly: bool
    horizon_days: int
    days: tuple[date, ...]
    mean_cents: tuple[int, ...]
    lower_cents: tuple[int, ...]
    upper_cents: tuple[int, ...]
    interval_level: float
    history_days: tuple[date, ...]
    history_cents: tuple[int, ...]
    method: str
    backtest_mape: float | None
    baseline_mape: float | None
    backtest_days: int

    @property
    def total_cents(self) -> int:
        return sum(self.mean_cents)


def _daily_revenue(*, creator_id: int, today: date) -> tuple[date, np.ndarray]:
    """(first day, zero-filled cents per day) from the first day with revenue to yesterday."""
    start = today - timedelta(days=FORECAST_HISTORY_DAYS)
    rows = (
        DailyRevenue.objects.for_creator(creator_id)
        .filter(day__gte=start, day__lt=today)
        .values("day")
        .annotate(cents=Sum("amount_cents"))
        .order_by("day")
    )
    totals = {row["day"]: int(row["cents"]) for row in rows if row["cents"]}
    if not totals:
        raise NotEnoughData(_("not enough history yet: no revenue recorded"))
    first = min(totals)
    length = (today - first).days
    series = np.zeros(length)
    for day, cents in totals.items():
        series[(day - first).days] = cents
    return first, series


def _forecast(*, creator_id: int, horizon_days: int, weekly: bool, today: date) -> RevenueForecast:
    first, series = _daily_revenue(creator_id=creator_id, today=today)
    try:
        result = forecast_revenue(series, horizon_days=horizon_days, weekly=weekly)
    except NotEnoughData as error:
        raise NotEnoughData(_forecast_refusal(str(error), series.size)) from error
    step = 7 if weekly else 1
    shown = min(series.size, FORECAST_SHOWN_HISTORY_DAYS) // step * step
    history = series[series.size - shown :]
    if weekly:
        history = history.reshape(-1, 7).sum(axis=1)
    history_start = first + timedelta(days=series.size - shown)
    return RevenueForecast(
        weekly=weekly,
        horizon_days=horizon_days,
        days=tuple(today + timedelta(days=step * i) for i in range(result.mean.size)),
        mean_cents=tuple(int(round(v)) for v in result.mean),
        lower_cents=tuple(int(round(v)) for v in result.lower),
        upper_cents=tuple(int(round(v)) for v in result.upper),
        interval_level=result.interval_level,
        history_days=tuple(history_start + timedelta(days=step * i) for i in range(history.size)),
        history_cents=tuple(int(v) for v in history),
        method=result.method,
        backtest_mape=result.backtest_mape,
        baseline_mape=result.baseline_mape,
        backtest_days=result.backtest_days,
    )


def _forecast_refusal(message: str, days: int) -> str:
    if message.startswith("no revenue"):
        return _("not enough history yet: no revenue in the last 28 days")
    return _(
        "not enough history yet: the forecast needs 35 days of revenue history, there are %(days)d"
    ) % {"days": days}


def creator_revenue_forecast(
    *, creator_id: int, horizon_days: int, weekly: bool = False, today: date | None = None
) -> RevenueForecast:
    """The creator's revenue over the next `horizon_days` (30 to 90), daily or weekly, with its
    80% interval and the backtest against the seasonal-naive baseline. Cached for an hour."""
    if not (FORECAST_MIN_HORIZON_DAYS <= horizon_days <= FORECAST_MAX_HORIZON_DAYS):
        raise ValidationFailed.on_field(
            "horizon_days",
            _("Choose a horizon between %(low)d and %(high)d days.")
            % {"low": FORECAST_MIN_HORIZON_DAYS, "high": FORECAST_MAX_HORIZON_DAYS},
        )
    today = today or timezone.now().astimezone(UTC).date()
    key = f"analytics:forecast:v1:{creator_id}:{today.isoformat()}:{horizon_days}:{int(weekly)}"
    cached = cache.get(key)
    if isinstance(cached, RevenueForecast):
        return cached
    forecast = _forecast(
        creator_id=creator_id, horizon_days=horizon_days, weekly=weekly, today=today
    )
    cache.set(key, forecast, FORECAST_CACHE_TTL_S)
    return forecast


# ----------------------------------------------------------------------------- churn


@dataclass(frozen=True, slots=True)
class AtRiskFan:
    fan_id: int
    username: str
    display_name: str
    churn_risk: float
    p_alive: float
    ltv_cents: int | None
    expected_purchases_90d: float | None
    total_spent_cents: int
    purchases_count: int
    last_purchase_at: datetime
    reason: ChurnReason
    reason_text: str


@dataclass(frozen=True, slots=True)
class ChurnOverview:
    """`fans`: the at-risk fans (churn risk >= 0.5) with the most spend at risk first (churn
    risk x spend so far). Empty with scored_fans == 0 until the nightly job has scores."""

    scored_fans: int
    at_risk_fans: int
    scores_updated_at: datetime | None
    fans: tuple[AtRiskFan, ...]


def _reason_text(reason: ChurnReason) -> str:
    figures = {
        "days": round(reason.days_since_last),
        "gap": format_days(reason.usual_gap_days or 0.0),
        "ratio": reason.ratio or 0.0,
    }
    if reason.kind == "overdue":
        text = _(
            "%(days)d days since the last purchase, %(ratio).1f× the usual gap of %(gap)s days"
        )
    elif reason.kind == "late":
        text = _("%(days)d days since the last purchase, past the usual gap of %(gap)s days")
    elif reason.kind == "on_track":
        text = _("%(days)d days since the last purchase, within the usual gap of %(gap)s days")
    else:
        text = _("One purchase so far, %(days)d days ago")
    return text % figures


def _at_risk_fan(fan: Fan, now: datetime) -> AtRiskFan:
    assert fan.last_purchase_at is not None  # noqa: S101 - scored fans are buyers
    assert fan.first_purchase_at is not None  # noqa: S101
    days_since = max((now - fan.last_purchase_at).total_seconds() / 86_400, 0.0)
    usual_gap = None
    if fan.purchases_count > 1:
        span = (fan.last_purchase_at - fan.first_purchase_at).total_seconds() / 86_400
        usual_gap = span / (fan.purchases_count - 1)
    reason = churn_reason(days_since, usual_gap)
    return AtRiskFan(
        fan_id=fan.id,
        username=fan.username,
        display_name=fan.display_name,
        churn_risk=float(fan.churn_risk or 0.0),
        p_alive=float(fan.p_alive or 0.0),
        ltv_cents=fan.ltv_cents,
        expected_purchases_90d=fan.expected_purchases_90d,
        total_spent_cents=fan.total_spent_cents,
        purchases_count=fan.purchases_count,
        last_purchase_at=fan.last_purchase_at,
        reason=reason,
        reason_text=_reason_text(reason),
    )


def creator_churn_overview(
    *, creator_id: int, limit: int = 20, now: datetime | None = None
) -> ChurnOverview:
    """The creator's fans most at risk of churning, with the reason (two queries)."""
    if not (1 <= limit <= CHURN_MAX_LIMIT):
        raise ValidationFailed.on_field(
            "limit", _("limit is between 1 and %(max)d.") % {"max": CHURN_MAX_LIMIT}
        )
    now = now or timezone.now()
    fans = Fan.objects.for_creator(creator_id)
    counts = fans.aggregate(
        scored=Count("id", filter=Q(churn_risk__isnull=False)),
        at_risk=Count("id", filter=Q(churn_risk__gte=AT_RISK_THRESHOLD)),
        updated=Max("scores_updated_at"),
    )
    rows = (
        fans.filter(churn_risk__gte=AT_RISK_THRESHOLD, last_purchase_at__isnull=False)
        .filter(first_purchase_at__isnull=False)
        .annotate(at_stake=F("churn_risk") * F("total_spent_cents"))
        .order_by(F("at_stake").desc(), "id")[:limit]
    )
    return ChurnOverview(
        scored_fans=counts["scored"],
        at_risk_fans=counts["at_risk"],
        scores_updated_at=counts["updated"],
        fans=tuple(_at_risk_fan(fan, now) for fan in rows),
    )


# ----------------------------------------------------------------------------- PPV pricing


@dataclass(frozen=True, slots=True)
class PriceBand:
    low_cents: int
    high_cents: int | None  # None: open-ended top band
    sends: int
    buys: int
    revenue_cents: int
    model_buy_probability: float | None  # at the band's typical price; None without a model

    @property
    def buy_rate(self) -> float:
        return self.buys / self.sends if self.sends else 0.0

    @property
    def revenue_per_recipient_cents(self) -> int:
        return round(self.revenue_cents / self.sends) if self.sends else 0


def _ppv_history(
    *, creator_id: int, segment_id: int | None, now: datetime
) -> list[tuple[int, int, int, int]]:
    """(price, sends, buys, revenue) of the PPVs sent long enough ago to have collected buys."""
    queryset = (
        PPVItem.objects.for_creator(creator_id)
        .filter(sent_count__gt=0, price_cents__gt=0)
        .annotate(sent_moment=Coalesce("sent_at", "sending_started_at", "created_at"))
        .filter(sent_moment__lte=now - timedelta(days=PPV_SETTLE_DAYS))
    )
    if segment_id is not None:
        queryset = queryset.filter(segment_id=segment_id)
    rows = queryset.values_list("price_cents", "sent_count", "purchased_count", "revenue_cents")
    return [(price, sends, min(buys, sends), revenue) for price, sends, buys, revenue in rows]


def _demand_model(rows: list[tuple[int, int, int, int]]) -> DemandModel:
    try:
        return fit_demand(
            [row[0] for row in rows], [row[2] for row in rows], sends=[row[1] for row in rows]
        )
    except NotEnoughData as error:
        raise NotEnoughData(_pricing_refusal(str(error))) from error


def _pricing_refusal(message: str) -> str:
    if "same price" in message:
        return _(
            "not enough history yet: every PPV so far was sent at about the same price; "
            "try a few different prices first"
        )
    return _(
        "not enough history yet: the price model needs at least 100 PPV recipients with "
        "5 buys and 5 non-buys, sent at least 2 days ago"
    )


_EXPLANATIONS = {
    REASON_BEST_PRICE: gettext_noop(
        "Expected revenue per recipient peaks at this price: a higher price loses more buyers "
        "than it earns, a lower one earns less per buyer than it gains."
    ),
    REASON_AT_CEILING: gettext_noop(
        "Revenue per recipient still rises with the price at your ceiling: fans are not very "
        "price sensitive in your history."
    ),
    REASON_AT_FLOOR: gettext_noop(
        "Revenue per recipient still rises as the price falls at your floor: fans are price "
        "sensitive."
    ),
    REASON_AT_TESTED_HIGH: gettext_noop(
        "Revenue still rises with the price, but this is the highest price your history "
        "supports (25% above the highest price tried)."
    ),
    REASON_AT_TESTED_LOW: gettext_noop(
        "Revenue still rises as the price falls, but this is the lowest price your history "
        "supports (25% below the cheapest price tried)."
    ),
    REASON_OUTSIDE_TESTED: gettext_noop(
        "Your price limits are far from every price tried so far: this is the limit nearest "
        "to the prices tried."
    ),
}


def _translated_explanation(suggestion: PriceSuggestion, currency: str) -> str:
    figures = _(
        "At %(price)s, %(percent)d%% of recipients are expected to buy (learned from "
        "%(sends)d recipients and %(buys)d buys, prices tried %(low)s to %(high)s)."
    ) % {
        "price": money_format(suggestion.price_cents, currency),
        "percent": round(suggestion.buy_probability * 100),
        "sends": suggestion.sends,
        "buys": suggestion.buys,
        "low": money_format(suggestion.tested_min_cents, currency),
        "high": money_format(suggestion.tested_max_cents, currency),
    }
    return _(_EXPLANATIONS[suggestion.reason]) + " " + figures


def _check_segment(*, creator_id: int, segment_id: int | None) -> None:
    if segment_id is not None and not (
        Segment.objects.for_creator(creator_id).filter(id=segment_id).exists()
    ):
        raise NotFound(_("Segment not found."))


def creator_ppv_price_suggestion(
    *,
    creator_id: int,
    segment_id: int | None = None,
    floor_cents: int,
    ceiling_cents: int,
    now: datetime | None = None,
    currency: str = "USD",
) -> PriceSuggestion:
    """The PPV price with the highest expected revenue per recipient, learned from the
    creator's past PPVs (those sent to `segment_id` when given), within floor and ceiling.
    Its explanation is in the active language, its amounts in `currency`."""
    if floor_cents < 1:
        raise ValidationFailed.on_field("floor_cents", _("The floor must be at least 1 cent."))
    if ceiling_cents < floor_cents:
        raise ValidationFailed.on_field(
            "ceiling_cents", _("The ceiling must not be below the floor.")
        )
    _check_segment(creator_id=creator_id, segment_id=segment_id)
    rows = _ppv_history(creator_id=creator_id, segment_id=segment_id, now=now or timezone.now())
    suggestion = suggest_price(
        _demand_model(rows), floor_cents=floor_cents, ceiling_cents=ceiling_cents
    )
    return dataclasses.replace(
        suggestion, explanation=_translated_explanation(suggestion, currency)
    )


def creator_ppv_price_bands(*, creator_id: int, now: datetime | None = None) -> list[PriceBand]:
    """Past PPV sends, buys and revenue by price band, with the demand model's buy probability
    at each band's typical price when the model has enough history (bands without sends are
    left out)."""
    rows = _ppv_history(creator_id=creator_id, segment_id=None, now=now or timezone.now())
    try:
        model: DemandModel | None = _demand_model(rows)
    except NotEnoughData:
        model = None
    edges = PRICE_BAND_EDGES_CENTS
    bands = []
    for index, low in enumerate(edges):
        high = edges[index + 1] if index + 1 < len(edges) else None
        inside = [row for row in rows if row[0] >= low and (high is None or row[0] < high)]
        sends = sum(row[1] for row in inside)
        if not sends:
            continue
        typical = float(np.exp(sum(np.log(row[0]) * row[1] for row in inside) / sends))
        probability = None if model is None else float(model.buy_probability([typical])[0])
        bands.append(
            PriceBand(
                low_cents=low, high_cents=high, sends=sends, buys=sum(row[2] for row in inside),
                revenue_cents=sum(row[3] for row in inside), model_buy_probability=probability,
            )
        )  # fmt: skip
    return bands
