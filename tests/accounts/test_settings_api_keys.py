"""Settings › API keys: made in the page, shown once, used as a Bearer key, revoked; a key
never acts with more rights than its user has now."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from huntaze.accounts.models import ApiKey
from huntaze.accounts.services import api_key_authenticate, api_key_create, api_key_revoke
from huntaze.core.context import Actor
from huntaze.core.models import Membership


def _create_in_page(client, name: str = "Zapier", role: str = "manager") -> tuple[str, object]:
    response = client.post("/settings/api-keys", {"action": "create", "name": name, "role": role})
    assert response.status_code == 200, response.context and response.context["create_form"].errors
    raw_key = response.context["created"].raw_key
    return raw_key, response


def _me(raw_key: str):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw_key}")


@pytest.mark.parametrize("role", ["chatter", "analyst"])
def test_roles_without_key_rights_get_403(creator_a, member_of, signed_in, role):
    client = signed_in(member_of(creator_a, role), creator_a)

    get = client.get("/settings/api-keys")
    post = client.post("/settings/api-keys", {"action": "create", "name": "x", "role": role})

    assert (get.status_code, post.status_code) == (403, 403)
    assert ApiKey.objects.for_creator(creator_a.id).count() == 0


def test_a_key_made_in_settings_is_shown_once_and_authenticates(client_a, creator_a, owner_a):
    raw_key, response = _create_in_page(client_a, role="manager")

    assert re.fullmatch(r"hz_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", raw_key)
    assert raw_key.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    listing = client_a.get("/settings/api-keys")
    assert raw_key.encode() not in listing.content
    [key] = listing.context["keys"]
    assert (key.name, key.role, key.user_id, key.last_used_at, key.revoked_at) == (
        "Zapier",
        "manager",
        owner_a.id,
        None,
        None,
    )
    assert f"hz_{key.prefix}_".encode() in listing.content

    me = _me(raw_key)

    assert me.status_code == 200
    assert me.json()["creator_id"] == creator_a.id
    assert me.json()["role"] == "manager"
    assert me.json()["via_api_key"] is True
    assert "manage_billing" not in me.json()["permissions"]
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_gets_401(client_a, creator_a):
    raw_key, _response = _create_in_page(client_a)
    key = ApiKey.objects.for_creator(creator_a.id).get()

    response = client_a.post("/settings/api-keys", {"action": "revoke", "api_key_id": key.id})

    assert response["Location"] == "/settings/api-keys"
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert _me(raw_key).status_code == 401
    assert _me(raw_key + "x").status_code == 401
    assert _me("hz_nothing").status_code == 401


def test_a_bad_key_name_names_the_field_and_creates_nothing(client_a, creator_a):
    response = client_a.post(
        "/settings/api-keys", {"action": "create", "name": "", "role": "owner"}
    )

    assert response.context["create_form"].errors == {"name": ["This field is required."]}
    assert response.context["created"] is None
    assert ApiKey.objects.for_creator(creator_a.id).count() == 0


def test_a_manager_cannot_make_an_owner_key(creator_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "manager"), creator_a)

    response = client.post("/settings/api-keys", {"action": "create", "name": "k", "role": "owner"})

    assert response.context["create_form"].errors == {
        "role": ["Select a valid choice. owner is not one of the available choices."]
    }
    assert ApiKey.objects.for_creator(creator_a.id).count() == 0


def test_a_member_of_a_cannot_revoke_a_key_of_b(client_a, creator_b, owner_b):
    created = api_key_create(
        actor=Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner"), name="b's key"
    )

    response = client_a.post(
        "/settings/api-keys", {"action": "revoke", "api_key_id": created.api_key_id}
    )

    assert response.status_code == 404
    assert ApiKey.objects.for_creator(creator_b.id).get().revoked_at is None
    assert _me(created.raw_key).status_code == 200


def test_a_key_of_a_demoted_user_acts_with_the_lower_role(creator_a, member_of):
    manager = member_of(creator_a, "manager")
    created = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=manager.id, role="manager"),
        name="k",
        role="manager",
    )
    Membership.objects.filter(user=manager, creator=creator_a).update(role="chatter")

    actor = api_key_authenticate(raw_key=created.raw_key)
    me = _me(created.raw_key)

    assert actor == Actor(
        creator_id=creator_a.id, user_id=manager.id, role="chatter", via_api_key=True
    )
    assert me.json()["role"] == "chatter"
    assert (
        Client().get("/api/v1/api-keys", HTTP_AUTHORIZATION=f"Bearer {created.raw_key}").status_code
        == 403
    )


def test_a_key_keeps_its_own_lower_role_when_the_user_is_higher(creator_a, owner_a):
    created = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner"),
        name="read only",
        role="analyst",
    )

    assert api_key_authenticate(raw_key=created.raw_key).role == "analyst"


def test_a_key_whose_role_no_longer_fits_the_user_is_refused(creator_a, member_of):
    chatter = member_of(creator_a, "chatter")
    created = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=chatter.id, role="manager"),  # was manager
        name="k",
        role="chatter",
    )
    Membership.objects.filter(user=chatter, creator=creator_a).update(role="analyst")

    # A chatter key of an analyst: neither role is within the other, so the key cannot act.
    assert api_key_authenticate(raw_key=created.raw_key) is None
    assert _me(created.raw_key).status_code == 401


def test_a_key_of_a_removed_member_is_refused(creator_a, member_of):
    manager = member_of(creator_a, "manager")
    created = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=manager.id, role="manager"), name="k"
    )
    Membership.objects.filter(user=manager).delete()

    assert _me(created.raw_key).status_code == 401


def test_the_key_list_makes_no_query_per_key(client_a, creator_a, owner_a, member_of):
    owner = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    api_key_create(actor=owner, name="one")
    client_a.get("/settings/api-keys")  # the member's role is cached from here on
    with CaptureQueriesContext(connection) as few:
        client_a.get("/settings/api-keys")
    for index in range(4):
        manager = member_of(creator_a, "manager")
        api_key_create(
            actor=Actor(creator_id=creator_a.id, user_id=manager.id, role="manager"),
            name=f"k{index}",
        )
    with CaptureQueriesContext(connection) as many:
        client_a.get("/settings/api-keys")

    assert len(many) == len(few)


@pytest.mark.parametrize(
    "data", [{"action": "revoke", "api_key_id": "x"}, {"action": "rotate"}, {}]
)
def test_malformed_key_posts_are_400(client_a, data):
    assert client_a.post("/settings/api-keys", data).status_code == 400


def test_the_api_creates_lists_and_revokes_keys(creator_a, owner_a):
    owner = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_key_create(actor=owner, name='admin').raw_key}"}
    client = Client()

    created = client.post(
        "/api/v1/api-keys",
        {"name": "ci", "role": "analyst"},
        content_type="application/json",
        **bearer,
    )
    new_key = created.json()["key"]
    assert created.status_code == 201
    assert created.json()["name"] == "ci"
    assert _me(new_key).json()["role"] == "analyst"
    listed = client.get("/api/v1/api-keys", **bearer)
    assert sorted(k["name"] for k in listed.json()) == ["admin", "ci"]

    revoked = client.delete(f"/api/v1/api-keys/{created.json()['id']}", **bearer)

    assert revoked.status_code == 204
    assert _me(new_key).status_code == 401


def test_a_cached_key_stops_working_at_once_when_revoked(client, creator_a, owner_a):
    owner = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    created = api_key_create(actor=owner, name="cached")
    headers = {"Authorization": f"Bearer {created.raw_key}"}
    assert client.get("/api/v1/fans", headers=headers).status_code == 200  # now cached

    api_key_revoke(actor=owner, api_key_id=created.api_key_id)

    assert client.get("/api/v1/fans", headers=headers).status_code == 401


def test_a_cached_key_follows_its_users_role_at_once(client, creator_a, owner_a, member_of):
    manager = member_of(creator_a, "manager")
    key = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=manager.id, role="manager"), name="m"
    )
    headers = {"Authorization": f"Bearer {key.raw_key}"}
    assert client.get("/api/v1/fans", headers=headers).status_code == 200  # now cached
    membership = Membership.objects.get(user=manager, creator=creator_a)

    membership.delete()  # any code path, not only the team service

    assert client.get("/api/v1/fans", headers=headers).status_code == 401
