"""Analytics pages, mounted under /analytics/."""

from __future__ import annotations

from django.urls import URLPattern, path

from huntaze.analytics import views, views_models

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="analytics-overview"),
    path("revenue", views.revenue, name="analytics-revenue"),
    path("content", views.content, name="analytics-content"),
    path("fans", views.fans, name="analytics-fans"),
    path("platforms", views.platforms, name="analytics-platforms"),
    path("funnel", views.funnel, name="analytics-funnel"),
    path("forecast", views_models.forecast, name="analytics-forecast"),
    path("churn", views_models.churn, name="analytics-churn"),
    path("pricing", views_models.pricing, name="analytics-pricing"),
]


def available_pages() -> frozenset[str]:
    """The slugs of the analytics pages that are routed (the sub-navigation shows only those)."""
    names = {pattern.name for pattern in urlpatterns}
    return frozenset(name.removeprefix("analytics-") for name in names if name)
