"""A creator who limits chatters to their assigned conversations: a limited chatter reads and
writes only those (list, page, row, API, suggestions, WebSocket events and typing); an
unassigned one answers 404 like a missing one, and nothing changes. Owners, managers and
chatters of an unlimited creator see everything."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from huntaze.config.asgi import application
from huntaze.core.context import Actor
from huntaze.inbox.models import Message, Suggestion
from huntaze.inbox.services import FanIdentity, IncomingMessage, messages_ingest
from tests.factories import ConversationFactory, FanFactory, MessageFactory
from tests.inbox.ws import Socket, session_cookie

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(creator_a, chatter):
    mine = ConversationFactory(
        creator=creator_a,
        assigned_to=chatter,
        fan=FanFactory(creator=creator_a, display_name="Mine"),
    )
    other = ConversationFactory(
        creator=creator_a, fan=FanFactory(creator=creator_a, display_name="Other")
    )
    return mine, other


def test_the_list_shows_only_the_assigned_conversations(
    signed_in, creator_a, chatter, limited, pair
):
    client = signed_in(chatter, creator_a)
    mine, other = pair

    page = client.get("/onlyfans/messages").content.decode()
    api = client.get("/api/v1/conversations").json()

    assert f'data-conversation-id="{mine.id}"' in page
    assert f'data-conversation-id="{other.id}"' not in page
    assert [item["id"] for item in api["items"]] == [mine.id]


def test_an_unassigned_conversation_is_not_found_by_page(
    signed_in, creator_a, chatter, limited, pair
):
    client = signed_in(chatter, creator_a)
    mine, other = pair

    assert client.get(f"/onlyfans/messages/{mine.id}").status_code == 200
    assert client.get(f"/onlyfans/messages/{other.id}").status_code == 404
    assert client.get(f"/onlyfans/messages/{other.id}/row").status_code == 404
    assert client.get(f"/onlyfans/messages/{other.id}/older?before=1").status_code == 404


def test_an_unassigned_conversation_is_not_found_by_api(
    signed_in, creator_a, chatter, limited, pair
):
    client = signed_in(chatter, creator_a)
    mine, other = pair
    question = MessageFactory(conversation=other)
    suggestion = Suggestion.all_creators.create(
        creator=creator_a, message=question, text="s", source="model", model="m"
    )
    other.unread_count = 3
    other.save()

    answers = [
        client.get(f"/api/v1/conversations/{other.id}"),
        client.get(f"/api/v1/conversations/{other.id}/messages"),
        client.post(
            f"/api/v1/conversations/{other.id}/messages",
            {"text": "hi"},
            content_type="application/json",
        ),
        client.post(f"/api/v1/conversations/{other.id}/read"),
        client.get(f"/api/v1/conversations/{other.id}/suggestions"),
        client.post(f"/api/v1/conversations/{other.id}/suggestions"),
        client.get(f"/api/v1/messages/{question.id}/suggestions"),
        client.post(f"/api/v1/suggestions/{suggestion.id}/accept"),
        client.post(f"/api/v1/suggestions/{suggestion.id}/reject"),
        client.post(
            f"/api/v1/conversations/{other.id}/pin",
            {"is_pinned": True},
            content_type="application/json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert Message.objects.for_creator(creator_a.id).filter(conversation=other).count() == 1
    other.refresh_from_db()
    assert (other.unread_count, other.is_pinned) == (3, False)
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    # The assigned one works
    sent = client.post(
        f"/api/v1/conversations/{mine.id}/messages", {"text": "hi"}, content_type="application/json"
    )
    assert sent.status_code == 201


def test_the_restriction_off_lets_chatters_see_everything(signed_in, creator_a, chatter, pair):
    client = signed_in(chatter, creator_a)
    _mine, other = pair

    assert client.get(f"/onlyfans/messages/{other.id}").status_code == 200
    assert len(client.get("/api/v1/conversations").json()["items"]) == 2


def test_managers_are_never_limited(signed_in, creator_a, member_of, limited, pair):
    client = signed_in(member_of(creator_a, "manager"), creator_a)
    _mine, other = pair

    assert client.get(f"/onlyfans/messages/{other.id}").status_code == 200
    assert len(client.get("/api/v1/conversations").json()["items"]) == 2


# WebSocket --------------------------------------------------------------------------------------


def _ingest(creator_id: int, owner_id: int, fan: str, number: int) -> int:
    actor = Actor(creator_id=creator_id, user_id=owner_id, role="owner")
    [result] = messages_ingest(
        actor=actor,
        items=[
            IncomingMessage(
                platform_message_id=f"ws-{number}",
                fan=FanIdentity(platform_fan_id=fan, username=fan),
                direction="in",
                text=f"hello {number}",
                sent_at=timezone.now(),
            )
        ],
        suggest=False,
    )
    return result.conversation_id


@pytest.mark.django_db(transaction=True)
async def test_a_limited_chatter_gets_only_their_conversations_events(
    creator_a, owner_a, chatter, limited
):
    # Given two conversations, the first assigned to the chatter
    mine_id = await sync_to_async(_ingest)(creator_a.id, owner_a.id, "fan-mine", 1)
    other_id = await sync_to_async(_ingest)(creator_a.id, owner_a.id, "fan-other", 2)
    await sync_to_async(
        lambda: (
            ConversationFactory._meta.model.objects.for_creator(creator_a.id)
            .filter(id=mine_id)
            .update(assigned_to=chatter)
        )
    )()
    socket = Socket(application, await sync_to_async(session_cookie)(chatter, creator_a))
    assert await socket.connect()
    # When the fans of both write again
    await sync_to_async(_ingest)(creator_a.id, owner_a.id, "fan-other", 3)
    await sync_to_async(_ingest)(creator_a.id, owner_a.id, "fan-mine", 4)
    # Then only the assigned conversation's message arrives
    event = await socket.receive_json()
    assert event["event"] == "message.created"
    assert event["payload"]["conversation"]["id"] == mine_id
    assert await socket.receive_nothing(timeout=0.3)
    # And typing in the other conversation is refused like a missing one
    await socket.send_json({"type": "typing", "conversation_id": other_id})
    assert await socket.receive_json() == {"error": "invalid_conversation"}
    await socket.close()
