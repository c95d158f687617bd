"""A WebSocket client for tests: channels.testing.WebsocketCommunicator without its import of
daphne (not a dependency), and a session cookie for a member."""

from __future__ import annotations

import json

from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client

ORIGIN = (b"origin", b"http://127.0.0.1")


class Socket(ApplicationCommunicator):
    def __init__(self, app, cookie: str) -> None:
        headers = [ORIGIN, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]
        super().__init__(
            app,
            {
                "type": "websocket",
                "path": "/ws/workspace/",
                "raw_path": b"/ws/workspace/",
                "query_string": b"",
                "headers": headers,
                "subprotocols": [],
                "client": ("127.0.0.1", 50000),
                "server": ("127.0.0.1", 8000),
            },
        )

    async def connect(self, timeout: float = 3) -> bool:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        return response["type"] == "websocket.accept"

    async def send_json(self, data: object) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json(self, timeout: float = 5) -> dict:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def close(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(3)


def session_cookie(user, creator) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    session["creator_id"] = creator.id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value
