"""Fake AI providers speaking each wire format, served by real uvicorn servers on loopback.

Each fake keeps a queue of scripted replies (status, headers, body, delay, stream breakage)
and records every request it receives, so a test can say what the provider does and check
what the router sent.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Reply:
    """What a fake provider does for one request. Defaults to a successful answer."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error_body: Any = None
    content: str | None = None
    delay_s: float = 0.0
    raw_body: bytes | None = None
    stream_break_after_chunks: int | None = None


@dataclass
class RecordedRequest:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    received_at_s: float = field(default_factory=time.monotonic)


class FakeProvider:
    def __init__(self, name: str, *, default_content: str) -> None:
        self.name = name
        self.default_content = default_content
        self.replies: deque[Reply] = deque()
        self.requests: list[RecordedRequest] = []
        self.prompt_tokens = 11
        self.completion_tokens = 7

    def reset(self) -> None:
        self.replies.clear()
        self.requests.clear()

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next_reply(self) -> Reply:
        return self.replies.popleft() if self.replies else Reply()

    async def record(self, request: Request) -> Any:
        raw = await request.body()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.requests.append(
            RecordedRequest(
                path=request.url.path,
                query=dict(request.query_params),
                headers={key.lower(): value for key, value in request.headers.items()},
                body=body,
            )
        )
        return body


def _words(text: str) -> list[str]:
    pieces = text.split(" ")
    return [piece + (" " if index < len(pieces) - 1 else "") for index, piece in enumerate(pieces)]


# -- OpenAI-compatible (OpenAI, DeepSeek, Azure AI Foundry, Azure OpenAI, Ollama...) --------


def openai_app(provider: FakeProvider) -> Starlette:
    async def chat_completions(request: Request) -> Response:
        body = await provider.record(request)
        reply = provider.next_reply()
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.raw_body is not None:
            return Response(reply.raw_body, status_code=reply.status, media_type="application/json")
        if reply.status >= 400:
            error = reply.error_body or {
                "error": {
                    "message": f"{provider.name} failed with {reply.status}",
                    "type": "server_error" if reply.status >= 500 else "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            }
            return JSONResponse(error, status_code=reply.status, headers=reply.headers)
        model = body.get("model", "unknown")
        content = reply.content if reply.content is not None else provider.default_content
        choice_count = int(body.get("n") or 1)
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(
                _openai_stream(provider, model, content, choice_count, include_usage, reply),
                media_type="text/event-stream",
            )
        return JSONResponse(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": model,
                "choices": [
                    {
                        "index": index,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                    for index in range(choice_count)
                ],
                "usage": {
                    "prompt_tokens": provider.prompt_tokens,
                    "completion_tokens": provider.completion_tokens,
                    "total_tokens": provider.prompt_tokens + provider.completion_tokens,
                },
            },
            headers=reply.headers,
        )

    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat_completions, methods=["POST"]),
            Route("/chat/completions", chat_completions, methods=["POST"]),
            Route("/models/chat/completions", chat_completions, methods=["POST"]),
            Route(
                "/openai/deployments/{deployment}/chat/completions",
                chat_completions,
                methods=["POST"],
            ),
        ]
    )


async def _openai_stream(
    provider: FakeProvider,
    model: str,
    content: str,
    choice_count: int,
    include_usage: bool,
    reply: Reply,
) -> AsyncIterator[bytes]:
    def event(choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> bytes:
        chunk: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": 1_700_000_000,
            "model": model,
            "choices": choices,
        }
        if usage is not None:
            chunk["usage"] = usage
        return f"data: {json.dumps(chunk)}\n\n".encode()

    sent = 0
    for index in range(choice_count):
        for position, word in enumerate(_words(content)):
            if (
                reply.stream_break_after_chunks is not None
                and sent >= reply.stream_break_after_chunks
            ):
                yield b'data: {"error": {"message": "upstream broke", "type": "server_error"}}\n\n'
                return
            delta: dict[str, Any] = {"content": word}
            if position == 0:
                delta["role"] = "assistant"
            yield event([{"index": index, "delta": delta, "finish_reason": None}])
            sent += 1
        yield event([{"index": index, "delta": {}, "finish_reason": "stop"}])
    if include_usage:
        yield event(
            [],
            {
                "prompt_tokens": provider.prompt_tokens,
                "completion_tokens": provider.completion_tokens,
                "total_tokens": provider.prompt_tokens + provider.completion_tokens,
            },
        )
    yield b"data: [DONE]\n\n"


