"""Helpers for API entry points: the request's Actor, and cursor-free page slicing."""

from __future__ import annotations

import functools
from typing import Any

import orjson
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Schema

from huntaze.core.context import Actor
from huntaze.core.errors import NotAuthenticated

MAX_PAGE_SIZE = 200
# Deeper than this, a list is filtered, not paged; a larger offset (up to 2**63 and beyond,
# which overflows the database's bigint) is refused on the field.
MAX_OFFSET = 100_000


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
    if offset > MAX_OFFSET:
        raise ValidationFailed.on_field("offset", f"offset is at most {MAX_OFFSET}.")
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


# Fast list responses ----------------------------------------------------------------------------
# A list endpoint declares its page schema for the OpenAPI document, but builds the body from
# `.values()` rows and orjson: no model instances, no pydantic round trip. The lookups come
# from the schema itself, so the body cannot drift from what the document promises.


def _nested_schema(annotation: Any) -> type[Schema] | None:
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return annotation
    return None


@functools.cache
def _plan(schema: type[Schema]) -> tuple[tuple[str, tuple[str, ...] | None], ...]:
    """Per field: its name, and for a nested schema the names of its own fields."""
    plan: list[tuple[str, tuple[str, ...] | None]] = []
    for name, field in schema.model_fields.items():
        nested = _nested_schema(field.annotation)
        if nested is None:
            plan.append((name, None))
        else:
            if any(_nested_schema(f.annotation) for f in nested.model_fields.values()):
                raise TypeError(f"{schema.__name__}.{name}: one level of nesting only")
            plan.append((name, tuple(nested.model_fields)))
    return tuple(plan)


def schema_lookups(schema: type[Schema]) -> list[str]:
    """The `.values()` lookups that fill `schema`: `fan__username` for a nested `fan`."""
    lookups: list[str] = []
    for name, nested in _plan(schema):
        if nested is None:
            lookups.append(name)
        else:
            lookups.extend(f"{name}__{sub}" for sub in nested)
    return lookups


def _shape(row: dict[str, Any], plan: tuple[tuple[str, tuple[str, ...] | None], ...]) -> dict:
    item: dict[str, Any] = {}
    for name, nested in plan:
        if nested is None:
            item[name] = row[name]
        else:
            item[name] = {sub: row[f"{name}__{sub}"] for sub in nested}
    return item


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(data, option=orjson.OPT_UTC_Z),
        status=status,
        content_type="application/json",
    )


def values_page(
    queryset: QuerySet[Any],
    item_schema: type[Schema],
    *,
    limit: int,
    offset: int,
    total: int | None = None,
) -> HttpResponse:
    """One page of `queryset` as {items, limit, offset, has_more, total}, each item shaped
    as `item_schema`, in one query (one row more tells if there is more)."""
    plan = _plan(item_schema)
    rows = list(queryset.values(*schema_lookups(item_schema))[offset : offset + limit + 1])
    return json_response(
        page([_shape(row, plan) for row in rows], limit=limit, offset=offset, total=total)
    )
