"""The router's own HTTP/1.1 client against raw loopback servers that answer byte for byte."""

from __future__ import annotations

import asyncio
import gzip
import itertools
from collections.abc import AsyncIterator, Callable

import pytest

from ai_router.http_client import HttpClient, TransportError, server_sent_events

# (request bytes, its position on its connection) -> answer bytes, or None to hang up
Answer = Callable[[bytes, int], bytes | None]


class RawServer:
    """Reads one request at a time and writes what ``answer`` returns; a request whose
    path starts with ``/base/slow`` waits half a second first."""

    def __init__(self, answer: Answer, *, close_after_answer: bool = False) -> None:
        self.answer = answer
        self.close_after_answer = close_after_answer
        self.connections = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            for position in itertools.count():
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                answer = self.answer(request, position)
                if answer is None:
                    break
                if request.startswith(b"POST /base/slow"):
                    await asyncio.sleep(0.5)
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client went away, or the test is over
        finally:
            writer.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/base"


async def serve(answer: Answer, *, close_after_answer: bool = False) -> AsyncIterator[RawServer]:
    raw = RawServer(answer, close_after_answer=close_after_answer)
    raw.server = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    async with raw.server:
        yield raw


def ok(body: bytes, *headers: str) -> bytes:
    head = "".join(f"{header}\r\n" for header in headers)
    return f"HTTP/1.1 200 OK\r\ncontent-length: {len(body)}\r\n{head}\r\n".encode() + body


@pytest.fixture
async def json_server() -> AsyncIterator[RawServer]:
    async for raw in serve(
        lambda request, _: ok(b'{"ok": true}', "content-type: application/json")
    ):
        yield raw


async def test_requests_share_one_keep_alive_connection(json_server: RawServer) -> None:
    # Given
    client = HttpClient(json_server.url, headers={"Authorization": "Bearer k"})
    # When
    answers = [await client.request("POST", client.target("/chat"), b"{}") for _ in range(3)]
    # Then
    assert [answer.status for answer in answers] == [200, 200, 200]
    assert answers[0].body == b'{"ok": true}'
    assert answers[0].headers["content-type"] == "application/json"
    assert json_server.connections == 1
    first = json_server.requests[0]
    assert first.startswith(b"POST /base/chat HTTP/1.1\r\n")
    assert b"authorization: Bearer k\r\n" in first
    assert b"content-length: 2\r\n" in first
    await client.aclose()


async def test_a_connection_the_server_closed_is_replaced_once() -> None:
    # Given a server that hangs up on the second request of a connection without answering
    async for raw in serve(lambda request, position: ok(b"{}") if position == 0 else None):
        client = HttpClient(raw.url)
        await client.request("POST", "/a", b"{}")
        # When the pooled connection is reused
        answer = await client.request("POST", "/b", b"{}")
        # Then the request went again on a fresh connection, once
        assert answer.status == 200
        assert raw.connections == 2
        assert len(raw.requests) == 3
        await client.aclose()


async def test_chunked_server_sent_events_arrive_as_they_come() -> None:
    # Given
    events = b"data: one\n\n: a comment\nevent: error\ndata: two\r\n\r\ndata: [DONE]\n\n"
    chunked = b"".join(
        f"{len(events[start : start + 7]):x}\r\n".encode() + events[start : start + 7] + b"\r\n"
        for start in range(0, len(events), 7)
    )
    head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
    async for raw in serve(lambda request, _: head + chunked + b"0\r\n\r\n"):
        client = HttpClient(raw.url)
        # When
        stream = await client.stream("POST", "/s", b"{}")
        received = [event async for event in server_sent_events(stream)]
        stream.close()
        # Then
        assert received == [("", "one"), ("error", "two"), ("", "[DONE]")]
        again = await client.request("POST", "/t", b"{}")  # the connection was kept
        assert again.status == 200
        assert raw.connections == 1
        await client.aclose()


async def test_a_body_delimited_by_the_close_of_the_connection() -> None:
    # Given
    close_delimited = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nhello"
    async for raw in serve(lambda request, _: close_delimited, close_after_answer=True):
        client = HttpClient(raw.url)
        # When
        answers = [await client.request("POST", "/c", b"") for _ in range(2)]
        # Then
        assert [answer.body for answer in answers] == [b"hello", b"hello"]
        assert raw.connections == 2
        await client.aclose()


async def test_a_gzip_body_is_decoded() -> None:
    # Given
    async for raw in serve(
        lambda request, _: ok(gzip.compress(b'{"a": 1}'), "content-encoding: gzip")
    ):
        client = HttpClient(raw.url)
        # When
        answer = await client.request("POST", "/g", b"{}")
        # Then
        assert answer.body == b'{"a": 1}'
        await client.aclose()


async def test_nothing_listening_is_a_transport_error() -> None:
    # Given a port that was free a moment ago
    server = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    client = HttpClient(f"http://127.0.0.1:{port}")
    # When / Then
    with pytest.raises(TransportError, match="cannot connect"):
        await client.request("POST", "/x", b"{}")


async def test_an_abandoned_request_does_not_leave_its_connection_in_the_pool(
    json_server: RawServer,
) -> None:
    # Given a request given up on before its answer
    client = HttpClient(json_server.url)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.1):
            await client.request("POST", client.target("/slow"), b"{}")
    # When
    answer = await client.request("POST", "/fast", b"{}")
    # Then a new connection answered: the late answer was not read as this one's
    assert answer.status == 200
    assert json_server.connections == 2
    await client.aclose()
