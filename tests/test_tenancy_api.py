"""Every API route, walked from the OpenAPI schema, keeps creator B's data away from a member
of creator A (signed in, or with an API key): a route given B's ids in its path answers 404; a
route given A's ids in its path but B's in its query or body refuses (403/404/422); no answer
shows B's rows; nothing of B's changes. A new route is walked as soon as it is registered; an
integer id this walk cannot map to a kind of object fails the test until `_KIND_ALIASES`
learns it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from huntaze.accounts.services import api_key_create
from huntaze.config.api import api
from huntaze.core.context import Actor
from huntaze.core.models import Creator, Membership
from huntaze.core.tenancy import creator_owned_models
from tests.factories import creator_owned_rows

API_PREFIX = "/api/"
MEMBER_SCHEMES = {"ApiKeyAuth", "WorkspaceSessionAuth"}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
B_MARKER = "bsecret"

# Names whose object kind the generic matching cannot guess: name (without _id) -> kind.
_KIND_ALIASES: dict[str, str] = {
    "user": "user",
    "author": "user",
    "sender": "user",
    "assigned_to": "user",
    "assignee": "user",
    "member": "membership",
    "membership": "membership",
    "creator": "creator",
    "workspace": "creator",
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix=API_PREFIX)


def _operations(schema: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, item in schema["paths"].items()
        for method, spec in item.items()
        if method in HTTP_METHODS
    ]


def _for_members(operation: Operation) -> bool:
    """Routes a workspace member may call (cron routes have their own bearer secret)."""
    security = operation.spec.get("security") or []
    return any(MEMBER_SCHEMES & set(requirement) for requirement in security)


def _norm(name: str) -> str:
    return name.replace("_", "").lower()


class Objects:
    """One creator's objects by kind: a row of every creator-owned model, the membership and
    user of its owner, the creator itself."""

    def __init__(self, *, creator: Creator, user: Any, rows: dict[type, Any]) -> None:
        self.ids: dict[str, int] = {
            _norm(model._meta.model_name): row.pk for model, row in rows.items()
        }
        self.ids["user"] = user.pk
        self.ids["creator"] = creator.pk
        self.ids["membership"] = Membership.objects.get(creator=creator, user=user).pk

    def kind_of(self, name: str) -> str | None:
        """The kind of object an id named `name` refers to: fan_id -> fan, note_id -> fannote,
        api_key_id -> apikey, media_ids -> mediaasset. None when `name` is not an id."""
        match = re.fullmatch(r"(.+)_(ids?|pk)", name)
        if match is None:
            return None
        stem = match.group(1).rstrip("_")
        if stem in _KIND_ALIASES:
            return _KIND_ALIASES[stem]
        wanted = _norm(stem)
        for rule in (
            lambda kind: kind == wanted,
            lambda kind: kind.endswith(wanted),
            lambda kind: kind.startswith(wanted),
        ):
            found = [kind for kind in self.ids if rule(kind)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                break
        pytest.fail(
            f"the tenancy walk cannot tell which object {name!r} refers to; "
            f"add it to _KIND_ALIASES in {__name__}"
        )

    def id_for(self, name: str) -> int | None:
        kind = self.kind_of(name)
        return None if kind is None else self.ids[kind]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _is_integer(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    """An integer, an optional integer or a list of integers."""
    node = _resolve(schema, node)
    options = node.get("anyOf", []) + node.get("oneOf", [])
    if options:
        return any(_is_integer(schema, option) for option in options)
    if node.get("type") == "array":
        return _is_integer(schema, node.get("items", {}))
    return node.get("type") == "integer"


def _names_an_object(
    schema: dict[str, Any], node: dict[str, Any], name: str, objects: Objects
) -> bool:
    """An integer id of one of our objects (a platform's own string ids are not)."""
    return _is_integer(schema, node) and objects.kind_of(name) is not None


def _example(schema: dict[str, Any], node: dict[str, Any], name: str, objects: Objects) -> Any:
    """A valid value for `node`; ids named like an object of B's get B's id."""
    node = _resolve(schema, node)
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in node:
            options = [o for o in node[combinator] if _resolve(schema, o).get("type") != "null"]
            return _example(schema, options[0], name, objects)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type", "object")
    if kind == "object":
        # Required fields, and every field naming an object; the others keep their defaults,
        # so a body is as likely as can be to pass validation and reach the lookups.
        required = set(node.get("required", ()))
        return {
            key: _example(schema, value, key, objects)
            for key, value in node.get("properties", {}).items()
            if key in required or _names_an_object(schema, value, key, objects)
        }
    if kind == "array":
        item = _example(schema, node.get("items", {}), name, objects)
        return [item] * max(1, node.get("minItems", 1))
    if kind == "integer":
        object_id = objects.id_for(name)
        if object_id is not None:
            return object_id
        return max(node.get("minimum", 1), node.get("exclusiveMinimum", 0) + 1, 1)
    if kind == "number":
        return max(node.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    fmt = node.get("format", "")
    if fmt == "date-time":
        ahead = any(word in name for word in ("schedul", "until", "expires", "publish"))
        return (timezone.now() + timedelta(hours=1 if ahead else -1)).isoformat()
    if fmt == "date":
        return timezone.now().date().isoformat()
    if fmt == "email":
        return "someone@example.com"
    if fmt in ("uri", "url"):
        return "https://example.com/x"
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    text = "walk-value"
    return (text * 10)[: max(node.get("minLength", 1), min(len(text), node.get("maxLength", 99)))]


@dataclass
class Request:
    path: str
    query: dict[str, Any]
    body: Any
    refers_to_b: bool  # a path, query or body value is one of B's ids
    object_route: bool  # a path parameter names one of B's objects


def _build_request(
    operation: Operation, schema: dict[str, Any], *, path_objects: Objects, references: Objects
) -> Request:
    """Path ids from `path_objects` (B's, or A's own), query and body ids from `references`
    (B's)."""
    path = operation.path
    query: dict[str, Any] = {}
    refers_to_b = object_route = False
    for parameter in operation.spec.get("parameters", []):
        name = parameter["name"]
        is_object = _names_an_object(schema, parameter.get("schema", {}), name, references)
        if parameter["in"] == "path":
            value = _example(schema, parameter.get("schema", {}), name, path_objects)
            path = path.replace("{" + name + "}", str(value))
            object_route = object_route or (is_object and path_objects is references)
            refers_to_b = refers_to_b or (is_object and path_objects is references)
        elif parameter["in"] == "query" and (is_object or parameter.get("required")):
            query[name] = _example(schema, parameter.get("schema", {}), name, references)
            refers_to_b = refers_to_b or is_object
    body = None
    content = operation.spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = _example(schema, content["application/json"]["schema"], "body", references)
        refers_to_b = refers_to_b or _body_refers_to_b(
            _resolve(schema, content["application/json"]["schema"]), schema, references
        )
    return Request(path, query, body, refers_to_b, object_route)


def _requests(operation: Operation, schema: dict[str, Any], world: World) -> list[Request]:
    """B's objects in the path; and, when the query or body names objects too, A's own
    objects in the path with B's in the query and body."""
    requests = [_build_request(operation, schema, path_objects=world.b, references=world.b)]
    mixed = _build_request(operation, schema, path_objects=world.a, references=world.b)
    if mixed.refers_to_b and mixed.path != requests[0].path:
        requests.append(mixed)
    return requests


def _body_refers_to_b(node: dict[str, Any], schema: dict[str, Any], objects: Objects) -> bool:
    node = _resolve(schema, node)
    if node.get("type") == "array":
        return _body_refers_to_b(node.get("items", {}), schema, objects)
    for name, value in node.get("properties", {}).items():
        if _names_an_object(schema, value, name, objects):
            return True
        if _body_refers_to_b(value, schema, objects):
            return True
    return False


def _snapshot_of(creator: Creator) -> dict[str, list[dict[str, Any]]]:
    snapshot = {
        model._meta.label: list(model.all_creators.filter(creator=creator).order_by("pk").values())
        for model in creator_owned_models()
    }
    snapshot["core.Creator"] = list(Creator.objects.filter(pk=creator.pk).values())
    snapshot["core.Membership"] = list(
        Membership.objects.filter(creator=creator).order_by("pk").values()
    )
    user_ids = [m["user_id"] for m in snapshot["core.Membership"]]
    from django.contrib.auth import get_user_model

    snapshot["users"] = list(
        get_user_model().objects.filter(pk__in=user_ids).order_by("pk").values()
    )
    return snapshot


@dataclass(frozen=True)
class World:
    a: Objects
    b: Objects


@pytest.fixture
def world(creator_a, creator_b, owner_a, owner_b):
    rows_a = creator_owned_rows(creator=creator_a, user=owner_a, marker="asecret")
    rows_b = creator_owned_rows(creator=creator_b, user=owner_b, marker=B_MARKER)
    return World(
        a=Objects(creator=creator_a, user=owner_a, rows=rows_a),
        b=Objects(creator=creator_b, user=owner_b, rows=rows_b),
    )


def _session_client(owner_a, creator_a) -> Client:
    client = Client()
    client.force_login(owner_a)
    session = client.session
    session["creator_id"] = creator_a.id
    session.save()
    return client


def _api_key_client(owner_a, creator_a) -> Client:
    created = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner"), name="walk"
    )
    return Client(headers={"Authorization": f"Bearer {created.raw_key}"})


CLIENTS = {"session": _session_client, "api_key": _api_key_client}


def _call(client: Client, operation: Operation, request: Request) -> Any:
    call = getattr(client, operation.method)
    if operation.method == "get":
        return call(request.path, request.query)
    path = request.path
    if request.query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(request.query)}"
    return call(path, data=json.dumps(request.body or {}), content_type="application/json")


