"""Which creator a signed-in person works for in this session, and with which role."""

from __future__ import annotations

from django.http import HttpRequest

from huntaze.core.context import Actor
from huntaze.core.selectors import membership_role, workspaces_of_user

SESSION_KEY = "creator_id"


def actor_from_session(request: HttpRequest) -> Actor | None:
    """The Actor for a signed-in user's current workspace; None without one.

    The workspace in the session is re-checked against the memberships on every request,
    so a removed member loses access at once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    creator_id = request.session.get(SESSION_KEY)
    if creator_id is not None:
        role = membership_role(user_id=user.id, creator_id=creator_id)
        if role is not None:
            return Actor(creator_id=creator_id, user_id=user.id, role=role)
    workspaces = workspaces_of_user(user_id=user.id)
    if not workspaces:
        request.session.pop(SESSION_KEY, None)
        return None
    first = workspaces[0]
    request.session[SESSION_KEY] = first.creator_id
    return Actor(creator_id=first.creator_id, user_id=user.id, role=first.role)


def workspace_switch(request: HttpRequest, *, creator_id: int) -> Actor | None:
    user = request.user
    if not user.is_authenticated:
        return None
    role = membership_role(user_id=user.id, creator_id=creator_id)
    if role is None:
        return None
    request.session[SESSION_KEY] = creator_id
    return Actor(creator_id=creator_id, user_id=user.id, role=role)
