"""The API's error contract: every error is JSON {code, message, field_errors}, with the
status telling what went wrong and the field named when an input is at fault."""

from __future__ import annotations

import pytest
from django.test import Client

from huntaze.accounts.services import api_key_create
from huntaze.core.context import Actor
from huntaze.fans.models import Fan
from tests.factories import FanFactory


@pytest.fixture
def api_key_a(creator_a, owner_a):
    actor = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    return api_key_create(actor=actor, name="contract").raw_key


@pytest.fixture
def keyed_client(api_key_a):
    return Client(headers={"Authorization": f"Bearer {api_key_a}"})


def _error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "field_errors"}
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/fans", "/api/v1/conversations", "/api/v1/transactions"]
)
def test_a_call_without_credentials_is_401(db, path):
    body = _error_of(Client().get(path), 401)

    assert body == {
        "code": "not_authenticated",
        "message": "Sign in or send a valid API key.",
        "field_errors": {},
    }


@pytest.mark.parametrize(
    "authorization", ["Bearer hz_nope_nope", "Bearer not-a-key", "Basic Zm9vOmJhcg==", "Bearer "]
)
def test_a_bad_api_key_is_401(db, authorization):
    response = Client(headers={"Authorization": authorization}).get("/api/v1/me")

    assert _error_of(response, 401)["code"] == "not_authenticated"


def test_a_revoked_api_key_is_401(keyed_client, creator_a, owner_a):
    from huntaze.accounts.models import ApiKey

    ApiKey.objects.for_creator(creator_a.id).update(revoked_at="2024-01-01T00:00:00Z")

    assert _error_of(keyed_client.get("/api/v1/me"), 401)["code"] == "not_authenticated"


def test_an_api_key_acts_for_its_creator(keyed_client, creator_a, owner_a):
    response = keyed_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["creator_id"] == creator_a.id
    assert response.json()["via_api_key"] is True


def test_a_missing_object_is_404(keyed_client):
    body = _error_of(keyed_client.get("/api/v1/fans/987654"), 404)

    assert body["code"] == "not_found"


def test_an_unknown_api_path_is_a_json_404(keyed_client):
    body = _error_of(keyed_client.get("/api/v1/no-such-thing"), 404)

    assert body == {"code": "not_found", "message": "Not found.", "field_errors": {}}


def test_a_method_the_route_lacks_is_a_json_405(keyed_client):
    response = keyed_client.post("/api/v1/me", data={}, content_type="application/json")

    body = _error_of(response, 405)
    assert body["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/fans?limit=0", "limit"),
        ("/api/v1/fans?limit=201", "limit"),
        ("/api/v1/fans?limit=abc", "limit"),
        ("/api/v1/fans?offset=-1", "offset"),
        ("/api/v1/fans?sort=bogus", "sort"),
        ("/api/v1/conversations?limit=0", "limit"),
        ("/api/v1/transactions?type=bogus", "type"),
        ("/api/v1/transactions?since=yesterday-ish", "since"),
        ("/api/v1/fans/not-a-number", "fan_id"),
        ("/api/v1/transactions?since=0001-01-01T00:00:00%2B05:00", "since"),
    ],
)
def test_a_bad_parameter_is_422_naming_the_field(keyed_client, path, field):
    body = _error_of(keyed_client.get(path), 422)

    assert body["code"] == "validation_error"
    assert list(body["field_errors"]) == [field]
    assert all(isinstance(message, str) and message for message in body["field_errors"][field])


def test_a_bad_body_is_422_and_writes_nothing(keyed_client, creator_a):
    from huntaze.accounts.models import ApiKey

    keys_before = ApiKey.objects.for_creator(creator_a.id).count()

    response = keyed_client.post(
        "/api/v1/api-keys", data={"name": ""}, content_type="application/json"
    )

    body = _error_of(response, 422)
    assert list(body["field_errors"]) == ["name"]
    assert ApiKey.objects.for_creator(creator_a.id).count() == keys_before


def test_a_body_that_is_not_json_is_a_json_400(keyed_client):
    response = keyed_client.post("/api/v1/api-keys", data="{", content_type="application/json")

    assert _error_of(response, 400)["code"] == "bad_request"


def test_a_session_write_without_the_csrf_token_is_refused(owner_a, creator_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner_a)

    response = client.post("/api/v1/api-keys", data={"name": "x"}, content_type="application/json")

    assert _error_of(response, 403)["code"] == "permission_denied"


def test_a_role_without_the_permission_gets_403(creator_a):
    from tests.factories import MembershipFactory, UserFactory

    chatter = UserFactory()
    MembershipFactory(user=chatter, creator=creator_a, role="chatter")
    client = Client()
    client.force_login(chatter)

    body = _error_of(client.get("/api/v1/transactions"), 403)

    assert body["code"] == "permission_denied"


def test_an_unexpected_error_is_a_json_500_not_a_page(keyed_client, monkeypatch):
    import huntaze.fans.api as fans_api

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(fans_api, "fan_list_visible", broken)

    body = _error_of(keyed_client.get("/api/v1/fans"), 500)

    assert body == {
        "code": "server_error",
        "message": "Something went wrong on our side.",
        "field_errors": {},
    }


def test_list_routes_page_with_limit_and_offset(keyed_client, creator_a):
    for _ in range(3):
        FanFactory(creator=creator_a)
    assert Fan.objects.for_creator(creator_a.id).count() == 3

    first = keyed_client.get("/api/v1/fans?limit=2").json()
    second = keyed_client.get("/api/v1/fans?limit=2&offset=2").json()

    assert (len(first["items"]), first["has_more"]) == (2, True)
    assert (len(second["items"]), second["has_more"]) == (1, False)
    assert {f["id"] for f in first["items"]}.isdisjoint(f["id"] for f in second["items"])


def test_an_offset_postgresql_refuses_is_read_in_utc(keyed_client):
    """PostgreSQL refuses offsets beyond ±16 h: the filter is sent in UTC."""
    response = keyed_client.get("/api/v1/transactions?since=0280-09-21T10:32:20.6%2B23:40")

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/fans",
        "/api/v1/transactions",
        "/api/v1/ppv",
        "/api/v1/conversations",
        "/api/v1/vault/media",
    ],
)
@pytest.mark.parametrize("offset", [100_001, 2**63 - 1, 2**63, 10**22])
def test_an_offset_past_the_deepest_page_is_refused_on_the_field(keyed_client, path, offset):
    # An offset past 2**63 overflowed the database's bigint: a 500 (found by the schema fuzz)
    body = _error_of(keyed_client.get(path, {"offset": offset}), 422)

    assert body["field_errors"] == {"offset": ["offset is at most 100000."]}


def test_the_deepest_page_is_an_empty_page(keyed_client):
    response = keyed_client.get("/api/v1/fans", {"offset": 100_000})

    assert response.status_code == 200
    assert response.json()["items"] == []
