"""What every workspace page shares: sign-in and a workspace required, a role check, and
domain errors rendered as friendly error pages (template `web/error.html`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huntaze.core.errors import DomainError
from huntaze.core.permissions import Permission

View = Callable[..., HttpResponse]


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


def workspace_page(permission: Permission | None = None) -> Callable[[View], View]:
    """Decorator for pages inside a workspace.

    Not signed in: to the login page. No workspace yet: to onboarding. Lacking the role's
    permission: a 403 page. A DomainError from a service or selector: its status and message
    (NotFound → 404, PermissionDenied → 403)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"/login?{urlencode({'next': request.get_full_path()})}")
            actor = getattr(request, "actor", None)
            if actor is None:
                return redirect("/onboarding")
            if permission is not None and not actor.can(permission):
                return error_page(request, 403, _("Your role does not give access to this page."))
            try:
                return view(request, *args, **kwargs)
            except DomainError as error:
                return error_page(request, error.status_code, error.message)

        return wrapped

    return decorate
