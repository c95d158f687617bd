"""Adapter for every OpenAI-compatible API: OpenAI, DeepSeek, Azure AI Foundry model
endpoints, Azure OpenAI deployments and any self-hosted server speaking the same protocol
(Ollama, vLLM, llama.cpp).

The body is sent as the caller wrote it (tools, response_format and other parameters pass
through untouched) over the router's own pooled HTTP/1.1 client (``ai_router.http_client``),
not the ``openai`` SDK: the SDK's request and response models cost more CPU per call than the
rest of the router. The wire is the SDK's: ``Authorization: Bearer`` (plus ``api-key`` for
Azure), ``/chat/completions`` under the base URL, or
``/openai/deployments/<model>/chat/completions?api-version=`` for Azure OpenAI.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import quote

from ai_router import jsonio
from ai_router.http_client import HttpClient, TransportError, server_sent_events
from ai_router.providers.base import (
    LoopLocal,
    ProviderCall,
    ProviderError,
    ProviderResult,
    StreamEvent,
    error_from_status,
    error_message_from_body,
)

CHAT_COMPLETIONS_PATH = "/chat/completions"


def _usage_counts(usage: Any) -> tuple[int | None, int | None]:
    if not isinstance(usage, Mapping):
        return None, None
    prompt_tokens = usage.get("prompt_tokens")
    completion_tokens = usage.get("completion_tokens")
    return (
        prompt_tokens if isinstance(prompt_tokens, int) else None,
        completion_tokens if isinstance(completion_tokens, int) else None,
    )


def _status_error(status: int, body: bytes, headers: Mapping[str, str]) -> ProviderError:
    try:
        parsed: Any = jsonio.loads(body) if body else None
    except ValueError:
        parsed = None
    fallback = f"Error code: {status}" + (
        f" - {body[:200].decode('utf-8', 'replace')}" if body else ""
    )
    return error_from_status(status, error_message_from_body(parsed, fallback), headers)


class OpenAICompatibleAdapter:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        azure_api_version: str | None = None,
        is_stream_usage_supported: bool = True,
    ) -> None:
        self._azure_api_version = azure_api_version
        self._is_stream_usage_supported = is_stream_usage_supported
        if azure_api_version is not None:
            self._base_url = base_url.rstrip("/") + "/openai"
            headers: dict[str, str] = {"api-key": api_key}
            self._query: dict[str, object] = {"api-version": azure_api_version}
        else:
            self._base_url = base_url
            headers = {"authorization": f"Bearer {api_key}"}
            self._query = dict(default_query or {})
        self._headers = {**headers, **(default_headers or {})}
        self._targets: dict[str, str] = {}
        self._clients: LoopLocal[HttpClient] = LoopLocal(self._make_client)

    def _make_client(self) -> HttpClient:
        return HttpClient(self._base_url, headers=self._headers)

    def _target(self, client: HttpClient, model: str) -> str:
        target = self._targets.get(model)
        if target is None:
            path = CHAT_COMPLETIONS_PATH
            if self._azure_api_version is not None:
                path = f"/deployments/{quote(model, safe='')}{CHAT_COMPLETIONS_PATH}"
            target = self._targets[model] = client.target(path, self._query)
        return target

    @staticmethod
    def _body(call: ProviderCall) -> dict[str, Any]:
        return {"model": call.model, "messages": call.messages, **call.params}

    async def complete(self, call: ProviderCall) -> ProviderResult:
        client = self._clients.get()
        try:
            response = await client.request(
                "POST", self._target(client, call.model), jsonio.dumps(self._body(call))
            )
        except TransportError as error:
            raise ProviderError(f"cannot reach the provider: {error}", kind="connection") from None
        if response.status >= 400:
            raise _status_error(response.status, response.body, response.headers)
        try:
            data = jsonio.loads(response.body)
        except ValueError:
            raise ProviderError("the provider answered invalid JSON", kind="bad_response") from None
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            raise ProviderError("the provider answered without 'choices'", kind="bad_response")
        tokens_in, tokens_out = _usage_counts(data.get("usage"))
        return ProviderResult(
            model=str(data.get("model") or call.model),
            choices=data["choices"],
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    async def stream(self, call: ProviderCall) -> AsyncIterator[StreamEvent]:
        client = self._clients.get()
        body = self._body(call)
        body["stream"] = True
        if self._is_stream_usage_supported:
            body["stream_options"] = {"include_usage": True}
        try:
            upstream = await client.stream(
                "POST", self._target(client, call.model), jsonio.dumps(body)
            )
            if upstream.status >= 400:
                error_body = await upstream.read()
                raise _status_error(upstream.status, error_body, upstream.headers)
        except TransportError as error:
            raise ProviderError(f"cannot reach the provider: {error}", kind="connection") from None
        events = server_sent_events(upstream)
        try:
            while True:
                try:
                    async with asyncio.timeout(call.timeout_s):
                        _, data = await anext(events)
                except StopAsyncIteration:
                    return
                if data.startswith("[DONE]"):
                    return
                event = self._stream_event(jsonio.loads(data))
                if event is not None:
                    yield event
        except TimeoutError:
            raise ProviderError("the provider stopped streaming", kind="timeout") from None
        except TransportError as error:
            raise ProviderError(f"the stream broke: {error}", kind="connection") from None
        except ValueError:
            raise ProviderError("the provider streamed invalid JSON", kind="bad_response") from None
        finally:
            await events.aclose()
            upstream.close()

    @staticmethod
    def _stream_event(chunk: Any) -> StreamEvent | None:
        if not isinstance(chunk, Mapping):
            return None
        if chunk.get("error"):
            message = error_message_from_body(chunk, "An error occurred during streaming")
            raise ProviderError(message, kind="server_error")
        choices = chunk.get("choices")
        tokens_in, tokens_out = _usage_counts(chunk.get("usage"))
        if not choices and tokens_in is None and tokens_out is None:
            return None
        return StreamEvent(
            choices=list(choices or []),
            model=chunk.get("model"),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    async def aclose(self) -> None:
        await self._clients.aclose(lambda client: client.aclose())
