"""Django's Redis cache with one connection pool per process.

Django keeps cache backends per async context, and under ASGI every request is a new context: the
stock `RedisCache` builds a new client, a new connection pool and a new TCP connection to Redis on
each request (about a quarter of an API request's CPU, measured with py-spy). This backend keeps
one client per (servers, options) for the whole process; redis-py's pool is thread-safe and
resets itself after a fork.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property


class _ReusedClient(RedisCacheClient):
    """Django builds a `redis.Redis` object on every cache call; keep one per pool (it is
    thread-safe)."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._redis_by_pool: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._redis_by_pool.get(id(pool))
        if client is None:
            client = super().get_client(key, write=write)
            client = self._redis_by_pool.setdefault(id(pool), client)
        return client


_clients: dict[tuple[str, ...], RedisCacheClient] = {}
_clients_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> Any:
        # RedisCache.__init__ parsed them (django-stubs do not declare these attributes).
        servers: list[str] = self._servers  # type: ignore[attr-defined]
        options: dict[str, Any] = self._options  # type: ignore[attr-defined]
        key = (*servers, repr(sorted(options.items())))
        client = _clients.get(key)
        if client is None:
            with _clients_lock:
                client = _clients.get(key)
                if client is None:
                    client = _ReusedClient(servers, **options)
                    _clients[key] = client
        return client
