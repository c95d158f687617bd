"""Adapter for Azure Speech to text (REST API for short audio), for transcription requests.

The request's ``input_audio`` parts (base64 WAV) are posted to
``/speech/recognition/conversation/cognitiveservices/v1`` and the recognised text comes back as
the assistant's message. Cost is by audio duration (``audio_usd_per_hour`` in the price table).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Mapping
from typing import Any

from ai_router import jsonio
from ai_router.http_client import HttpClient, TransportError
from ai_router.providers.base import (
    LoopLocal,
    ProviderCall,
    ProviderError,
    ProviderResult,
    StreamEvent,
    error_from_status,
)
from ai_router.text import content_parts

RECOGNITION_PATH = "/speech/recognition/conversation/cognitiveservices/v1"
TICKS_PER_SECOND = 10_000_000
LOCALES = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
    "de": "de-DE",
    "it": "it-IT",
    "pt": "pt-BR",
}


def default_endpoint(region: str) -> str:
    return f"https://{region}.stt.speech.microsoft.com"


def _audio_parts(messages: list[dict[str, Any]]) -> list[tuple[bytes, str]]:
    found: list[tuple[bytes, str]] = []
    for message in messages:
        for part in content_parts(message.get("content")):
            audio = part.get("input_audio")
            if part.get("type") != "input_audio" or not isinstance(audio, Mapping):
                continue
            try:
                data = base64.b64decode(str(audio.get("data", "")), validate=True)
            except (binascii.Error, ValueError):
                raise ProviderError(
                    "input_audio.data is not valid base64", kind="invalid_request", status_code=400
                ) from None
            found.append((data, str(audio.get("format") or "wav")))
    return found


class AzureSpeechAdapter:
    def __init__(self, *, api_key: str, endpoint: str) -> None:
        self._api_key = api_key
        self._endpoint = endpoint.rstrip("/")
        self._clients: LoopLocal[HttpClient] = LoopLocal(self._make_client)

    def _make_client(self) -> HttpClient:
        return HttpClient(self._endpoint, headers={"Ocp-Apim-Subscription-Key": self._api_key})

    async def _recognise(
        self, audio: bytes, audio_format: str, call: ProviderCall
    ) -> tuple[str, float]:
        locale = str(call.context.fan.get("locale") or LOCALES.get(call.language, "en-US"))
        content_type = (
            "audio/wav; codecs=audio/pcm; samplerate=16000"
            if audio_format == "wav"
            else f"audio/{audio_format}"
        )
        client = self._clients.get()
        target = client.target(RECOGNITION_PATH, {"language": locale, "format": "simple"})
        try:
            response = await client.request("POST", target, audio, content_type=content_type)
        except TransportError as error:
            raise ProviderError(f"cannot reach Azure Speech: {error}", kind="connection") from None
        if response.status >= 400:
            text = response.body[:200].decode("utf-8", "replace")
            raise error_from_status(
                response.status,
                f"Azure Speech answered HTTP {response.status}: {text}",
                response.headers,
            )
        try:
            data = jsonio.loads(response.body)
        except ValueError:
            raise ProviderError("Azure Speech answered invalid JSON", kind="bad_response") from None
        status = data.get("RecognitionStatus") if isinstance(data, Mapping) else None
        if status not in {"Success", "NoMatch", "InitialSilenceTimeout"}:
            raise ProviderError(f"Azure Speech recognition status {status}", kind="bad_response")
        duration_s = float(data.get("Duration") or 0) / TICKS_PER_SECOND
        return str(data.get("DisplayText") or ""), duration_s

    async def complete(self, call: ProviderCall) -> ProviderResult:
        audio_parts = _audio_parts(call.messages)
        if not audio_parts:
            raise ProviderError(
                "a transcription request needs an input_audio part",
                kind="invalid_request",
                status_code=400,
            )
        texts: list[str] = []
        total_seconds = 0.0
        for audio, audio_format in audio_parts:
            text, duration_s = await self._recognise(audio, audio_format, call)
            texts.append(text)
            total_seconds += duration_s
        message = {"role": "assistant", "content": "\n".join(texts)}
        return ProviderResult(
            model=call.model,
            choices=[{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
            tokens_in=0,
            tokens_out=0,
            audio_seconds=total_seconds,
        )

    async def stream(self, call: ProviderCall) -> AsyncIterator[StreamEvent]:
        result = await self.complete(call)
        content = result.choices[0]["message"]["content"]
        yield StreamEvent(
            choices=[
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            model=result.model,
            tokens_in=0,
            tokens_out=0,
            audio_seconds=result.audio_seconds,
        )

    async def aclose(self) -> None:
        await self._clients.aclose(lambda client: client.aclose())
