"""Per-tenant monthly spend, in integer micro-dollars (1 USD = 1 000 000), and cost arithmetic.

A price in USD per million tokens times a token count is exactly micro-dollars, so costs stay
integers from the price table to the budget. Months are calendar months in UTC.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_CEILING, Decimal
from typing import Protocol

from redis.exceptions import RedisError

from ai_router.policy import Price
from ai_router.redis_state import RedisConnection

MICRO_USD_PER_USD = 1_000_000
PICO_USD_PER_MICRO_USD = 1_000_000
SECONDS_PER_HOUR = 3600
MONTH_KEY_TTL_S = 40 * 24 * 3600


def cost_micro_usd(
    price: Price, *, tokens_in: int, tokens_out: int, audio_seconds: float = 0.0
) -> int:
    """Cost rounded up to the micro-dollar, in integer arithmetic on the hot path."""
    pico_usd = (
        price.input_pico_usd_per_token * tokens_in + price.output_pico_usd_per_token * tokens_out
    )
    total = -(-pico_usd // PICO_USD_PER_MICRO_USD)
    if audio_seconds and price.audio_usd_per_hour:
        audio = price.audio_usd_per_hour * Decimal(str(audio_seconds)) * MICRO_USD_PER_USD
        total += int((audio / SECONDS_PER_HOUR).to_integral_value(rounding=ROUND_CEILING))
    return total


def micro_usd_to_usd(micro_usd: int) -> float:
    return round(micro_usd / MICRO_USD_PER_USD, 6)


def usd_to_micro_usd(usd: Decimal) -> int:
    return int((usd * MICRO_USD_PER_USD).to_integral_value(rounding=ROUND_CEILING))


def current_month(clock: Callable[[], datetime.datetime] | None = None) -> str:
    now = clock() if clock else datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m")


class BudgetStore(Protocol):
    backend: str

    async def spent_micro_usd(self, tenant_id: str, month: str) -> int: ...

    async def add(self, tenant_id: str, month: str, amount_micro_usd: int) -> int: ...

    async def aclose(self) -> None: ...


class MemoryBudgetStore:
    backend = "memory"

    def __init__(self) -> None:
        self._spent: dict[tuple[str, str], int] = {}

    async def spent_micro_usd(self, tenant_id: str, month: str) -> int:
        return self._spent.get((tenant_id, month), 0)

    async def add(self, tenant_id: str, month: str, amount_micro_usd: int) -> int:
        total = self._spent.get((tenant_id, month), 0) + amount_micro_usd
        self._spent[(tenant_id, month)] = total
        return total

    async def aclose(self) -> None:
        return None


class RedisBudgetStore:
    backend = "redis"

    def __init__(self, *, url: str, key_prefix: str) -> None:
        self._key_prefix = f"{key_prefix}spend:"
        self._redis = RedisConnection(url, purpose="budgets")
        self._fallback = MemoryBudgetStore()

    @property
    def is_degraded(self) -> bool:
        return self._redis.is_degraded

    def _key(self, tenant_id: str, month: str) -> str:
        return f"{self._key_prefix}{tenant_id}:{month}"

    async def spent_micro_usd(self, tenant_id: str, month: str) -> int:
        """Redis's total plus whatever this process charged while Redis was down."""
        local_micro_usd = await self._fallback.spent_micro_usd(tenant_id, month)
        client = self._redis.client()
        if client is None:
            return local_micro_usd
        try:
            value = await client.get(self._key(tenant_id, month))
        except RedisError as error:
            self._redis.mark_failed(error)
            return local_micro_usd
        self._redis.mark_healthy()
        return int(value or 0) + local_micro_usd

    async def add(self, tenant_id: str, month: str, amount_micro_usd: int) -> int:
        key = self._key(tenant_id, month)
        client = self._redis.client()
        if client is None:
            return await self._fallback.add(tenant_id, month, amount_micro_usd)
        try:
            async with client.pipeline(transaction=True) as pipeline:
                pipeline.incrby(key, amount_micro_usd)
                pipeline.expire(key, MONTH_KEY_TTL_S)
                total, _ = await pipeline.execute()
        except RedisError as error:
            self._redis.mark_failed(error)
            return await self._fallback.add(tenant_id, month, amount_micro_usd)
        return int(total)

    async def aclose(self) -> None:
        await self._redis.aclose()
