"""Settings › Team: members, roles, removal, invitations; who may change what."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huntaze.accounts.models import ApiKey, Invitation
from huntaze.accounts.services import api_key_create, invitation_create
from huntaze.core.context import Actor
from huntaze.core.models import Membership


def _membership(user, creator) -> Membership:
    return Membership.objects.get(user=user, creator=creator)


def _roles(creator) -> list[tuple[str, str]]:
    return sorted(Membership.objects.filter(creator=creator).values_list("user__email", "role"))


def test_the_team_page_lists_members_with_roles(client_a, creator_a, owner_a, member_of):
    member_of(creator_a, "chatter", "chatter@example.com")

    response = client_a.get("/settings/team")

    assert response.status_code == 200
    assert [
        (row["membership"].user.email, row["role_label"], row["editable"])
        for row in response.context["members"]
    ] == [("chatter@example.com", "Chatter", True), ("owner.a@example.com", "Owner", True)]
    assert response.context["can_manage"] is True


def test_the_team_page_makes_no_query_per_member(client_a, creator_a, member_of):
    member_of(creator_a, "chatter")
    client_a.get("/settings/team")  # the member's role is cached from here on
    with CaptureQueriesContext(connection) as few:
        client_a.get("/settings/team")
    for _ in range(5):
        member_of(creator_a, "analyst")
    with CaptureQueriesContext(connection) as many:
        client_a.get("/settings/team")

    assert len(many) == len(few)


def test_the_owner_changes_a_role(client_a, creator_a, member_of):
    chatter = member_of(creator_a, "chatter", "c@example.com")

    response = client_a.post(
        "/settings/team",
        {
            "action": "set_role",
            "membership_id": _membership(chatter, creator_a).id,
            "role": "manager",
        },
    )

    assert response["Location"] == "/settings/team"
    assert _membership(chatter, creator_a).role == "manager"


def test_the_owner_removes_a_member_and_their_keys_stop(client_a, creator_a, member_of):
    manager = member_of(creator_a, "manager", "m@example.com")
    key = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=manager.id, role="manager"), name="bot"
    )

    response = client_a.post(
        "/settings/team", {"action": "remove", "membership_id": _membership(manager, creator_a).id}
    )

    assert response["Location"] == "/settings/team"
    assert not Membership.objects.filter(user=manager).exists()
    assert ApiKey.objects.for_creator(creator_a.id).get(id=key.api_key_id).revoked_at is not None


@pytest.mark.parametrize("role", ["analyst", "chatter"])
def test_a_reader_sees_the_team_but_changes_nothing(creator_a, owner_a, member_of, signed_in, role):
    reader = member_of(creator_a, role, "reader@example.com")
    other = member_of(creator_a, "chatter", "other@example.com")
    client = signed_in(reader, creator_a)
    before = _roles(creator_a)

    page = client.get("/settings/team")
    attempts = [
        client.post(
            "/settings/team",
            {
                "action": "set_role",
                "membership_id": _membership(other, creator_a).id,
                "role": "owner",
            },
        ),
        client.post(
            "/settings/team",
            {"action": "remove", "membership_id": _membership(owner_a, creator_a).id},
        ),
        client.post(
            "/settings/team", {"action": "invite", "email": "x@example.com", "role": "owner"}
        ),
    ]

    assert page.status_code == 200
    assert page.context["can_manage"] is False
    assert b'name="action" value="set_role"' not in page.content
    assert [r.status_code for r in attempts] == [403, 403, 403]
    assert _roles(creator_a) == before
    assert Invitation.objects.for_creator(creator_a.id).count() == 0


def test_a_manager_cannot_touch_an_owner_nor_make_one(creator_a, owner_a, member_of, signed_in):
    manager = member_of(creator_a, "manager", "m@example.com")
    chatter = member_of(creator_a, "chatter", "c@example.com")
    client = signed_in(manager, creator_a)
    before = _roles(creator_a)

    client.post(
        "/settings/team",
        {
            "action": "set_role",
            "membership_id": _membership(owner_a, creator_a).id,
            "role": "chatter",
        },
    )
    client.post(
        "/settings/team",
        {
            "action": "set_role",
            "membership_id": _membership(chatter, creator_a).id,
            "role": "owner",
        },
    )
    response = client.post(
        "/settings/team", {"action": "remove", "membership_id": _membership(owner_a, creator_a).id}
    )

    assert response["Location"] == "/settings/team"
    assert _roles(creator_a) == before
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Only an owner can change an owner's role.",
        "Only an owner can change an owner's role.",
        "Only an owner can remove an owner.",
    ]


def test_the_last_owner_stays_an_owner(client_a, creator_a, owner_a):
    response = client_a.post(
        "/settings/team",
        {
            "action": "set_role",
            "membership_id": _membership(owner_a, creator_a).id,
            "role": "manager",
        },
    )

    assert response["Location"] == "/settings/team"
    assert _membership(owner_a, creator_a).role == "owner"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "A workspace keeps at least one owner."
    ]


def test_invite_and_revoke(client_a, creator_a, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/settings/team", {"action": "invite", "email": "New@Example.com", "role": "manager"}
        )

    assert response["Location"] == "/settings/team"
    invitation = Invitation.objects.for_creator(creator_a.id).get()
    assert (invitation.email, invitation.role, invitation.revoked_at) == (
        "new@example.com",
        "manager",
        None,
    )
    assert [m.to for m in mailoutbox] == [["new@example.com"]]
    assert [i.id for i in client_a.get("/settings/team").context["invitations"]] == [invitation.id]

    response = client_a.post(
        "/settings/team", {"action": "revoke_invitation", "invitation_id": invitation.id}
    )

    assert response["Location"] == "/settings/team"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client_a.get("/settings/team").context["invitations"] == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"email": "nope", "role": "chatter"}, {"email": ["Enter a valid email address."]}),
        (
            {"email": "a@example.com", "role": "boss"},
            {"role": ["Select a valid choice. boss is not one of the available choices."]},
        ),
        (
            {"email": "owner.a@example.com", "role": "chatter"},
            {"email": ["This person is already in the team."]},
        ),
    ],
)
def test_a_bad_invitation_names_the_field_and_sends_nothing(
    client_a, creator_a, mailoutbox, data, errors
):
    response = client_a.post("/settings/team", {"action": "invite", **data})

    assert response.status_code == 200
    assert response.context["invite_form"].errors == errors
    assert Invitation.objects.for_creator(creator_a.id).count() == 0
    assert mailoutbox == []


def test_a_manager_cannot_invite_an_owner(creator_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "manager"), creator_a)

    response = client.post(
        "/settings/team", {"action": "invite", "email": "x@example.com", "role": "owner"}
    )

    assert response.context["invite_form"].errors == {
        "role": ["Select a valid choice. owner is not one of the available choices."]
    }
    assert Invitation.objects.for_creator(creator_a.id).count() == 0


def test_a_member_of_a_cannot_change_the_team_of_b(client_a, creator_b, owner_b, member_of):
    chatter_b = member_of(creator_b, "chatter", "cb@example.com")
    invitation_b = invitation_create(
        actor=Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner"),
        email="invited-b@example.com",
        role="chatter",
    )
    before = _roles(creator_b)

    responses = [
        client_a.post(
            "/settings/team",
            {
                "action": "set_role",
                "membership_id": _membership(chatter_b, creator_b).id,
                "role": "manager",
            },
        ),
        client_a.post(
            "/settings/team",
            {"action": "remove", "membership_id": _membership(chatter_b, creator_b).id},
        ),
        client_a.post(
            "/settings/team",
            {"action": "revoke_invitation", "invitation_id": invitation_b.invitation_id},
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert _roles(creator_b) == before
    assert Invitation.objects.for_creator(creator_b.id).get().revoked_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"action": "nope"},
        {"action": "set_role", "membership_id": "abc", "role": "chatter"},
        {"action": "remove"},
        {"action": "revoke_invitation", "invitation_id": "-1"},
    ],
)
def test_malformed_team_posts_are_400(client_a, creator_a, data):
    before = _roles(creator_a)

    assert client_a.post("/settings/team", data).status_code == 400
    assert _roles(creator_a) == before
