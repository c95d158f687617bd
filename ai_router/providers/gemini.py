"""Adapter for Google Gemini's native REST API (``generateContent``, ``streamGenerateContent``).

OpenAI messages become Gemini ``contents`` (assistant is ``model``; system and developer
messages become ``systemInstruction``), image and audio parts become ``inlineData`` or
``fileData``, and the answer comes back as OpenAI choices with usage from ``usageMetadata``.
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import AsyncIterator, Mapping
from typing import Any

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
from ai_router.text import content_parts, content_text

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com"
API_VERSION = "v1beta"
FINISH_REASONS = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
}


def _media_part(url: str, default_mime_type: str) -> dict[str, Any]:
    if url.startswith("data:") and "," in url:
        header, data = url[5:].split(",", 1)
        mime_type = header.split(";")[0] or default_mime_type
        return {"inlineData": {"mimeType": mime_type, "data": data}}
    mime_type = mimetypes.guess_type(url)[0] or default_mime_type
    return {"fileData": {"mimeType": mime_type, "fileUri": url}}


def _gemini_parts(content: Any) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    for part in content_parts(content):
        part_type = part.get("type")
        if part_type == "text" and part.get("text"):
            parts.append({"text": str(part["text"])})
        elif part_type == "image_url":
            image = part.get("image_url")
            url = image.get("url") if isinstance(image, Mapping) else image
            if isinstance(url, str):
                parts.append(_media_part(url, "image/jpeg"))
        elif part_type == "input_audio":
            audio = part.get("input_audio")
            if isinstance(audio, Mapping) and isinstance(audio.get("data"), str):
                audio_format = str(audio.get("format") or "wav")
                parts.append(
                    {"inlineData": {"mimeType": f"audio/{audio_format}", "data": audio["data"]}}
                )
    return parts


def _generation_config(params: Mapping[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    simple = {
        "temperature": "temperature",
        "top_p": "topP",
        "presence_penalty": "presencePenalty",
        "frequency_penalty": "frequencyPenalty",
        "seed": "seed",
    }
    for openai_name, gemini_name in simple.items():
        if params.get(openai_name) is not None:
            config[gemini_name] = params[openai_name]
    max_tokens = params.get("max_completion_tokens", params.get("max_tokens"))
    if max_tokens is not None:
        config["maxOutputTokens"] = max_tokens
    stop = params.get("stop")
    if stop:
        config["stopSequences"] = [stop] if isinstance(stop, str) else list(stop)
    choice_count = params.get("n") or 1
    if choice_count > 1:
        config["candidateCount"] = choice_count
    response_format = params.get("response_format")
    if isinstance(response_format, Mapping) and response_format.get("type") in {
        "json_object",
        "json_schema",
    }:
        config["responseMimeType"] = "application/json"
    return config


def gemini_request(call: ProviderCall) -> dict[str, Any]:
    system_parts: list[dict[str, Any]] = []
    contents: list[dict[str, Any]] = []
    for message in call.messages:
        role = message.get("role")
        if role in {"system", "developer"}:
            system_parts.extend(_gemini_parts(message.get("content")))
            continue
        if role in {"tool", "function"}:
            text = content_text(message.get("content"))
            parts = [{"text": f"Tool result: {text}"}] if text else []
            gemini_role = "user"
        else:
            parts = _gemini_parts(message.get("content"))
            gemini_role = "model" if role == "assistant" else "user"
        if parts:
            contents.append({"role": gemini_role, "parts": parts})
    body: dict[str, Any] = {"contents": contents}
    if system_parts:
        body["systemInstruction"] = {"parts": system_parts}
    config = _generation_config(call.params)
    if config:
        body["generationConfig"] = config
    return body


def _candidate_text(candidate: Mapping[str, Any]) -> str:
    content = candidate.get("content")
    parts = content.get("parts", []) if isinstance(content, Mapping) else []
    return "".join(
        str(part.get("text", ""))
        for part in parts
        if isinstance(part, Mapping) and not part.get("thought")
    )


def _usage(data: Mapping[str, Any]) -> tuple[int | None, int | None]:
    usage = data.get("usageMetadata")
    if not isinstance(usage, Mapping):
        return None, None
    prompt_tokens = usage.get("promptTokenCount")
    output_tokens = int(usage.get("candidatesTokenCount") or 0) + int(
        usage.get("thoughtsTokenCount") or 0
    )
    return (
        int(prompt_tokens) if prompt_tokens is not None else None,
        output_tokens if "candidatesTokenCount" in usage else None,
    )


def _finish_reason(candidate: Mapping[str, Any]) -> str | None:
    reason = candidate.get("finishReason")
    if not reason:
        return None
    return FINISH_REASONS.get(str(reason), "stop")


def openai_choices(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    candidates = data.get("candidates")
    if not isinstance(candidates, list) or not candidates:
        feedback = data.get("promptFeedback")
        if isinstance(feedback, Mapping) and feedback.get("blockReason"):
            message = {"role": "assistant", "content": ""}
            return [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": "content_filter",
                    "logprobs": None,
                }
            ]
        raise ProviderError("Gemini answered without candidates", kind="bad_response")
    return [
        {
            "index": int(candidate.get("index", position)),
            "message": {"role": "assistant", "content": _candidate_text(candidate)},
            "finish_reason": _finish_reason(candidate) or "stop",
            "logprobs": None,
        }
        for position, candidate in enumerate(candidates)
        if isinstance(candidate, Mapping)
    ]


class GeminiAdapter:
    def __init__(self, *, api_key: str, base_url: str = DEFAULT_BASE_URL) -> None:
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._clients: LoopLocal[HttpClient] = LoopLocal(self._make_client)

    def _make_client(self) -> HttpClient:
        return HttpClient(self._base_url, headers={"x-goog-api-key": self._api_key})

    @staticmethod
    def _target(client: HttpClient, model: str, method: str, **query: str) -> str:
        return client.target(f"/{API_VERSION}/models/{model}:{method}", query)

    @staticmethod
    def _status_error(status: int, body: bytes, headers: Mapping[str, str]) -> ProviderError:
        try:
            parsed: Any = jsonio.loads(body) if body else None
        except ValueError:
            parsed = None
        message = error_message_from_body(parsed, f"Gemini answered HTTP {status}")
        return error_from_status(status, message, headers)

    async def complete(self, call: ProviderCall) -> ProviderResult:
        client = self._clients.get()
        body = jsonio.dumps(gemini_request(call))
        try:
            response = await client.request(
                "POST", self._target(client, call.model, "generateContent"), body
            )
        except TransportError as error:
            raise ProviderError(f"cannot reach Gemini: {error}", kind="connection") from None
        if response.status >= 400:
            raise self._status_error(response.status, response.body, response.headers)
        try:
            data = jsonio.loads(response.body)
        except ValueError:
            raise ProviderError("Gemini answered invalid JSON", kind="bad_response") from None
        if not isinstance(data, Mapping):
            raise ProviderError("Gemini answered a non-object", kind="bad_response")
        tokens_in, tokens_out = _usage(data)
        return ProviderResult(
            model=str(data.get("modelVersion") or call.model),
            choices=openai_choices(data),
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    async def stream(self, call: ProviderCall) -> AsyncIterator[StreamEvent]:
        client = self._clients.get()
        body = jsonio.dumps(gemini_request(call))
        target = self._target(client, call.model, "streamGenerateContent", alt="sse")
        try:
            response = await client.stream("POST", target, body)
            if response.status >= 400:
                error_body = await response.read()
                raise self._status_error(response.status, error_body, response.headers)
        except TransportError as error:
            raise ProviderError(f"cannot reach Gemini: {error}", kind="connection") from None
        events = server_sent_events(response)
        try:
            started: set[int] = set()
            while True:
                try:
                    async with asyncio.timeout(call.timeout_s):
                        _, text = await anext(events)
                except StopAsyncIteration:
                    return
                try:
                    data = jsonio.loads(text)
                except ValueError:
                    raise ProviderError(
                        "Gemini streamed invalid JSON", kind="bad_response"
                    ) from None
                if isinstance(data, Mapping) and "error" in data:
                    status = (
                        data["error"].get("code", 500)
                        if isinstance(data["error"], Mapping)
                        else 500
                    )
                    message = error_message_from_body(data, "Gemini stream failed")
                    raise error_from_status(int(status), message)
                yield self._stream_event(data, started)
        except TimeoutError:
            raise ProviderError("Gemini stopped streaming", kind="timeout") from None
        except TransportError as error:
            raise ProviderError(f"Gemini stream broke: {error}", kind="connection") from None
        finally:
            await events.aclose()
            response.close()

    @staticmethod
    def _stream_event(data: Mapping[str, Any], started: set[int]) -> StreamEvent:
        choices: list[dict[str, Any]] = []
        candidates = data.get("candidates")
        for position, candidate in enumerate(candidates if isinstance(candidates, list) else []):
            if not isinstance(candidate, Mapping):
                continue
            index = int(candidate.get("index", position))
            delta: dict[str, Any] = {"content": _candidate_text(candidate)}
            if index not in started:
                started.add(index)
                delta = {"role": "assistant", **delta}
            choices.append(
                {
                    "index": index,
                    "delta": delta,
                    "finish_reason": _finish_reason(candidate),
                    "logprobs": None,
                }
            )
        tokens_in, tokens_out = _usage(data)
        model = data.get("modelVersion")
        return StreamEvent(
            choices=choices,
            model=str(model) if model else None,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    async def aclose(self) -> None:
        await self._clients.aclose(lambda client: client.aclose())
