"""What every page view shares: sign-in and workspace required, a role check, and domain
errors turned into friendly page messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from huntaze.core.errors import DomainError, NotFound
from huntaze.core.errors import PermissionDenied as DomainPermissionDenied
from huntaze.core.permissions import Permission

View = Callable[..., HttpResponse]


def workspace_page(permission: Permission | None = None) -> Callable[[View], View]:
    """Decorator for pages inside a workspace.

    Not signed in: to the login page. No workspace yet: to onboarding. Lacking the role's
    permission: a 403 page. A NotFound from a selector: a 404 page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect(f"/login?next={request.get_full_path()}")
            actor = getattr(request, "actor", None)
            if actor is None:
                return redirect("/onboarding")
            if permission is not None and not actor.can(permission):
                return render(
                    request,
                    "web/error.html",
                    {"status": 403, "message": _("Your role does not give access to this page.")},
                    status=403,
                )
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                return render(
                    request, "web/error.html", {"status": 404, "message": error.message}, status=404
                )
            except DomainPermissionDenied as error:
                return render(
                    request, "web/error.html", {"status": 403, "message": error.message}, status=403
                )

        return wrapped

    return decorate


def flash_domain_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)
