"""Circuit breakers: a deployment that fails N times in a row is skipped for T seconds.

States: ``closed`` (in use), ``open`` (skipped until ``open_until_s``), ``half_open`` (the
cooldown has passed; the next call is the trial: a success closes the circuit, a failure
opens it again at once). With ``REDIS_URL`` the counts live in Redis, so every worker and
every router process shares them; a Redis failure falls back to this process's memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.exceptions import RedisError

from ai_router.redis_state import RedisConnection

STALE_KEY_TTL_FACTOR = 20


@dataclass(frozen=True, slots=True)
class CircuitState:
    state: str
    consecutive_failures: int
    open_until_s: float | None

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def to_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "consecutive_failures": self.consecutive_failures,
            "open_until_s": self.open_until_s,
        }


CLOSED = CircuitState(state="closed", consecutive_failures=0, open_until_s=None)


def circuit_state(
    *, failures: int, open_until_s: float | None, threshold: int, now_s: float
) -> CircuitState:
    if open_until_s is not None and now_s < open_until_s:
        state = "open"
    elif failures >= threshold:
        state = "half_open"
    else:
        state = "closed"
    return CircuitState(state=state, consecutive_failures=failures, open_until_s=open_until_s)


class CircuitStore(Protocol):
    backend: str

    async def states(self, names: Sequence[str]) -> dict[str, CircuitState]: ...

    async def record_failure(self, name: str) -> CircuitState: ...

    async def record_success(self, name: str) -> None: ...

    async def aclose(self) -> None: ...


class MemoryCircuitStore:
    backend = "memory"

    def __init__(
        self, *, failure_threshold: int, cooldown_s: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._failures: dict[str, int] = {}
        self._open_until_s: dict[str, float] = {}

    def _state(self, name: str) -> CircuitState:
        return circuit_state(
            failures=self._failures.get(name, 0),
            open_until_s=self._open_until_s.get(name),
            threshold=self.failure_threshold,
            now_s=self._clock(),
        )

    async def states(self, names: Sequence[str]) -> dict[str, CircuitState]:
        if not self._failures:  # the usual case: nothing has failed lately
            return dict.fromkeys(names, CLOSED)
        return {name: self._state(name) for name in names}

    async def record_failure(self, name: str) -> CircuitState:
        failures = self._failures.get(name, 0) + 1
        self._failures[name] = failures
        if failures >= self.failure_threshold:
            self._open_until_s[name] = self._clock() + self.cooldown_s
        return self._state(name)

    async def record_success(self, name: str) -> None:
        if name in self._failures:
            del self._failures[name]
            self._open_until_s.pop(name, None)

    async def aclose(self) -> None:
        return None


class RedisCircuitStore:
    """One Redis hash per deployment: ``failures`` and ``open_until`` (epoch seconds)."""

    backend = "redis"

    def __init__(
        self,
        *,
        url: str,
        key_prefix: str,
        failure_threshold: int,
        cooldown_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._key_prefix = f"{key_prefix}circuit:"
        self._redis = RedisConnection(url, purpose="circuit breakers")
        self._fallback = MemoryCircuitStore(
            failure_threshold=failure_threshold, cooldown_s=cooldown_s, clock=clock
        )
        self._names_with_failures: set[str] = set()

    @property
    def is_degraded(self) -> bool:
        return self._redis.is_degraded

    def _key(self, name: str) -> str:
        return f"{self._key_prefix}{name}"

    async def states(self, names: Sequence[str]) -> dict[str, CircuitState]:
        client = self._redis.client()
        if client is None:
            return await self._fallback.states(names)
        try:
            async with client.pipeline(transaction=False) as pipeline:
                for name in names:
                    pipeline.hmget(self._key(name), ["failures", "open_until"])
                rows = await pipeline.execute()
        except RedisError as error:
            self._redis.mark_failed(error)
            return await self._fallback.states(names)
        self._redis.mark_healthy()
        now_s = self._clock()
        result: dict[str, CircuitState] = {}
        for name, (failures, open_until) in zip(names, rows, strict=True):
            failure_count = int(failures or 0)
            if failure_count:
                self._names_with_failures.add(name)
            result[name] = circuit_state(
                failures=failure_count,
                open_until_s=float(open_until) if open_until else None,
                threshold=self.failure_threshold,
                now_s=now_s,
            )
        return result

    async def record_failure(self, name: str) -> CircuitState:
        key = self._key(name)
        ttl_s = max(60, int(self.cooldown_s * STALE_KEY_TTL_FACTOR))
        client = self._redis.client()
        if client is None:
            return await self._fallback.record_failure(name)
        try:
            async with client.pipeline(transaction=True) as pipeline:
                pipeline.hincrby(key, "failures", 1)
                pipeline.expire(key, ttl_s)
                failures, _ = await pipeline.execute()
            open_until_s: float | None = None
            if int(failures) >= self.failure_threshold:
                open_until_s = self._clock() + self.cooldown_s
                await client.hset(key, "open_until", repr(open_until_s))
        except RedisError as error:
            self._redis.mark_failed(error)
            return await self._fallback.record_failure(name)
        self._names_with_failures.add(name)
        return circuit_state(
            failures=int(failures),
            open_until_s=open_until_s,
            threshold=self.failure_threshold,
            now_s=self._clock(),
        )

    async def record_success(self, name: str) -> None:
        await self._fallback.record_success(name)
        if name not in self._names_with_failures:
            return
        client = self._redis.client()
        if client is None:
            return
        try:
            await client.delete(self._key(name))
        except RedisError as error:
            self._redis.mark_failed(error)
            return
        self._names_with_failures.discard(name)

    async def aclose(self) -> None:
        await self._redis.aclose()
