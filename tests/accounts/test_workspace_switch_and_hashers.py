"""The workspace switch of agency members, and the password hashers of production."""

from __future__ import annotations

import importlib

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import override_settings

from huntaze.web.workspace import SESSION_KEY as WORKSPACE_SESSION_KEY
from tests.factories import MembershipFactory


def test_an_agency_member_switches_workspace(client_a, creator_a, creator_b, owner_a):
    MembershipFactory(user=owner_a, creator=creator_b, role="chatter")

    response = client_a.post(
        "/workspace/switch", {"creator_id": creator_b.id, "next": "/settings/team"}
    )

    assert response["Location"] == "/settings/team"
    assert client_a.session[WORKSPACE_SESSION_KEY] == creator_b.id
    team = client_a.get("/settings/team")
    assert team.context["actor"].creator_id == creator_b.id
    assert team.context["actor"].role == "chatter"
    assert client_a.get("/settings/billing").status_code == 403  # a chatter there


def test_switching_to_a_workspace_one_is_not_in_is_a_404(client_a, creator_a, creator_b):
    response = client_a.post("/workspace/switch", {"creator_id": creator_b.id})

    assert response.status_code == 404
    assert client_a.session[WORKSPACE_SESSION_KEY] == creator_a.id


def test_a_switch_goes_to_local_paths_only(client_a, creator_a):
    response = client_a.post(
        "/workspace/switch", {"creator_id": creator_a.id, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/home"


def test_a_malformed_switch_is_a_400_and_anonymous_goes_to_login(client_a, creator_a):
    assert client_a.post("/workspace/switch", {"creator_id": "abc"}).status_code == 400
    assert client_a.get("/workspace/switch").status_code == 405
    client_a.post("/logout")

    response = client_a.post("/workspace/switch", {"creator_id": creator_a.id})

    assert response["Location"] == "/login?next=/workspace/switch"


def test_production_hashes_passwords_with_argon2_first():
    base = importlib.import_module("huntaze.config.settings.base")

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("violet-harbour-tangerine-42")
        assert identify_hasher(encoded).algorithm == "argon2"
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("violet-harbour-tangerine-42", encoded)
