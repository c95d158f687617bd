"""The forecast, churn and pricing pages: one workspace at a time (a forecast interval or a
price model does not sum across workspaces), on the models of `selectors_models`."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huntaze.analytics.cache import cached
from huntaze.analytics.filters import AnalyticsFilter
from huntaze.analytics.presenters import PageView
from huntaze.analytics.presenters_models import churn_view, forecast_view, pricing_view
from huntaze.analytics.selectors_models import (
    NotEnoughData,
    creator_churn_overview,
    creator_ppv_price_bands,
    creator_ppv_price_suggestion,
    creator_revenue_forecast,
)
from huntaze.analytics.selectors_pages import analytics_page
from huntaze.analytics.views import render_page
from huntaze.core.errors import ValidationFailed
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission

HORIZONS = (30, 60, 90)
CHURN_LIST_LIMIT = 50
PRICE_FLOOR_DEFAULT = Decimal("3")
PRICE_CEILING_DEFAULT = Decimal("100")

Built = tuple[PageView, dict[str, Any], tuple[int, int]]


def _one_creator(analytics_filter: AnalyticsFilter) -> int | None:
    return analytics_filter.creator_ids[0] if len(analytics_filter.creator_ids) == 1 else None


def _per_workspace_only(extra: dict[str, Any]) -> Built:
    view = PageView(has_figures=False)
    view.notices.append(_("This page is per workspace: choose one workspace in the filter."))
    return view, extra, (0, 0)


def _hour_now() -> str:
    return timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H")


def _horizon(request: HttpRequest) -> tuple[int, bool]:
    raw = request.GET.get("horizon", "30")
    try:
        horizon = int(raw)
    except ValueError:
        horizon = 0
    if horizon not in HORIZONS:
        raise ValidationFailed.on_field("horizon", _("Choose a horizon of 30, 60 or 90 days."))
    grain = request.GET.get("grain", "day")
    if grain not in ("day", "week"):
        raise ValidationFailed.on_field("grain", _("Choose per day or per week."))
    return horizon, grain == "week"


@workspace_page(Permission.VIEW_ANALYTICS)
def forecast(request: HttpRequest) -> HttpResponse:
    def build(analytics_filter: AnalyticsFilter) -> Built:
        horizon, weekly = _horizon(request)
        extra: dict[str, Any] = {}
        creator_id = _one_creator(analytics_filter)
        if creator_id is None:
            return _per_workspace_only(extra)
        try:
            result = creator_revenue_forecast(
                creator_id=creator_id, horizon_days=horizon, weekly=weekly
            )
        except NotEnoughData as error:
            view = PageView(has_figures=False)
            view.notices.append(_capitalised(str(error)))
            return view, extra, (0, 0)
        return forecast_view(result, analytics_filter.currency), extra, (0, 0)

    filter_context = {
        "horizons": HORIZONS,
        "horizon": request.GET.get("horizon", "30"),
        "grain": request.GET.get("grain", "day"),
        "filter_extra_template": "analytics/_filter_forecast.html",
        "show_range": False,
    }
    return render_page(request, "forecast", build, filter_context=filter_context)


@workspace_page(Permission.VIEW_ANALYTICS)
def churn(request: HttpRequest) -> HttpResponse:
    def build(analytics_filter: AnalyticsFilter) -> Built:
        extra: dict[str, Any] = {}
        creator_id = _one_creator(analytics_filter)
        if creator_id is None:
            return _per_workspace_only(extra)
        overview, hit = cached(
            page="churn",
            creator_id=creator_id,
            parts=(_hour_now(), CHURN_LIST_LIMIT),
            compute=lambda: creator_churn_overview(creator_id=creator_id, limit=CHURN_LIST_LIMIT),
        )
        fans = analytics_page(page="fans", analytics_filter=analytics_filter)
        view = churn_view(overview, fans.data, analytics_filter, analytics_filter.currency)
        return view, extra, (fans.cache_hits + int(hit), fans.cache_lookups + 1)

    return render_page(request, "churn", build)


def _price(request: HttpRequest, name: str, default: Decimal) -> int:
    raw = request.GET.get(name, "")
    if not raw:
        return int(default * 100)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < Decimal("0.01") or value > Decimal("10000"):
        raise ValidationFailed.on_field(name, _("Enter a price between 0.01 and 10000."))
    return int(value * 100)


def _pricing_data(
    creator_id: int, floor_cents: int, ceiling_cents: int, currency: str
) -> tuple[Any, Any, str]:
    bands = creator_ppv_price_bands(creator_id=creator_id)
    try:
        suggestion = creator_ppv_price_suggestion(
            creator_id=creator_id,
            floor_cents=floor_cents,
            ceiling_cents=ceiling_cents,
            currency=currency,
        )
    except NotEnoughData as error:
        return bands, None, _capitalised(str(error))
    return bands, suggestion, ""


@workspace_page(Permission.VIEW_ANALYTICS)
def pricing(request: HttpRequest) -> HttpResponse:
    def build(analytics_filter: AnalyticsFilter) -> Built:
        floor_cents = _price(request, "floor", PRICE_FLOOR_DEFAULT)
        ceiling_cents = _price(request, "ceiling", PRICE_CEILING_DEFAULT)
        if ceiling_cents < floor_cents:
            raise ValidationFailed.on_field(
                "ceiling", _("The ceiling must not be below the floor.")
            )
        extra: dict[str, Any] = {}
        creator_id = _one_creator(analytics_filter)
        if creator_id is None:
            return _per_workspace_only(extra)
        currency = analytics_filter.currency
        (bands, suggestion, refusal), hit = cached(
            page="pricing",
            creator_id=creator_id,
            # The suggestion's explanation is text in the language and currency of the page.
            parts=(_hour_now(), floor_cents, ceiling_cents, currency, get_language()),
            compute=lambda: _pricing_data(creator_id, floor_cents, ceiling_cents, currency),
        )
        view = pricing_view(bands, suggestion, refusal, analytics_filter.currency)
        return view, extra, (int(hit), 1)

    filter_context = {
        "floor": request.GET.get("floor", str(PRICE_FLOOR_DEFAULT)),
        "ceiling": request.GET.get("ceiling", str(PRICE_CEILING_DEFAULT)),
        "filter_extra_template": "analytics/_filter_pricing.html",
        "show_range": False,
    }
    return render_page(request, "pricing", build, filter_context=filter_context)


def _capitalised(message: str) -> str:
    return message[:1].upper() + message[1:]


__all__ = ["churn", "forecast", "pricing"]
