"""Who acts, for which creator, with which role. Built once per request by the web layer
(session or API key) and passed explicitly to services and selectors: no global state."""

from __future__ import annotations

from dataclasses import dataclass

from huntaze.core.errors import PermissionDenied
from huntaze.core.permissions import Permission, role_has


@dataclass(frozen=True, slots=True)
class Actor:
    creator_id: int
    user_id: int | None
    role: str
    via_api_key: bool = False

    def can(self, permission: Permission) -> bool:
        return role_has(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"Your role ({self.role}) does not allow this.")
