"""Assigning conversations, splitting the inbox among chatters, pinning, and the creator's
chatter restriction switch: roles, events, bad input, tenancy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.core.models import AuditLog, Creator
from huntaze.inbox.models import Conversation
from huntaze.inbox.services_team import conversations_split
from tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chatters(creator_a, member_of):
    return [member_of(creator_a, "chatter", f"chatter{n}@example.com") for n in range(3)]


@pytest.fixture
def owner_client(signed_in, creator_a, owner_a):
    return signed_in(owner_a, creator_a)


def newest_first(creator, count, **extra):
    now = timezone.now()
    return [
        ConversationFactory(creator=creator, last_message_at=now - timedelta(minutes=n), **extra)
        for n in range(count)
    ]


def assigned(conversations):
    return [
        Conversation.objects.for_creator(c.creator_id).get(id=c.id).assigned_to_id
        for c in conversations
    ]


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


# Assignment -------------------------------------------------------------------------------------


def test_assigning_a_conversation_emits_the_event(
    owner_client, creator_a, owner_a, chatters, events, django_capture_on_commit_callbacks
):
    conversation = ConversationFactory(creator=creator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            owner_client,
            f"/api/v1/conversations/{conversation.id}/assign",
            {"assignee_id": chatters[0].id},
        )

    assert response.status_code == 200
    assert response.json() == {
        "id": conversation.id,
        "assigned_to_id": chatters[0].id,
        "is_pinned": False,
    }
    assert events == [
        (
            creator_a.id,
            "conversation.assigned",
            {
                "conversation_id": conversation.id,
                "assigned_to_id": chatters[0].id,
                "assigned_to_name": chatters[0].name,
                "assigned_by_id": owner_a.id,
            },
        )
    ]
    assert (
        AuditLog.objects.for_creator(creator_a.id)
        .filter(action="conversation.assigned", target_id=str(conversation.id))
        .exists()
    )


def test_unassigning_and_assigning_the_same_again(
    owner_client, creator_a, chatters, events, django_capture_on_commit_callbacks
):
    conversation = ConversationFactory(creator=creator_a, assigned_to=chatters[0])
    url = f"/api/v1/conversations/{conversation.id}/assign"

    with django_capture_on_commit_callbacks(execute=True):
        assert post(owner_client, url, {"assignee_id": chatters[0].id}).status_code == 200
    assert events == []  # nothing changed, nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        assert post(owner_client, url, {"assignee_id": None}).status_code == 200

    assert assigned([conversation]) == [None]
    assert [(e[1], e[2]["assigned_to_id"]) for e in events] == [("conversation.assigned", None)]


@pytest.mark.parametrize("role", ["analyst", None])
def test_only_members_who_message_can_be_assigned(
    owner_client, creator_a, creator_b, member_of, role, events
):
    conversation = ConversationFactory(creator=creator_a)
    user = member_of(creator_a, role) if role else member_of(creator_b, "chatter")

    response = post(
        owner_client, f"/api/v1/conversations/{conversation.id}/assign", {"assignee_id": user.id}
    )

    assert response.status_code == 422
    assert "assignee_id" in response.json()["field_errors"]
    assert assigned([conversation]) == [None]
    assert events == []


def test_a_chatter_cannot_assign(signed_in, creator_a, chatters):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(chatters[0], creator_a)

    response = post(
        client, f"/api/v1/conversations/{conversation.id}/assign", {"assignee_id": chatters[0].id}
    )

    assert response.status_code == 403
    assert assigned([conversation]) == [None]


def test_a_member_of_b_cannot_assign_a_conversation_of_a(
    signed_in, creator_a, creator_b, owner_b, chatters, member_of, events
):
    conversation = ConversationFactory(creator=creator_a)
    chatter_b = member_of(creator_b, "chatter")
    client = signed_in(owner_b, creator_b)

    response = post(
        client, f"/api/v1/conversations/{conversation.id}/assign", {"assignee_id": chatter_b.id}
    )

    assert response.status_code == 404
    assert assigned([conversation]) == [None]
    assert events == []


# Split ------------------------------------------------------------------------------------------


def test_split_round_robin_shares_the_unassigned_newest_first(
    owner_client, creator_a, chatters, events, django_capture_on_commit_callbacks
):
    kept = ConversationFactory(creator=creator_a, assigned_to=chatters[2])
    free = newest_first(creator_a, 5)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            owner_client,
            "/api/v1/team/split",
            {"user_ids": [chatters[0].id, chatters[1].id]},
        )

    assert response.status_code == 200
    assert response.json() == {
        "total": 5,
        "shares": [
            {"user_id": chatters[0].id, "conversations": 3},
            {"user_id": chatters[1].id, "conversations": 2},
        ],
    }
    a, b = chatters[0].id, chatters[1].id
    assert assigned(free) == [a, b, a, b, a]
    assert assigned([kept]) == [chatters[2].id]
    assert len([e for e in events if e[1] == "conversation.assigned"]) == 5


def test_split_by_load_fills_the_least_loaded_first(actor_a, creator_a, chatters):
    newest_first(creator_a, 3, assigned_to=chatters[0])
    free = newest_first(creator_a, 4)

    result = conversations_split(
        actor=actor_a, user_ids=[chatters[0].id, chatters[1].id], strategy="load"
    )

    # chatter 1 starts at 0 against 3: it takes 3, then they alternate (tie to the first given)
    assert result.per_chatter == {chatters[0].id: 1, chatters[1].id: 3}
    assert assigned(free) == [chatters[1].id] * 3 + [chatters[0].id]


def test_split_all_reassigns_everything(actor_a, creator_a, chatters):
    conversations = newest_first(creator_a, 4, assigned_to=chatters[2])

    result = conversations_split(
        actor=actor_a, user_ids=[chatters[0].id, chatters[1].id], scope="all"
    )

    assert result.total == 4
    assert assigned(conversations) == [chatters[0].id, chatters[1].id] * 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user_ids": []}, "user_ids"),
        ({"user_ids": [999999]}, "user_ids"),
        ({"user_ids": [1], "scope": "some"}, "scope"),
        ({"user_ids": [1], "strategy": "random"}, "strategy"),
    ],
)
def test_a_bad_split_names_the_field_and_changes_nothing(
    owner_client, creator_a, chatters, body, field
):
    free = newest_first(creator_a, 3)

    response = post(owner_client, "/api/v1/team/split", body)

    assert response.status_code == 422
    assert field in str(response.json())
    assert assigned(free) == [None, None, None]


def test_a_split_with_one_bad_member_assigns_nothing(owner_client, creator_a, chatters, member_of):
    free = newest_first(creator_a, 3)
    analyst = member_of(creator_a, "analyst")

    response = post(owner_client, "/api/v1/team/split", {"user_ids": [chatters[0].id, analyst.id]})

    assert response.status_code == 422
    assert assigned(free) == [None, None, None]


def test_a_member_of_b_cannot_split_among_as_chatters_nor_touch_as_conversations(
    signed_in, creator_a, creator_b, owner_b, chatters, member_of
):
    free_a = newest_first(creator_a, 2)
    chatter_b = member_of(creator_b, "chatter")
    free_b = newest_first(creator_b, 2)
    client = signed_in(owner_b, creator_b)

    refused = post(client, "/api/v1/team/split", {"user_ids": [chatters[0].id]})
    done = post(client, "/api/v1/team/split", {"user_ids": [chatter_b.id]})

    assert refused.status_code == 422
    assert done.json()["total"] == 2
    assert assigned(free_a) == [None, None]
    assert assigned(free_b) == [chatter_b.id, chatter_b.id]


def test_the_split_page_form(signed_in, creator_a, owner_a, chatters):
    free = newest_first(creator_a, 2)
    client = signed_in(owner_a, creator_a)

    response = client.post(
        "/onlyfans/messages/review/split",
        {"user_ids": [str(chatters[1].id)], "scope": "unassigned", "strategy": "load"},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 conversations shared." in response.content.decode()
    assert assigned(free) == [chatters[1].id] * 2


def test_a_chatter_cannot_split(signed_in, creator_a, chatters):
    free = newest_first(creator_a, 2)
    client = signed_in(chatters[0], creator_a)

    assert post(client, "/api/v1/team/split", {"user_ids": [chatters[0].id]}).status_code == 403
    assert (
        client.post(
            "/onlyfans/messages/review/split", {"user_ids": [str(chatters[0].id)]}
        ).status_code
        == 403
    )
    assert assigned(free) == [None, None]


# Pinning ----------------------------------------------------------------------------------------


def test_pin_and_unpin(signed_in, creator_a, chatters):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(chatters[0], creator_a)
    url = f"/api/v1/conversations/{conversation.id}/pin"

    assert post(client, url, {"is_pinned": True}).json()["is_pinned"] is True
    assert Conversation.objects.for_creator(creator_a.id).get(id=conversation.id).is_pinned
    assert post(client, url, {"is_pinned": False}).json()["is_pinned"] is False
    assert not Conversation.objects.for_creator(creator_a.id).get(id=conversation.id).is_pinned


def test_an_analyst_cannot_pin(signed_in, creator_a, member_of):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(member_of(creator_a, "analyst"), creator_a)

    response = post(client, f"/api/v1/conversations/{conversation.id}/pin", {"is_pinned": True})

    assert response.status_code == 403
    assert not Conversation.objects.for_creator(creator_a.id).get(id=conversation.id).is_pinned


def test_a_member_of_b_cannot_pin_as_conversation(signed_in, creator_a, creator_b, owner_b):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(owner_b, creator_b)

    response = post(client, f"/api/v1/conversations/{conversation.id}/pin", {"is_pinned": True})

    assert response.status_code == 404
    assert not Conversation.objects.for_creator(creator_a.id).get(id=conversation.id).is_pinned


# The chatter restriction switch -----------------------------------------------------------------


def test_owners_toggle_the_restriction_by_api_and_page(signed_in, creator_a, owner_a):
    client = signed_in(owner_a, creator_a)

    response = client.put(
        "/api/v1/team/settings",
        {"chatters_see_assigned_only": True},
        content_type="application/json",
    )
    assert response.json() == {"chatters_see_assigned_only": True}
    assert Creator.objects.get(id=creator_a.id).chatters_see_assigned_only

    page = client.post("/onlyfans/messages/review/restriction", {}, follow=True)
    assert page.status_code == 200
    assert not Creator.objects.get(id=creator_a.id).chatters_see_assigned_only
    assert client.get("/api/v1/team/settings").json() == {"chatters_see_assigned_only": False}


def test_a_chatter_cannot_lift_the_restriction(signed_in, creator_a, chatters):
    Creator.objects.filter(id=creator_a.id).update(chatters_see_assigned_only=True)
    client = signed_in(chatters[0], creator_a)

    api = client.put(
        "/api/v1/team/settings",
        {"chatters_see_assigned_only": False},
        content_type="application/json",
    )
    page = client.post("/onlyfans/messages/review/restriction", {})

    assert (api.status_code, page.status_code) == (403, 403)
    assert Creator.objects.get(id=creator_a.id).chatters_see_assigned_only


def test_b_toggling_changes_only_b(signed_in, creator_a, creator_b, owner_b):
    client = signed_in(owner_b, creator_b)

    client.post("/onlyfans/messages/review/restriction", {"chatters_see_assigned_only": "1"})

    assert Creator.objects.get(id=creator_b.id).chatters_see_assigned_only
    assert not Creator.objects.get(id=creator_a.id).chatters_see_assigned_only


def test_the_members_list(signed_in, creator_a, owner_a, chatters, member_of):
    member_of(creator_a, "analyst")

    members = signed_in(owner_a, creator_a).get("/api/v1/team/members").json()

    assert {m["user_id"] for m in members} == {owner_a.id} | {c.id for c in chatters}
