"""Activate the signed-in person's chosen language (the browser's when they chose none),
and attach the workspace Actor (or None) to the request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from huntaze.web.workspace import actor_from_session


class WorkspaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language  # type: ignore[attr-defined]
        request.actor = actor_from_session(request)  # type: ignore[attr-defined]
        return self.get_response(request)