# -- Gemini generateContent / streamGenerateContent -----------------------------------------


def gemini_app(provider: FakeProvider) -> Starlette:
    async def models(request: Request) -> Response:
        body = await provider.record(request)
        model, _, method = request.path_params["target"].partition(":")
        reply = provider.next_reply()
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.raw_body is not None:
            return Response(reply.raw_body, status_code=reply.status, media_type="application/json")
        if reply.status >= 400:
            error = reply.error_body or {
                "error": {
                    "code": reply.status,
                    "message": f"gemini failed with {reply.status}",
                    "status": "UNAVAILABLE" if reply.status >= 500 else "INVALID_ARGUMENT",
                }
            }
            return JSONResponse(error, status_code=reply.status, headers=reply.headers)
        content = reply.content if reply.content is not None else provider.default_content
        candidate_count = int((body.get("generationConfig") or {}).get("candidateCount") or 1)
        usage = {
            "promptTokenCount": provider.prompt_tokens,
            "candidatesTokenCount": provider.completion_tokens,
            "totalTokenCount": provider.prompt_tokens + provider.completion_tokens,
        }
        if method == "streamGenerateContent":
            return StreamingResponse(
                _gemini_stream(model, content, candidate_count, usage),
                media_type="text/event-stream",
            )
        if method != "generateContent":
            return JSONResponse({"error": {"code": 404, "message": "no such method"}}, 404)
        return JSONResponse(
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": content}]},
                        "finishReason": "STOP",
                        "index": index,
                    }
                    for index in range(candidate_count)
                ],
                "usageMetadata": usage,
                "modelVersion": model,
            }
        )

    return Starlette(routes=[Route("/v1beta/models/{target:path}", models, methods=["POST"])])


async def _gemini_stream(
    model: str, content: str, candidate_count: int, usage: dict[str, int]
) -> AsyncIterator[bytes]:
    pieces = _words(content)
    for position, piece in enumerate(pieces):
        is_last = position == len(pieces) - 1
        candidates = [
            {
                "content": {"role": "model", "parts": [{"text": piece}]},
                "index": index,
                **({"finishReason": "STOP"} if is_last else {}),
            }
            for index in range(candidate_count)
        ]
        chunk: dict[str, Any] = {"candidates": candidates, "modelVersion": model}
        if is_last:
            chunk["usageMetadata"] = usage
        yield f"data: {json.dumps(chunk)}\r\n\r\n".encode()


# -- Azure Speech to text (short audio REST) --------------------------------------------------


def azure_speech_app(provider: FakeProvider) -> Starlette:
    async def recognise(request: Request) -> Response:
        raw = await request.body()
        provider.requests.append(
            RecordedRequest(
                path=request.url.path,
                query=dict(request.query_params),
                headers={key.lower(): value for key, value in request.headers.items()},
                body=raw,
            )
        )
        reply = provider.next_reply()
        if reply.status >= 400:
            return Response(b"", status_code=reply.status, headers=reply.headers)
        content = reply.content if reply.content is not None else provider.default_content
        return JSONResponse(
            {
                "RecognitionStatus": "Success",
                "DisplayText": content,
                "Offset": 0,
                "Duration": 30_000_000,
            }
        )

    return Starlette(
        routes=[
            Route(
                "/speech/recognition/conversation/cognitiveservices/v1",
                recognise,
                methods=["POST"],
            )
        ]
    )


# -- a uvicorn server on a loopback port, in a thread ----------------------------------------


class LoopbackServer:
    """Runs an ASGI app with uvicorn on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, app: Any, *, lifespan: str = "off") -> None:
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets whose
        # protocol says TCP, and without it every response waits out a delayed ACK (~40 ms).
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            lifespan=lifespan,
            loop="asyncio",
            http="httptools",
            ws="none",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the loopback server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
