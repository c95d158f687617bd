"""Accounts API: who am I, API keys."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from huntaze.accounts.selectors import api_key_list
from huntaze.accounts.services import api_key_create, api_key_revoke
from huntaze.core.api_utils import ErrorOut, actor_of
from huntaze.core.permissions import Permission

router = Router(tags=["accounts"])


class MeOut(Schema):
    user_id: int | None
    creator_id: int
    role: str
    via_api_key: bool
    permissions: list[str]


@router.get("/me", response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    return {
        "user_id": actor.user_id,
        "creator_id": actor.creator_id,
        "role": actor.role,
        "via_api_key": actor.via_api_key,
        "permissions": sorted(p.value for p in Permission if actor.can(p)),
    }


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyIn(Schema):
    name: str
    role: str | None = None


class ApiKeyCreatedOut(Schema):
    id: int
    name: str
    key: str


@router.get("/api-keys", response={200: list[ApiKeyOut], 401: ErrorOut, 403: ErrorOut})
def list_api_keys(request: HttpRequest) -> object:
    actor = actor_of(request)
    actor.require(Permission.MANAGE_API_KEYS)
    return list(api_key_list(creator_id=actor.creator_id)[:200])


@router.post(
    "/api-keys", response={201: ApiKeyCreatedOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
)
def create_api_key(request: HttpRequest, payload: ApiKeyIn) -> Status[dict[str, object]]:
    created = api_key_create(actor=actor_of(request), name=payload.name, role=payload.role)
    return Status(201, {"id": created.api_key_id, "name": created.name, "key": created.raw_key})


@router.delete(
    "/api-keys/{api_key_id}", response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def revoke_api_key(request: HttpRequest, api_key_id: int) -> Status[None]:
    api_key_revoke(actor=actor_of(request), api_key_id=api_key_id)
    return Status(204, None)
