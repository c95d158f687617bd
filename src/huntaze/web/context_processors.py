"""Template context shared by every page: the workspaces of the signed-in person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from huntaze.core.permissions import Permission
from huntaze.core.selectors import workspaces_of_user
from huntaze.web.navigation import nav_for


def workspace(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    user = getattr(request, "user", None)
    if actor is None or user is None or not user.is_authenticated:
        return {}
    workspaces = workspaces_of_user(user_id=user.id)
    current = next((w for w in workspaces if w.creator_id == actor.creator_id), None)
    return {
        "actor": actor,
        "workspaces": workspaces,
        "current_workspace": current,
        "can": {p.value: actor.can(p) for p in Permission},
        "nav_items": nav_for(request),
    }
