"""Helpers shared by the account pages (no views here)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from huntaze.accounts.models import User


def safe_next_path(value: str | None) -> str | None:
    """`value` when it is a path on this site ("/inbox?x=1"), None otherwise: no scheme, no
    host, no protocol-relative "//host" or "/\\host" tricks."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 for char in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    return value


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in User of a view behind login_required."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("a signed-in user was expected")
    return user


def render_public(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Renders an account page in the public layout (no sidebar), even for a person who is
    signed in to a workspace: the view's `actor` hides the workspace shell of the base."""
    return render(request, template_name, {**(context or {}), "actor": None}, status=status)


def error_page(request: HttpRequest, *, status: int, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)
