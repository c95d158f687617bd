"""The seed's sidebar. A section shows only when its pages work: add it here when it ships."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from huntaze.core.permissions import Permission


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    permission: Permission | None = None
    children: tuple[NavItem, ...] = field(default_factory=tuple)


# Sections of the seed still to build (OnlyFans, Analytics, Content, Marketing, Automations,
# Integrations) are added to this tuple by the issue that makes their pages work.
SIDEBAR: tuple[NavItem, ...] = (
    NavItem(_("Home"), "/home"),
    NavItem(
        _("OnlyFans"),
        "/onlyfans/messages",
        children=(
            NavItem(_("Messages"), "/onlyfans/messages"),
            NavItem(_("Fans"), "/onlyfans/fans"),
            NavItem(_("PPV"), "/onlyfans/ppv"),
            NavItem(_("Team review"), "/onlyfans/messages/review", Permission.MANAGE_TEAM),
        ),
    ),
    NavItem(
        _("Analytics"),
        "/analytics/",
        Permission.VIEW_ANALYTICS,
        children=(
            NavItem(_("Overview"), "/analytics/"),
            NavItem(_("Revenue"), "/analytics/revenue"),
            NavItem(_("Content"), "/analytics/content"),
            NavItem(_("Fans"), "/analytics/fans"),
            NavItem(_("Platforms"), "/analytics/platforms"),
            NavItem(_("Funnel"), "/analytics/funnel"),
            NavItem(_("Forecast"), "/analytics/forecast"),
            NavItem(_("Churn"), "/analytics/churn"),
            NavItem(_("Pricing"), "/analytics/pricing"),
        ),
    ),
    NavItem(
        _("Settings"),
        "/settings",
        children=(
            NavItem(_("Account"), "/settings"),
            NavItem(_("Team"), "/settings/team"),
            NavItem(_("Billing"), "/settings/billing", Permission.VIEW_BILLING),
            NavItem(_("API keys"), "/settings/api-keys", Permission.MANAGE_API_KEYS),
        ),
    ),
)


def nav_for(request: HttpRequest) -> list[dict[str, Any]]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return []
    path = request.path

    def visible(item: NavItem) -> bool:
        return item.permission is None or actor.can(item.permission)

    items = []
    for item in SIDEBAR:
        if not visible(item):
            continue
        children = [
            {"label": c.label, "url": c.url, "active": path == c.url}
            for c in item.children
            if visible(c)
        ]
        items.append(
            {
                "label": item.label,
                "url": item.url,
                "active": path == item.url and not children,
                "children": children,
            }
        )
    return items
