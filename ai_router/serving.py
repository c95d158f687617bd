"""uvicorn's httptools protocol, writing each response's head and body in one socket write.

uvicorn writes the status line and headers when the app sends ``http.response.start`` and
the body on ``http.response.body``: two ``send`` calls per answer, and on loopback the client
often wakes twice. Here the head waits for the next write on the connection (the body, sent
straight after by the router's routes), or for the end of the current event-loop step (a
streamed answer whose first chunk comes later), whichever is first. Bytes keep their order;
only the number of writes changes.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

RESPONSE_HEAD_PREFIX = b"HTTP/1."


class CoalescingTransport:
    """A transport that holds a response head back until the next write (or the end of the
    loop step); everything else is the wrapped transport's."""

    __slots__ = ("_flush_handle", "_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: bytes | None = None
        self._flush_handle: asyncio.Handle | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        pending = self._pending
        if pending is not None:
            self._pending = None
            if self._flush_handle is not None:
                self._flush_handle.cancel()
                self._flush_handle = None
            self._transport.write(pending + bytes(data))
            return
        if isinstance(data, bytes) and data.startswith(RESPONSE_HEAD_PREFIX):
            self._pending = data
            self._flush_handle = self._loop.call_soon(self.flush)
            return
        self._transport.write(data)

    def flush(self) -> None:
        self._flush_handle = None
        pending, self._pending = self._pending, None
        if pending is not None and not self._transport.is_closing():
            self._transport.write(pending)

    def writelines(self, lines: Any) -> None:
        self.flush()
        self._transport.writelines(lines)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` on a :class:`CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        coalescing = CoalescingTransport(transport, self.loop)
        super().connection_made(coalescing)  # type: ignore[arg-type]
