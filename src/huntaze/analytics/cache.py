"""The cache of the analytics pages: one entry per page, creator, range and data version.

Each creator has a version number in the cache. Every write to one of that creator's rollups
bumps it (after the commit), so the entries computed before the write are never read again and
expire on their own. Hits and misses are counted (Prometheus `huntaze_analytics_cache_total`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from prometheus_client import Counter

CACHE_TTL_S = 3600
_VERSION_TTL_S = None  # the version must outlive every entry made with it
_SCHEMA = 1  # bump when the cached shapes change

ANALYTICS_CACHE = Counter(
    "huntaze_analytics_cache_total", "Analytics page cache lookups", ["page", "result"]
)

T = TypeVar("T")


def _version_key(creator_id: int) -> str:
    return f"analytics:version:{creator_id}"


def _bump(creator_id: int) -> None:
    key = _version_key(creator_id)
    try:
        cache.incr(key)
    except ValueError:
        # No version yet (or evicted): start from a fresh number no older entry can carry.
        cache.set(key, time.time_ns(), _VERSION_TTL_S)


def analytics_cache_invalidate(*, creator_id: int) -> None:
    """Make the creator's cached pages stale once the current transaction commits (at once
    outside a transaction)."""
    transaction.on_commit(lambda: _bump(creator_id))


def creator_version(creator_id: int) -> int:
    key = _version_key(creator_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), _VERSION_TTL_S)
        version = cache.get(key)
    return int(version or 0)


def creator_versions(creator_ids: tuple[int, ...]) -> list[int]:
    """The data versions of several creators, in one cache round trip when all are set."""
    keys = [_version_key(creator_id) for creator_id in creator_ids]
    found = cache.get_many(keys)
    return [
        int(found[key]) if key in found else creator_version(creator_id)
        for key, creator_id in zip(keys, creator_ids, strict=True)
    ]


def cached(
    *, page: str, creator_id: int, parts: tuple[Any, ...], compute: Callable[[], T]
) -> tuple[T, bool]:
    """The value of `page` for one creator and `parts` (range, options), computed on a miss.
    Returns (value, whether it came from the cache)."""
    version = creator_version(creator_id)
    key = ":".join(
        ["analytics", f"s{_SCHEMA}", page, str(creator_id), str(version), *map(str, parts)]
    )
    value = cache.get(key)
    if value is not None:
        ANALYTICS_CACHE.labels(page=page, result="hit").inc()
        return value, True
    ANALYTICS_CACHE.labels(page=page, result="miss").inc()
    value = compute()
    cache.set(key, value, CACHE_TTL_S)
    return value, False


__all__ = [
    "ANALYTICS_CACHE",
    "CACHE_TTL_S",
    "analytics_cache_invalidate",
    "cached",
    "creator_version",
    "creator_versions",
]
