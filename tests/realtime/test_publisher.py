"""Events sent from a process without an event loop (a Celery worker) go through one
long-lived loop, over Redis, to the creator's group."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
import redis
from channels.layers import get_channel_layer

from huntaze.core import events


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_layer(settings):
    try:
        redis.Redis.from_url(_redis_url(), socket_connect_timeout=0.5).ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis (CI runs this on its Redis pass)")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [_redis_url()], "prefix": f"test-events-{os.getpid()}"},
        }
    }
    return get_channel_layer()


def test_a_worker_thread_publishes_through_one_loop(redis_layer):
    # given: a member's channel in creator 7's group
    loop = events._publisher()

    def on_loop(coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=5)

    channel = on_loop(redis_layer.new_channel())
    on_loop(redis_layer.group_add(events.creator_group(7), channel))
    # when: two events are sent from a thread with no event loop, as a Celery task would
    sender = threading.Thread(
        target=lambda: [
            events.broadcast_now(creator_id=7, event_type="message.created", payload={"n": n})
            for n in (1, 2)
        ]
    )
    sender.start()
    sender.join(timeout=10)
    # then: both arrive in order, and the process kept one publishing loop
    received = [on_loop(redis_layer.receive(channel)) for _ in range(2)]
    assert [(m["event"], m["payload"]) for m in received] == [
        ("message.created", {"n": 1}),
        ("message.created", {"n": 2}),
    ]
    assert events._publisher() is loop
    on_loop(redis_layer.flush())
