"""A lean HTTP/1.1 client for provider calls: keep-alive connections pooled per origin.

General-purpose clients (httpx, the ``openai`` SDK on top of it) cost about 1.5 ms of CPU per
call in URL objects, header models, anyio streams and pool bookkeeping; the router makes one
call per request, so that was most of its own latency. This client does the minimum a JSON
POST needs: the request is one pre-assembled ``bytes`` write, the response is parsed by
``httptools`` (llhttp, the parser uvicorn uses) in an ``asyncio.Protocol``, and an idle
connection goes back to the pool the moment its response is complete.

* TLS (``https://``) with the system's or ``certifi``'s certificates, ALPN ``http/1.1``.
* Chunked, content-length and close-delimited bodies; ``gzip``/``deflate`` are decoded if a
  server sends them although ``accept-encoding: identity`` is asked.
* A reused connection that the server closed before answering is retried once on a fresh
  one (nothing was received, so nothing was processed); other failures raise
  :class:`TransportError`. Time limits are the caller's (``asyncio.timeout``): a request
  abandoned midway closes its connection.
* One client per event loop (see ``LoopLocal``); proxies from the environment are not used.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

import httptools

USER_AGENT = "huntaze-ai-router/1.0"
IDLE_TIMEOUT_S = 30.0  # below the usual server keep-alive (OpenAI, Azure: 60 s and more)
MAX_IDLE_CONNECTIONS = 128
_ssl_context: ssl.SSLContext | None = None


class TransportError(Exception):
    """The connection failed, closed early, or the response was not valid HTTP."""


def _default_ssl_context() -> ssl.SSLContext:
    global _ssl_context
    if _ssl_context is None:
        try:
            import certifi

            context = ssl.create_default_context(cafile=certifi.where())
        except ImportError:  # pragma: no cover - certifi comes with httpx
            context = ssl.create_default_context()
        context.set_alpn_protocols(["http/1.1"])
        _ssl_context = context
    return _ssl_context


class _Exchange:
    """One response being received: status, headers, body pieces, completion."""

    __slots__ = (
        "body",
        "decoder",
        "error",
        "headers",
        "is_complete",
        "is_headers_done",
        "is_started",
        "loop",
        "status",
        "until_close",
        "waiter",
        "wake_on_body",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop, *, wake_on_body: bool) -> None:
        self.loop = loop
        self.wake_on_body = wake_on_body
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.decoder: Any = None
        self.is_started = False
        self.is_headers_done = False
        self.is_complete = False
        self.until_close = False
        self.error: TransportError | None = None
        self.waiter: asyncio.Future[None] | None = None

    def wake(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def progress(self) -> None:
        """Wait for headers, a body piece (streams), completion or failure."""
        if self.error is not None:
            raise self.error
        waiter = self.loop.create_future()
        self.waiter = waiter
        await waiter
        if self.error is not None:
            raise self.error

    def fail(self, error: TransportError) -> None:
        if not self.is_complete and self.error is None:
            self.error = error
        self.wake()

    def take_body(self) -> bytes:
        pieces, self.body = self.body, []
        data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        if self.decoder is not None:
            data = self.decoder.decompress(data)
            if self.is_complete:
                data += self.decoder.flush()
        return data


class _Connection(asyncio.Protocol):
    """One keep-alive connection; its responses are parsed as they arrive."""

    def __init__(self, client: HttpClient) -> None:
        self._client = client
        self._parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.exchange: _Exchange | None = None
        self.is_closed = False
        self.idle_since_s = 0.0

    # -- asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        exchange = self.exchange
        if exchange is None:  # nothing was asked: the server is misbehaving
            self.close()
            return
        exchange.is_started = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            exchange.fail(TransportError(f"malformed HTTP response: {error}"))
            self.close()

    def eof_received(self) -> bool | None:
        self._finish_on_close()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.is_closed = True
        self._finish_on_close()
        if self.exchange is not None:
            reason = f": {exc}" if exc else ""
            self.exchange.fail(TransportError(f"the connection closed before the answer{reason}"))
            self.exchange = None

    # -- httptools callbacks

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.exchange is not None
        self.exchange.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        exchange = self.exchange
        assert exchange is not None
        exchange.status = self._parser.get_status_code()
        headers = exchange.headers
        encoding = headers.get("content-encoding", "").lower()
        if encoding in {"gzip", "deflate"}:
            exchange.decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        exchange.until_close = (
            "content-length" not in headers
            and "transfer-encoding" not in headers
            and exchange.status not in {204, 304}
        )
        exchange.is_headers_done = True
        exchange.wake()

    def on_body(self, body: bytes) -> None:
        exchange = self.exchange
        assert exchange is not None
        exchange.body.append(body)
        if exchange.wake_on_body:
            exchange.wake()

    def on_message_complete(self) -> None:
        exchange = self.exchange
        assert exchange is not None
        exchange.is_complete = True
        self.exchange = None
        if self._parser.should_keep_alive() and not self.is_closed:
            self._client.release(self)
        else:
            self.close()
        exchange.wake()

    # -- use

    def _finish_on_close(self) -> None:
        exchange = self.exchange
        if exchange is not None and exchange.is_headers_done and exchange.until_close:
            exchange.is_complete = True
            self.exchange = None
            exchange.wake()

    def send(self, data: bytes, *, wake_on_body: bool) -> _Exchange:
        assert self.transport is not None
        exchange = _Exchange(self._client.loop, wake_on_body=wake_on_body)
        self.exchange = exchange
        self.transport.write(data)
        return exchange

    def close(self) -> None:
        self.is_closed = True
        if self.transport is not None:
            self.transport.close()


class HttpResponse:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class HttpStream:
    """A response whose body is read as it comes (server-sent events)."""

    def __init__(self, connection: _Connection, exchange: _Exchange) -> None:
        self._connection = connection
        self._exchange = exchange
        self.status = exchange.status
        self.headers = exchange.headers

    async def chunks(self) -> AsyncIterator[bytes]:
        exchange = self._exchange
        while True:
            if exchange.body:
                yield exchange.take_body()
            elif exchange.is_complete:
                return
            else:
                await exchange.progress()

    async def read(self) -> bytes:
        pieces = [piece async for piece in self.chunks()]
        return b"".join(pieces)

    async def lines(self) -> AsyncIterator[str]:
        """Body lines without their ``\\n`` or ``\\r\\n``, decoded as UTF-8."""
        pending = b""
        async for chunk in self.chunks():
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                yield line.rstrip(b"\r").decode("utf-8", "replace")
        if pending:
            yield pending.rstrip(b"\r").decode("utf-8", "replace")

    def close(self) -> None:
        """Give up on the rest of the body: the connection cannot be reused."""
        if not self._exchange.is_complete:
            self._connection.close()


async def server_sent_events(stream: HttpStream) -> AsyncGenerator[tuple[str, str], None]:
    """``(event, data)`` of each server-sent event; ``event`` is ``""`` when not named."""
    event = ""
    data: list[str] = []
    async for line in stream.lines():
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "", []
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
    if data:
        yield event, "\n".join(data)


class HttpClient:
    """Requests to one origin (scheme, host, port) over pooled keep-alive connections."""

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.loop = asyncio.get_running_loop()
        self._host = parts.hostname
        self._is_tls = parts.scheme == "https"
        self._port = parts.port or (443 if self._is_tls else 80)
        self.base_path = parts.path.rstrip("/")
        default_port = self._port == (443 if self._is_tls else 80)
        host_header = self._host if default_port else f"{self._host}:{self._port}"
        if ":" in self._host:
            host_header = f"[{self._host}]" if default_port else f"[{self._host}]:{self._port}"
        fields = {
            "host": host_header,
            "user-agent": USER_AGENT,
            "accept": "application/json",
            "accept-encoding": "identity",
            **{name.lower(): value for name, value in (headers or {}).items()},
        }
        self._head = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode()
        self._idle: list[_Connection] = []

    def target(self, path: str, query: Mapping[str, Any] | None = None) -> str:
        """The request target for ``path`` under the base URL's path, with ``query``."""
        target = self.base_path + path
        return f"{target}?{urlencode(query)}" if query else target

    def _request_bytes(
        self, method: str, target: str, body: bytes, content_type: str, headers: Mapping[str, str]
    ) -> bytes:
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        return b"".join(
            (
                f"{method} {target} HTTP/1.1\r\n".encode(),
                self._head,
                f"content-type: {content_type}\r\ncontent-length: {len(body)}\r\n{extra}\r\n".encode(),
                body,
            )
        )

    async def _connect(self) -> _Connection:
        try:
            _, connection = await self.loop.create_connection(
                lambda: _Connection(self),
                self._host,
                self._port,
                ssl=_default_ssl_context() if self._is_tls else None,
                server_hostname=self._host if self._is_tls else None,
            )
        except (OSError, ssl.SSLError) as error:
            raise TransportError(f"cannot connect to {self._host}:{self._port}: {error}") from None
        return connection

    def _take_idle(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if not connection.is_closed and now - connection.idle_since_s < IDLE_TIMEOUT_S:
                return connection
            connection.close()
        return None

    def release(self, connection: _Connection) -> None:
        if len(self._idle) >= MAX_IDLE_CONNECTIONS:
            connection.close()
            return
        connection.idle_since_s = time.monotonic()
        self._idle.append(connection)

    async def _exchange(self, data: bytes, *, is_stream: bool) -> tuple[_Connection, _Exchange]:
        """Send and wait for the response head (and, unless streaming, the whole body)."""
        for attempt in (1, 2):
            connection = self._take_idle()
            is_reused = connection is not None
            if connection is None:
                connection = await self._connect()
            exchange = connection.send(data, wake_on_body=is_stream)
            try:
                while not (exchange.is_complete or (is_stream and exchange.is_headers_done)):
                    await exchange.progress()
            except TransportError:
                if is_reused and not exchange.is_started and attempt == 1:
                    continue
                raise
            except BaseException:  # cancelled (a time limit): the answer is abandoned
                connection.close()
                raise
            return connection, exchange
        raise AssertionError("unreachable")  # pragma: no cover

    async def request(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        *,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        data = self._request_bytes(method, target, body, content_type, headers or {})
        _, exchange = await self._exchange(data, is_stream=False)
        return HttpResponse(exchange.status, exchange.headers, exchange.take_body())

    async def stream(
        self,
        method: str,
        target: str,
        body: bytes = b"",
        *,
        content_type: str = "application/json",
        headers: Mapping[str, str] | None = None,
    ) -> HttpStream:
        """The response once its head has arrived; call ``close()`` when done with it."""
        data = self._request_bytes(method, target, body, content_type, headers or {})
        connection, exchange = await self._exchange(data, is_stream=True)
        return HttpStream(connection, exchange)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
