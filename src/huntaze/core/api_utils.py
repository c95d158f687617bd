"""Helpers for API entry points: the request's Actor, and cursor-free page slicing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from huntaze.core.context import Actor
from huntaze.core.errors import NotAuthenticated

MAX_PAGE_SIZE = 200


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "actor", None)
    if actor is None:
        raise NotAuthenticated("Sign in or send a valid API key.")
    return actor  # type: ignore[no-any-return]


class ErrorOut(Schema):
    code: str
    message: str
    field_errors: dict[str, list[str]]


def page_bounds(limit: int, offset: int) -> tuple[int, int]:
    from huntaze.core.errors import ValidationFailed

    if limit < 1 or limit > MAX_PAGE_SIZE:
        raise ValidationFailed.on_field("limit", f"limit must be between 1 and {MAX_PAGE_SIZE}.")
    if offset < 0:
        raise ValidationFailed.on_field("offset", "offset must be 0 or more.")
    return limit, offset


def page(items: list[Any], *, limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    has_more = len(items) > limit
    return {
        "items": items[:limit],
        "limit": limit,
        "offset": offset,
        "has_more": has_more,
        "total": total,
    }
