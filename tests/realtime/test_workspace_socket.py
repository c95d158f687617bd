"""The workspace WebSocket: a member of creator A receives A's live events, a member of B does
not, and a socket without a signed-in member is closed."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client

from huntaze.config.asgi import application
from huntaze.core.events import broadcast_now
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")


class WebsocketCommunicator(ApplicationCommunicator):
    """channels.testing.WebsocketCommunicator, minus its package's import of daphne (not a
    dependency here): drives one WebSocket connection through the ASGI application."""

    def __init__(self, app, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        super().__init__(
            app,
            {
                "type": "websocket",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "headers": headers,
                "subprotocols": [],
                "client": ("127.0.0.1", 50000),
                "server": ("127.0.0.1", 8000),
            },
        )

    async def connect(self, timeout: float = 3) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept"
        return True, None

    async def receive_json_from(self, timeout: float = 3) -> object:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 3) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def _session_cookie(user, creator) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session["creator_id"] = creator.id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _socket(cookie: str | None, *, origin: tuple[bytes, bytes] | None = ORIGIN):
    headers = [origin] if origin else []
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/workspace/", headers=headers)


@pytest.fixture
def cookies(creator_a, creator_b, owner_a, owner_b):
    return {
        "a": _session_cookie(owner_a, creator_a),
        "b": _session_cookie(owner_b, creator_b),
    }


async def test_a_member_receives_their_creators_events_and_no_one_elses(cookies, creator_a):
    socket_a = _socket(cookies["a"])
    socket_b = _socket(cookies["b"])
    connected_a, _ = await socket_a.connect()
    connected_b, _ = await socket_b.connect()
    assert (connected_a, connected_b) == (True, True)

    await sync_to_async(broadcast_now)(
        creator_id=creator_a.id, event_type="message.created", payload={"message_id": 7}
    )

    assert await socket_a.receive_json_from(timeout=3) == {
        "event": "message.created",
        "payload": {"message_id": 7},
    }
    assert await socket_b.receive_nothing(timeout=0.5)
    await socket_a.disconnect()
    await socket_b.disconnect()


async def test_a_disconnected_member_stops_receiving(cookies, creator_a):
    socket_a = _socket(cookies["a"])
    await socket_a.connect()
    await socket_a.disconnect()

    await sync_to_async(broadcast_now)(
        creator_id=creator_a.id, event_type="fan.updated", payload={"fan_id": 1}
    )

    second = _socket(cookies["a"])
    await second.connect()
    assert await second.receive_nothing(timeout=0.3)
    await second.disconnect()


async def test_an_anonymous_socket_is_closed(db):
    socket = _socket(None)

    connected, code = await socket.connect()

    assert connected is False
    assert code == 4401


async def test_a_forged_session_cookie_is_closed(db):
    socket = _socket("not-a-real-session-key")

    connected, code = await socket.connect()

    assert (connected, code) == (False, 4401)


async def test_a_user_who_lost_the_membership_is_closed(creator_a):
    user = await sync_to_async(UserFactory)()
    membership = await sync_to_async(MembershipFactory)(
        user=user, creator=creator_a, role="chatter"
    )
    cookie = await sync_to_async(_session_cookie)(user, creator_a)
    await sync_to_async(membership.delete)()

    connected, code = await _socket(cookie).connect()

    assert (connected, code) == (False, 4403)


async def test_a_socket_from_another_origin_is_refused(cookies):
    socket = _socket(cookies["a"], origin=(b"origin", b"https://evil.example.com"))

    connected, _ = await socket.connect()

    assert connected is False
