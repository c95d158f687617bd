"""What each role may do. One table, read by services, views and the API."""

from __future__ import annotations

from enum import StrEnum

from huntaze.core.models import Role


class Permission(StrEnum):
    READ = "read"
    MESSAGE = "message"  # talk with fans, send PPV
    MANAGE_FANS = "manage_fans"  # notes, tags, segments
    MANAGE_CONTENT = "manage_content"
    MANAGE_MARKETING = "manage_marketing"
    MANAGE_TEAM = "manage_team"
    VIEW_BILLING = "view_billing"  # billing, payouts, revenue figures of the business
    MANAGE_BILLING = "manage_billing"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_ANALYTICS = "view_analytics"


_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.OWNER: _ALL,
    Role.MANAGER: _ALL - {Permission.MANAGE_BILLING},
    Role.CHATTER: frozenset({Permission.READ, Permission.MESSAGE, Permission.MANAGE_FANS}),
    Role.ANALYST: frozenset({Permission.READ, Permission.VIEW_ANALYTICS, Permission.VIEW_BILLING}),
}


def role_within(role: str, ceiling: str) -> bool:
    """True when `role` has no permission that `ceiling` lacks."""
    return ROLE_PERMISSIONS.get(role, frozenset()) <= ROLE_PERMISSIONS.get(ceiling, frozenset())


def role_has(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
