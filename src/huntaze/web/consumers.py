"""The workspace WebSocket: one group per creator; the member's access is checked when
subscribing, and events are forwarded as JSON."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from huntaze.core.events import creator_group
from huntaze.core.selectors import membership_role


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
        self.group_name = creator_group(creator_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group_name is not None:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def creator_event(self, message: dict[str, Any]) -> None:
        await self.send_json({"event": message["event"], "payload": message["payload"]})
