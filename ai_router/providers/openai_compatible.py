"""Adapter for every OpenAI-compatible API through the official ``openai`` SDK.

Serves OpenAI, DeepSeek, Azure AI Foundry model endpoints, Azure OpenAI deployments and any
self-hosted server speaking the same protocol (Ollama, vLLM, llama.cpp). The body is sent as
the caller wrote it (tools, response_format and other parameters pass through untouched) with
the SDK's low-level ``post``; the SDK's own retries are off because the router retries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import openai

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


def _translate(error: openai.OpenAIError) -> ProviderError:
    if isinstance(error, openai.APITimeoutError):
        return ProviderError("the provider timed out", kind="timeout")
    if isinstance(error, openai.APIConnectionError):
        return ProviderError(f"cannot reach the provider: {error}", kind="connection")
    if isinstance(error, openai.APIStatusError):
        message = error_message_from_body(error.body, str(error))
        return error_from_status(error.status_code, message, error.response.headers)
    if isinstance(error, openai.APIError):
        return ProviderError(error_message_from_body(error.body, str(error)), kind="server_error")
    return ProviderError(str(error), kind="bad_response")


def _usage_counts(usage: Any) -> tuple[int | None, int | None]:
    if not isinstance(usage, Mapping):
        return None, None
    prompt_tokens = usage.get("prompt_tokens")
    completion_tokens = usage.get("completion_tokens")
    return (
        prompt_tokens if isinstance(prompt_tokens, int) else None,
        completion_tokens if isinstance(completion_tokens, int) else None,
    )


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
        self._base_url = base_url
        self._api_key = api_key
        self._default_headers = dict(default_headers or {})
        self._default_query = dict(default_query or {})
        self._azure_api_version = azure_api_version
        self._is_stream_usage_supported = is_stream_usage_supported
        self._clients: LoopLocal[openai.AsyncOpenAI] = LoopLocal(self._make_client)

    def _make_client(self) -> openai.AsyncOpenAI:
        if self._azure_api_version is not None:
            return openai.AsyncAzureOpenAI(
                azure_endpoint=self._base_url,
                api_key=self._api_key,
                api_version=self._azure_api_version,
                max_retries=0,
                default_headers=self._default_headers or None,
            )
        return openai.AsyncOpenAI(
            base_url=self._base_url,
            api_key=self._api_key,
            max_retries=0,
            default_headers=self._default_headers or None,
            default_query=self._default_query or None,
        )

    @staticmethod
    def _body(call: ProviderCall) -> dict[str, Any]:
        return {"model": call.model, "messages": call.messages, **call.params}

    async def complete(self, call: ProviderCall) -> ProviderResult:
        client = self._clients.get()
        try:
            data = await client.post(
                CHAT_COMPLETIONS_PATH,
                body=self._body(call),
                cast_to=object,
                options={"timeout": call.timeout_s},
            )
        except openai.OpenAIError as error:
            raise _translate(error) from None
        except ValueError:
            raise ProviderError("the provider answered invalid JSON", kind="bad_response") from None
        if not isinstance(data, Mapping) or not isinstance(data.get("choices"), list):
            raise ProviderError("the provider answered without 'choices'", kind="bad_response")
        tokens_in, tokens_out = _usage_counts(data.get("usage"))
        return ProviderResult(
            model=str(data.get("model") or call.model),
            choices=list(data["choices"]),
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
            upstream = await client.post(
                CHAT_COMPLETIONS_PATH,
                body=body,
                cast_to=object,
                options={"timeout": call.timeout_s},
                stream=True,
                stream_cls=openai.AsyncStream[object],
            )
        except openai.OpenAIError as error:
            raise _translate(error) from None
        try:
            async for chunk in upstream:
                if not isinstance(chunk, Mapping):
                    continue
                choices = chunk.get("choices")
                tokens_in, tokens_out = _usage_counts(chunk.get("usage"))
                if not choices and tokens_in is None and tokens_out is None:
                    continue
                yield StreamEvent(
                    choices=list(choices or []),
                    model=chunk.get("model"),
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                )
        except openai.OpenAIError as error:
            raise _translate(error) from None
        except ValueError:
            raise ProviderError("the provider streamed invalid JSON", kind="bad_response") from None
        finally:
            await upstream.close()

    async def aclose(self) -> None:
        await self._clients.aclose(lambda client: client.close())
