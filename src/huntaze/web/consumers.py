"""The workspace WebSocket: one group per creator; the member's access is checked when
subscribing, and events are forwarded as JSON.

Clients may send one message type: `{"type": "typing", "conversation_id": <id>}`. It is
validated (a conversation of this creator, a role that may message) and re-broadcast to the
group as the `typing` event, at most once per conversation every TYPING_INTERVAL_S."""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from huntaze.core.context import Actor
from huntaze.core.events import creator_group
from huntaze.core.permissions import Permission, role_has
from huntaze.core.selectors import membership_role
from huntaze.fans.selectors import fan_visible_to
from huntaze.inbox.events import Typing, payload_of
from huntaze.inbox.selectors import conversation_visible_to, is_limited_to_assigned

TYPING_INTERVAL_S = 2.0
MAX_KNOWN_CONVERSATIONS = 500


class WorkspaceConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        session = self.scope.get("session")
        if user is None or not user.is_authenticated or session is None:
            await self.close(code=4401)
            return
        creator_id = await database_sync_to_async(lambda: session.get("creator_id"))()
        role = None
        if creator_id is not None:
            role = await database_sync_to_async(membership_role)(
                user_id=user.id, creator_id=creator_id
            )
        if role is None:
            await self.close(code=4403)
            return
        self.creator_id: int = creator_id
        self.user_id: int = user.id
        self.user_name: str = getattr(user, "name", "") or user.get_username()
        self.role: str = role
        self.known_conversations: set[int] = set()
        self.last_typing_at: dict[int, float] = {}
        self.group_name = creator_group(creator_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name is not None:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def creator_event(self, message: dict[str, Any]) -> None:
        if (
            self.role == "chatter"
            and await self._is_limited()
            and not await self._may_see(message["payload"])
        ):
            return  # a chatter limited to their assigned conversations
        await self.send_json({"event": message["event"], "payload": message["payload"]})

    async def _may_see(self, payload: dict[str, Any]) -> bool:
        """Whether the event's conversation (if it names one), or else its fan (`fan.updated`,
        `note.changed`), is visible to this member."""
        conversation_id = payload.get("conversation_id")
        if conversation_id is None and isinstance(payload.get("conversation"), dict):
            conversation_id = payload["conversation"].get("id")
        if conversation_id is None and isinstance(payload.get("message"), dict):
            conversation_id = payload["message"].get("conversation_id")
        if isinstance(conversation_id, int):
            return bool(await self._visible(conversation_id))
        fan_id = payload.get("fan_id")
        if isinstance(fan_id, int) and not isinstance(fan_id, bool):
            return bool(
                await database_sync_to_async(fan_visible_to)(
                    creator_id=self.creator_id,
                    user_id=self.user_id,
                    role=self.role,
                    fan_id=fan_id,
                )
            )
        return True

    async def _is_limited(self) -> bool:
        """Whether the creator limits this chatter (a cached read): only then does an event
        need a visibility query."""
        actor = Actor(creator_id=self.creator_id, user_id=self.user_id, role=self.role)
        return bool(await database_sync_to_async(is_limited_to_assigned)(actor))

    async def _visible(self, conversation_id: int) -> bool:
        return bool(
            await database_sync_to_async(conversation_visible_to)(
                creator_id=self.creator_id,
                user_id=self.user_id,
                role=self.role,
                conversation_id=conversation_id,
            )
        )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "typing":
            await self.send_json({"error": "unknown_message"})
            return
        conversation_id = content.get("conversation_id")
        if isinstance(conversation_id, bool) or not isinstance(conversation_id, int):
            await self.send_json({"error": "invalid_conversation"})
            return
        if not role_has(self.role, Permission.MESSAGE):
            return
        now = time.monotonic()
        if now - self.last_typing_at.get(conversation_id, 0.0) < TYPING_INTERVAL_S:
            return
        if conversation_id not in self.known_conversations:
            if not await self._visible(conversation_id):
                await self.send_json({"error": "invalid_conversation"})
                return
            if len(self.known_conversations) >= MAX_KNOWN_CONVERSATIONS:
                self.known_conversations.clear()
            self.known_conversations.add(conversation_id)
        self.last_typing_at[conversation_id] = now
        event = Typing(
            conversation_id=conversation_id, user_id=self.user_id, user_name=self.user_name
        )
        await self.channel_layer.group_send(
            self.group_name,
            {"type": "creator.event", "event": event.event_name, "payload": payload_of(event)},
        )
