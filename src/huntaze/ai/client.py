"""The client of the AI router: the OpenAI chat-completions protocol, through the `openai` SDK.

With `AI_ROUTER_URL` set it calls that router over HTTP (bearer `AI_ROUTER_KEY`). Without it
(the embedded default) it calls `ai_router.main.create_app()` in-process through
`httpx.ASGITransport`; the app is built once per process.

Callers are synchronous (Celery tasks, services). The SDK is asynchronous (ASGITransport only
speaks async), so calls run on one event loop per process, in a daemon thread: the router's
loop-bound clients (provider connections, Redis) are created once in that loop and reused.

Every successful call is metered: one `usage_logs` row with the router's usage and cost
fields, through `huntaze.billing.services.usage_log_add`. A failed call raises
`UpstreamUnavailable`; the SDK already retried what is retryable (timeouts, 429, 5xx).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import httpx
import openai
import structlog
from django.conf import settings

from huntaze.billing.services import usage_log_add
from huntaze.core.errors import UpstreamUnavailable

_log = structlog.get_logger(__name__)

EMBEDDED_BASE_URL = "http://ai-router.embedded/v1"
EMBEDDED_API_KEY = "embedded"  # the in-process router runs without service keys
DEFAULT_TIMEOUT_S = 20.0
CONNECT_TIMEOUT_S = 3.0
DEFAULT_MAX_RETRIES = 2

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Completion:
    """One answer of the router: the choices' texts and what the call cost."""

    texts: tuple[str, ...]
    model: str
    provider: str
    deployment: str
    tokens_input: int
    tokens_output: int
    cost_usd: Decimal
    latency_ms: int
    request_id: str


class _LoopThread:
    """An event loop running forever in a daemon thread, one per process."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.clients: dict[tuple[str, str, int], openai.AsyncOpenAI] = {}
        self._thread = threading.Thread(target=self._run, name="ai-client-loop", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coroutine: Coroutine[Any, Any, T], *, timeout_s: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout=timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise


_lock = threading.Lock()
_state: dict[str, Any] = {"pid": None, "loop": None, "app": None}


def _process_state() -> dict[str, Any]:
    """The loop thread and the embedded app of this process (rebuilt after a fork)."""
    with _lock:
        if _state["pid"] != os.getpid():
            _state.update(pid=os.getpid(), loop=_LoopThread(), app=None)
        return _state


def _embedded_app() -> Any:
    state = _process_state()
    with _lock:
        if state["app"] is None:
            from ai_router.main import create_app

            state["app"] = create_app()
        return state["app"]


def _settings_endpoint() -> tuple[str, str]:
    url = (getattr(settings, "AI_ROUTER_URL", "") or "").rstrip("/")
    if not url:
        return EMBEDDED_BASE_URL, EMBEDDED_API_KEY
    if not url.endswith("/v1"):
        url = f"{url}/v1"
    return url, getattr(settings, "AI_ROUTER_KEY", "") or "none"


def _max_retries() -> int:
    return int(getattr(settings, "AI_ROUTER_MAX_RETRIES", DEFAULT_MAX_RETRIES))


def _client(loop_thread: _LoopThread, *, base_url: str, api_key: str) -> openai.AsyncOpenAI:
    """The SDK client of an endpoint, created in (and only used from) the loop thread."""
    max_retries = _max_retries()
    key = (base_url, api_key, max_retries)
    client = loop_thread.clients.get(key)
    if client is None:
        timeout = httpx.Timeout(DEFAULT_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
        if base_url == EMBEDDED_BASE_URL:
            http_client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=_embedded_app()),
                base_url=base_url,
                timeout=timeout,
            )
        else:
            http_client = httpx.AsyncClient(timeout=timeout)
        # The SDK runs on httpx2 and accepts legacy `httpx` clients (ASGITransport included).
        client = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=api_key,
            http_client=http_client,  # type: ignore[arg-type]
            max_retries=max_retries,
            timeout=DEFAULT_TIMEOUT_S,
        )
        loop_thread.clients[key] = client
    return client


def _decimal(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return Decimal(0)
    return amount if amount.is_finite() and amount >= 0 else Decimal(0)


def chat_complete(
    *,
    creator_id: int,
    feature: str,
    messages: list[dict[str, Any]],
    model: str = "auto",
    task: str | None = None,
    context: dict[str, Any] | None = None,
    choice_count: int = 1,
    max_tokens: int | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Completion:
    """Ask the router for `choice_count` completions and meter the call under `feature`.

    `task` and `context` are the router's extensions of the OpenAI body (see
    `ai_router/schemas.py`). Raises UpstreamUnavailable when the router cannot answer."""
    base_url, api_key = _settings_endpoint()
    loop_thread: _LoopThread = _process_state()["loop"]
    extra_body: dict[str, Any] = {}
    if task:
        extra_body["task"] = task
    if context:
        extra_body["context"] = context
    options: dict[str, Any] = {}
    if max_tokens is not None:
        options["max_tokens"] = max_tokens

    async def call() -> Any:
        client = _client(loop_thread, base_url=base_url, api_key=api_key)
        return await client.chat.completions.with_raw_response.create(
            model=model,
            messages=messages,  # type: ignore[arg-type]
            n=choice_count,
            extra_body=extra_body or None,
            extra_headers={"X-Tenant-Id": str(creator_id)},
            timeout=timeout_s,
            **options,
        )

    started = time.perf_counter()
    # The SDK retries up to max_retries times, each attempt bounded by timeout_s.
    overall_timeout_s = timeout_s * (_max_retries() + 1) + 10.0
    try:
        raw = loop_thread.run(call(), timeout_s=overall_timeout_s)
        completion = raw.parse()
    except openai.APIStatusError as error:
        _log.warning("ai.router_error", status=error.status_code, feature=feature)
        raise UpstreamUnavailable(
            f"The AI router answered {error.status_code}: {_error_message(error)}"
        ) from error
    except (openai.APIError, concurrent.futures.TimeoutError, httpx.HTTPError) as error:
        _log.warning("ai.router_unreachable", error=str(error), feature=feature)
        raise UpstreamUnavailable("The AI router could not be reached.") from error
    latency_ms = int((time.perf_counter() - started) * 1000)

    texts = tuple(
        (choice.message.content or "").strip()
        for choice in sorted(completion.choices, key=lambda choice: choice.index)
    )
    if not texts or not any(texts):
        raise UpstreamUnavailable("The AI router returned no answer.")
    usage = completion.usage
    extra = (usage.model_extra or {}) if usage is not None else {}
    result = Completion(
        texts=texts,
        model=str(extra.get("model") or completion.model or model),
        provider=str(extra.get("provider") or ""),
        deployment=str(extra.get("deployment") or ""),
        tokens_input=int(usage.prompt_tokens) if usage is not None else 0,
        tokens_output=int(usage.completion_tokens) if usage is not None else 0,
        cost_usd=_decimal(extra.get("cost_usd")),
        latency_ms=latency_ms,
        request_id=raw.headers.get("x-request-id", ""),
    )
    usage_log_add(
        creator_id=creator_id,
        feature=feature,
        agent_id=result.deployment,
        model=result.model,
        tokens_input=result.tokens_input,
        tokens_output=result.tokens_output,
        cost_usd=result.cost_usd,
        latency_ms=latency_ms,
    )
    return result


def _error_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return error.message
