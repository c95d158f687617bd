"""The Home dashboard: metric cards, the 30-day revenue chart, quick actions."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from huntaze.analytics.selectors import ACTIVE_CHAT_DAYS, HOME_WINDOW_DAYS, home_metrics
from huntaze.core.context import Actor
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class QuickAction:
    label: Any
    url: str
    permission: Permission | None = None


# Shown only to roles allowed to use them, and only once their page is routed.
QUICK_ACTIONS: tuple[QuickAction, ...] = (
    QuickAction(_("Answer fans"), "/onlyfans/messages", Permission.MESSAGE),
    QuickAction(_("Invite a teammate"), "/settings/team", Permission.MANAGE_TEAM),
    QuickAction(_("Create an API key"), "/settings/api-keys", Permission.MANAGE_API_KEYS),
    QuickAction(_("See billing"), "/settings/billing", Permission.VIEW_BILLING),
    QuickAction(_("Account settings"), "/settings"),
)


@functools.cache
def _is_routed(url: str) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def quick_actions_for(actor: Actor) -> list[QuickAction]:
    return [
        action
        for action in QUICK_ACTIONS
        if (action.permission is None or actor.can(action.permission)) and _is_routed(action.url)
    ]


def _units(cents: int) -> Decimal:
    return Decimal(cents) / 100


@workspace_page()
def home(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    metrics = home_metrics(actor=actor)
    context: dict[str, Any] = {
        "metrics": metrics,
        "window_days": HOME_WINDOW_DAYS,
        "active_chat_days": ACTIVE_CHAT_DAYS,
        "response_rate_pct": (
            None if metrics.response_rate is None else round(metrics.response_rate * 100)
        ),
        "quick_actions": quick_actions_for(actor),
    }
    revenue = metrics.revenue
    if revenue is not None:
        change = revenue.change_pct
        context.update(
            revenue_total=_units(revenue.total_cents),
            currency_symbol=CURRENCY_SYMBOLS.get(revenue.currency, revenue.currency),
            revenue_change_pct=None if change is None else round(change),
            revenue_chart={
                "currency": revenue.currency,
                "days": [point.day.isoformat() for point in revenue.series],
                "amounts": [str(_units(point.amount_cents)) for point in revenue.series],
                "series_name": str(_("Revenue")),
            },
        )
    return render(request, "web/home.html", context)
