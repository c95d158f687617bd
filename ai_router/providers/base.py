"""The provider Protocol every adapter implements, and the records that cross it."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from ai_router.schemas import RequestContext

RETRYABLE_KINDS = frozenset({"timeout", "connection", "rate_limited", "server_error"})
ClientT = TypeVar("ClientT")


@dataclass(frozen=True, slots=True)
class ProviderCall:
    """One attempt. The engine bounds the attempt by ``timeout_s`` (up to the first streamed
    event); adapters apply it again between streamed events."""

    model: str
    messages: list[dict[str, Any]]
    params: dict[str, Any]
    timeout_s: float
    task: str
    language: str
    context: RequestContext = field(default_factory=RequestContext)


@dataclass(slots=True)
class ProviderResult:
    """A finished completion: OpenAI ``choices`` objects and the provider's token counts."""

    model: str
    choices: list[dict[str, Any]]
    tokens_in: int | None = None
    tokens_out: int | None = None
    audio_seconds: float = 0.0


@dataclass(slots=True)
class StreamEvent:
    """One streamed piece: OpenAI chunk ``choices`` (index, delta, finish_reason) and usage."""

    choices: list[dict[str, Any]]
    model: str | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    audio_seconds: float = 0.0


class ProviderError(Exception):
    """A failed provider call, sorted by kind so the router knows whether to retry.

    Kinds: ``timeout``, ``connection``, ``rate_limited``, ``server_error`` (retryable),
    ``invalid_request`` (the caller's fault: neither retried nor sent elsewhere),
    ``authentication``, ``not_found``, ``bad_response`` (the deployment's fault: next one).
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        status_code: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status_code = status_code
        self.retry_after_s = retry_after_s

    @property
    def is_retryable(self) -> bool:
        return self.kind in RETRYABLE_KINDS

    @property
    def is_caller_error(self) -> bool:
        return self.kind == "invalid_request"


class ProviderAdapter(Protocol):
    """One provider's wire format behind a single interface."""

    async def complete(self, call: ProviderCall) -> ProviderResult: ...

    def stream(self, call: ProviderCall) -> AsyncIterator[StreamEvent]: ...

    async def aclose(self) -> None: ...


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def error_from_status(
    status_code: int, message: str, headers: Mapping[str, str] | None = None
) -> ProviderError:
    retry_after_s = parse_retry_after(headers or {})
    if status_code == 429:
        kind = "rate_limited"
    elif status_code >= 500 or status_code == 408:
        kind = "server_error"
    elif status_code in {401, 403}:
        kind = "authentication"
    elif status_code == 404:
        kind = "not_found"
    elif status_code in {400, 413, 422}:
        kind = "invalid_request"
    else:
        kind = "bad_response"
    return ProviderError(message, kind=kind, status_code=status_code, retry_after_s=retry_after_s)


def error_message_from_body(body: Any, fallback: str) -> str:
    if isinstance(body, Mapping):
        error = body.get("error", body)
        if isinstance(error, Mapping) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return fallback


class LoopLocal(Generic[ClientT]):
    """A client per event loop: HTTP connection pools must not cross loops.

    The router usually runs in one loop (uvicorn); in-process callers may come from several
    (``asyncio.run`` in a worker). A client made for a loop that has gone is dropped.
    """

    def __init__(self, factory: Callable[[], ClientT]) -> None:
        self._factory = factory
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: ClientT | None = None

    def get(self) -> ClientT:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client = self._factory()
            self._loop = loop
        return self._client

    async def aclose(self, closer: Callable[[ClientT], Awaitable[None]]) -> None:
        client, loop = self._client, self._loop
        self._client, self._loop = None, None
        if client is not None and loop is asyncio.get_running_loop():
            await closer(client)
