"""The ASGI handler: one thread hop per request, signals in the request's own thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from django.core import signals

from huntaze.core.asgi_handler import SyncASGIHandler
from huntaze.core.cache_backends import SharedRedisCache


def _scope(path: str, method: str = "GET") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


async def _call(path: str, method: str = "GET", body: bytes = b"") -> tuple[int, bytes]:
    communicator = ApplicationCommunicator(SyncASGIHandler(), _scope(path, method))
    await communicator.send_input({"type": "http.request", "body": body, "more_body": False})
    start = await communicator.receive_output(5)
    content = b""
    while True:
        message = await communicator.receive_output(5)
        content += message.get("body", b"")
        if not message.get("more_body", False):
            break
    return start["status"], content


@pytest.mark.django_db(transaction=True)
async def test_a_request_is_served_and_its_signals_fire_in_the_view_thread():
    # given: receivers that note the thread of each signal
    threads: dict[str, int] = {}

    def started(**_: Any) -> None:
        threads["started"] = threading.get_ident()

    def finished(**_: Any) -> None:
        threads["finished"] = threading.get_ident()

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        # when
        status, content = await _call("/health")
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    # then: served, and started/finished ran in one worker thread, not the event loop's
    assert status == 200
    assert b"ok" in content
    assert threads["started"] == threads["finished"]
    assert threads["started"] != threading.get_ident()


@pytest.mark.django_db(transaction=True)
async def test_an_unknown_path_answers_404_through_the_middleware():
    status, content = await _call("/api/v1/nothing-here")
    assert status == 404
    assert b'"code":"not_found"' in content.replace(b" ", b"")


async def test_a_websocket_scope_is_refused_by_the_http_handler():
    with pytest.raises(ValueError, match="websocket"):
        await SyncASGIHandler()({"type": "websocket"}, None, None)


def test_redis_cache_backends_share_one_client_per_location():
    # given: two backends for one location (Django builds one per request under ASGI)
    first = SharedRedisCache("redis://127.0.0.1:6379/15", {})
    second = SharedRedisCache("redis://127.0.0.1:6379/15", {})
    other = SharedRedisCache("redis://127.0.0.1:6379/14", {})
    # then: one client (and so one connection pool) per location; nothing connects yet
    assert first._cache is second._cache
    assert first._cache is not other._cache


def test_a_redis_cache_backend_reuses_its_redis_client():
    backend = SharedRedisCache("redis://127.0.0.1:6379/13", {})
    assert backend._cache.get_client("a") is backend._cache.get_client("b", write=True)
