"""The served router writes each answer's head and body in one socket write."""

from __future__ import annotations

import asyncio
from typing import Any

from ai_router.serving import CoalescingTransport

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.is_closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.is_closed

    def close(self) -> None:
        self.is_closed = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 1)}.get(name, default)


async def test_head_and_body_go_out_in_one_write() -> None:
    # Given a coalescing transport
    recording = RecordingTransport()
    transport = CoalescingTransport(recording, asyncio.get_running_loop())  # type: ignore[arg-type]
    # When uvicorn writes a response head, then its body
    transport.write(HEAD)
    transport.write(b"{}")
    await asyncio.sleep(0)
    # Then the socket saw one write, in order
    assert recording.writes == [HEAD + b"{}"]


async def test_a_head_alone_goes_out_at_the_end_of_the_loop_step() -> None:
    # Given a head written with no body yet (a stream whose first chunk comes later)
    recording = RecordingTransport()
    transport = CoalescingTransport(recording, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(HEAD)
    assert recording.writes == []
    # When the loop moves on
    await asyncio.sleep(0)
    # Then the head is written, once
    assert recording.writes == [HEAD]
    transport.write(b"data: {}\n\n")
    assert recording.writes == [HEAD, b"data: {}\n\n"]


async def test_close_writes_a_held_head_first_and_other_calls_pass_through() -> None:
    # Given a held head (an error answer uvicorn writes then closes)
    recording = RecordingTransport()
    transport = CoalescingTransport(recording, asyncio.get_running_loop())  # type: ignore[arg-type]
    transport.write(HEAD)
    # When the connection is closed
    transport.close()
    await asyncio.sleep(0)
    # Then the head went out before the close, once, and the rest is the real transport's
    assert recording.writes == [HEAD]
    assert recording.is_closed is True
    assert transport.get_extra_info("peername") == ("127.0.0.1", 1)
