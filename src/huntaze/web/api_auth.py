"""Who calls the JSON API: an API key (Bearer), or a signed-in session with its CSRF token.
Either way the request gets an Actor bound to one creator."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from huntaze.accounts.services import api_key_authenticate
from huntaze.web.workspace import actor_from_session


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        actor = api_key_authenticate(raw_key=token)
        if actor is None:
            return None
        request.actor = actor  # type: ignore[attr-defined]
        return actor


class WorkspaceSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        actor = getattr(request, "actor", None) or actor_from_session(request)
        if actor is None:
            return None
        request.actor = actor  # type: ignore[attr-defined]
        return actor


api_auth = [ApiKeyAuth(), WorkspaceSessionAuth()]
