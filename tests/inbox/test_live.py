"""Live inbox over the workspace WebSocket: an ingested fan message, then its suggestions,
reach the connected members of that creator and nobody else; typing goes between members."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from huntaze.config.asgi import application
from huntaze.core.context import Actor
from huntaze.inbox.models import Suggestion
from huntaze.inbox.services import FanIdentity, IncomingMessage, messages_ingest
from tests.factories import ConversationFactory, MembershipFactory, UserFactory
from tests.inbox.ws import Socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _ingest(actor: Actor, text: str) -> int:
    [result] = messages_ingest(
        actor=actor,
        items=[
            IncomingMessage(
                platform_message_id="live-1",
                fan=FanIdentity(platform_fan_id="of-1", username="lea", display_name="Léa"),
                direction="in",
                text=text,
                sent_at=timezone.now(),
            )
        ],
    )
    return result.id


@pytest.fixture
def sockets(creator_a, creator_b, owner_a, owner_b):
    async def open_for(user, creator) -> Socket:
        cookie = await sync_to_async(session_cookie)(user, creator)
        socket = Socket(application, cookie)
        assert await socket.connect()
        return socket

    return open_for


async def test_an_ingested_message_and_its_suggestions_reach_the_creators_members(
    sockets, creator_a, creator_b, owner_a, owner_b
):
    # Given a member of A and a member of B connected
    socket_a = await sockets(owner_a, creator_a)
    socket_b = await sockets(owner_b, creator_b)
    actor = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    # When a fan message of A is ingested (the suggestion task runs in-process on commit)
    message_id = await sync_to_async(_ingest)(actor, "hi! how much is your ppv?")
    # Then A's member receives the message, then its 3 suggestions
    created = await socket_a.receive_json()
    assert created["event"] == "message.created"
    assert created["payload"]["message"]["id"] == message_id
    assert created["payload"]["message"]["text"] == "hi! how much is your ppv?"
    assert created["payload"]["conversation"]["fan_name"] == "Léa"
    assert created["payload"]["conversation"]["unread_count"] == 1
    suggested = await socket_a.receive_json()
    assert suggested["event"] == "suggestion.created"
    assert suggested["payload"]["message_id"] == message_id
    assert len(suggested["payload"]["suggestions"]) == 3
    stored = await sync_to_async(
        lambda: list(
            Suggestion.all_creators.filter(message_id=message_id).values_list("id", flat=True)
        )
    )()
    assert [s["id"] for s in suggested["payload"]["suggestions"]] == sorted(stored)
    # And B's member receives nothing
    assert await socket_b.receive_nothing(timeout=0.3)
    await socket_a.close()
    await socket_b.close()


async def test_typing_goes_to_the_team_and_is_validated(sockets, creator_a, creator_b, owner_a):
    chatter = await sync_to_async(UserFactory)(name="Chloe")
    await sync_to_async(MembershipFactory)(user=chatter, creator=creator_a, role="chatter")
    analyst = await sync_to_async(UserFactory)(name="Ana")
    await sync_to_async(MembershipFactory)(user=analyst, creator=creator_a, role="analyst")
    conversation = await sync_to_async(ConversationFactory)(creator=creator_a)
    foreign = await sync_to_async(ConversationFactory)(creator=creator_b)
    owner_socket = await sockets(owner_a, creator_a)
    chatter_socket = await sockets(chatter, creator_a)
    analyst_socket = await sockets(analyst, creator_a)

    # A chatter types: the owner sees who, in which conversation
    await chatter_socket.send_json({"type": "typing", "conversation_id": conversation.id})
    event = await owner_socket.receive_json()
    assert event == {
        "event": "typing",
        "payload": {
            "conversation_id": conversation.id,
            "user_id": chatter.id,
            "user_name": "Chloe",
            "is_typing": True,
        },
    }
    assert (await chatter_socket.receive_json())["event"] == "typing"  # its own echo
    assert (await analyst_socket.receive_json())["event"] == "typing"

    # Again right away: throttled
    await chatter_socket.send_json({"type": "typing", "conversation_id": conversation.id})
    assert await owner_socket.receive_nothing(timeout=0.2)

    # Another creator's conversation, a bad id, an unknown type: refused to the sender only
    await chatter_socket.send_json({"type": "typing", "conversation_id": foreign.id})
    assert await chatter_socket.receive_json() == {"error": "invalid_conversation"}
    await chatter_socket.send_json({"type": "typing", "conversation_id": "1"})
    assert await chatter_socket.receive_json() == {"error": "invalid_conversation"}
    await chatter_socket.send_json({"type": "shout"})
    assert await chatter_socket.receive_json() == {"error": "unknown_message"}

    # An analyst may not message, so its typing is not sent
    await analyst_socket.send_json({"type": "typing", "conversation_id": conversation.id})
    assert await owner_socket.receive_nothing(timeout=0.2)
    for socket in (owner_socket, chatter_socket, analyst_socket):
        await socket.close()
