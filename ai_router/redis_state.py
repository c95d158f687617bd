"""The Redis connection shared by the circuit and budget stores, with a fallback window.

When Redis fails, the stores use this process's memory and do not try Redis again for
``retry_after_s``, so an outage costs one short timeout, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis.asyncio
from redis.exceptions import RedisError

from ai_router.providers.base import LoopLocal

logger = logging.getLogger("ai_router.redis")
SOCKET_TIMEOUT_S = 0.5
RETRY_AFTER_S = 5.0


class RedisConnection:
    def __init__(
        self,
        url: str,
        *,
        purpose: str,
        retry_after_s: float = RETRY_AFTER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._purpose = purpose
        self._retry_after_s = retry_after_s
        self._clock = clock
        self._retry_at: float | None = None
        self._clients: LoopLocal[redis.asyncio.Redis] = LoopLocal(
            lambda: redis.asyncio.Redis.from_url(
                url,
                socket_timeout=SOCKET_TIMEOUT_S,
                socket_connect_timeout=SOCKET_TIMEOUT_S,
                decode_responses=True,
            )
        )

    @property
    def is_degraded(self) -> bool:
        return self._retry_at is not None

    def client(self) -> redis.asyncio.Redis | None:
        """The client, or None while Redis is considered down."""
        if self._retry_at is not None and self._clock() < self._retry_at:
            return None
        return self._clients.get()

    def mark_failed(self, error: RedisError) -> None:
        if self._retry_at is None:
            logger.warning("redis unavailable for %s, using memory: %s", self._purpose, error)
        self._retry_at = self._clock() + self._retry_after_s

    def mark_healthy(self) -> None:
        if self._retry_at is not None:
            logger.warning("redis is back for %s", self._purpose)
        self._retry_at = None

    async def aclose(self) -> None:
        await self._clients.aclose(lambda client: client.aclose())
