"""The settings' Redis channel layer keeps every member subscribed: a blocking pop answered
while the event loop is busy does not kill the receiver (and with it the member's socket), and
a burst of members joining and leaving at once neither fails nor leaves dead channels behind.
Both failed with redis-py 8's pool defaults (5 s read timeout, 100 connections)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import Any

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

BURST = 300


def _layer() -> RedisChannelLayer:
    config = settings.CHANNEL_LAYERS["default"]
    if config["BACKEND"] != "channels_redis.core.RedisChannelLayer":
        pytest.skip("needs Redis (REDIS_URL; CI runs this on its Redis pass)")
    options: dict[str, Any] = dict(config["CONFIG"])
    options["prefix"] = f"test-layer-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    return RedisChannelLayer(**options)


def test_a_receiver_survives_an_empty_blocking_pop_read_late():
    # given: a member's channel waiting on Redis's blocking pop
    layer = _layer()

    async def scenario() -> dict[str, Any]:
        channel = await layer.new_channel()
        receiver = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(1)
        # when: the loop is busy while the pop times out empty on Redis's side, then an event
        # is sent to the channel
        time.sleep(layer.brpop_timeout + 0.5)  # noqa: ASYNC251 - a busy loop, on purpose
        await asyncio.sleep(0.2)
        await layer.send(channel, {"type": "creator.event", "event": "message.created"})
        try:
            return await asyncio.wait_for(receiver, layer.brpop_timeout * 2)
        finally:
            await layer.flush()

    # then: the receiver is still there and gets it
    assert asyncio.run(scenario()) == {"type": "creator.event", "event": "message.created"}


def test_a_burst_of_members_joins_and_leaves_a_group_at_once():
    # given: more members than redis-py's default pool size
    layer = _layer()

    async def scenario() -> tuple[int, int]:
        channels = [await layer.new_channel() for _ in range(BURST)]
        connection = layer.connection(0)
        group_key = layer._group_key("creator.7")
        try:
            # when: they all join at once, then all leave at once
            await asyncio.gather(*(layer.group_add("creator.7", name) for name in channels))
            joined = await connection.zcard(group_key)
            await asyncio.gather(*(layer.group_discard("creator.7", name) for name in channels))
            left = await connection.zcard(group_key)
        finally:
            await layer.flush()
        return joined, left

    # then: every one was added, and none is left behind
    assert asyncio.run(scenario()) == (BURST, 0)
