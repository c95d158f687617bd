"""Garbage in links and forms gets a 4xx page, never a 500."""

from __future__ import annotations

import base64

import pytest

from tests.factories import UserFactory


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        _b64("99999999999999999999999") + ".abc",
        _b64("-5") + ".x",
        "....",
        "é.é",
        _b64("1") + "." + "a" * 500,
        "a" * 3000,
    ],
)
def test_garbage_tokens_in_links(client, db, token):
    statuses = [
        client.get(f"/verify-email/{token}").status_code,
        client.post(f"/verify-email/{token}").status_code,
        client.get(f"/password-reset/{token}").status_code,
        client.post(f"/password-reset/{token}", {"new_password": "x"}).status_code,
        client.get(f"/invitations/{token}").status_code,
        client.post(f"/invitations/{token}").status_code,
    ]

    assert statuses == [400, 405, 400, 400, 404, 404]


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/settings/team", {"action": "remove", "membership_id": HUGE}),
        ("/settings/team", {"action": "set_role", "membership_id": HUGE, "role": "chatter"}),
        ("/settings/team", {"action": "revoke_invitation", "invitation_id": str(2**63)}),
        ("/settings/api-keys", {"action": "revoke", "api_key_id": HUGE}),
        ("/workspace/switch", {"creator_id": HUGE}),
    ],
)
def test_out_of_range_ids_are_400(client_a, path, data):
    assert client_a.post(path, data).status_code == 400


def test_an_out_of_range_invitation_id_in_onboarding_is_400(db, signed_in):
    client = signed_in(UserFactory())

    assert (
        client.post("/onboarding", {"action": "accept", "invitation_id": HUGE}).status_code == 400
    )