def test_the_walk_sees_the_registered_routes():
    labels = {operation.label for operation in _operations(_schema())}

    assert "GET /api/v1/fans/{fan_id}" in labels
    assert "GET /api/v1/conversations/{conversation_id}/messages" in labels
    assert len(labels) >= 8


@pytest.mark.parametrize("auth", sorted(CLIENTS))
def test_no_route_reaches_another_creators_data(auth, world, creator_a, creator_b, owner_a):
    schema = _schema()
    before = _snapshot_of(creator_b)
    problems: list[str] = []
    walked: set[str] = set()

    calls = [
        (operation, request)
        for operation in _operations(schema)
        for request in _requests(operation, schema, world)
    ]
    for operation, request in calls:
        client = CLIENTS[auth](owner_a, creator_a)  # fresh: a route may end the session

        response = _call(client, operation, request)
        walked.add(operation.label)

        status = response.status_code
        where = (
            f"{operation.label} as {request.path} {request.query or ''} {request.body}: {status}"
        )
        if not _for_members(operation):
            if status != 401:
                problems.append(f"{where}, expected 401 (not a member route)")
            continue
        if status >= 500:
            problems.append(f"{where}, a server error")
        elif request.object_route and status != 404:
            problems.append(f"{where}, expected 404 for B's object")
        elif request.refers_to_b and status not in (403, 404, 422):
            problems.append(f"{where}, expected 403/404/422 for a reference to B's object")
        elif status in (401, 405):
            problems.append(f"{where}, the member was not let in")
        if B_MARKER in response.content.decode(errors="replace"):
            problems.append(f"{where}, the response shows B's data")
        if status >= 400 and response.headers.get("Content-Type", "").startswith(
            "application/json"
        ):
            assert set(response.json()) >= {"code", "message", "field_errors"}, where

    assert walked == {operation.label for operation in _operations(schema)}
    assert problems == []
    assert _snapshot_of(creator_b) == before
