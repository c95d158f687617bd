"""The built-in ``local`` provider: offline, in-process, no key, always available, always last.

It writes useful output for the product's own tasks (reply suggestions by retrieval over the
caller's examples and knowledge items, captions, campaigns, flows and metric summaries from
templates) and an honest extractive answer for the rest. It names itself in ``model``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ai_router.local_engine.replies import suggest_replies
from ai_router.local_engine.writers import (
    write_campaigns,
    write_captions,
    write_extractive_answer,
    write_flow,
    write_insight_summary,
)
from ai_router.providers.base import ProviderCall, ProviderResult, StreamEvent
from ai_router.text import (
    CHARACTERS_PER_TOKEN,
    estimate_message_tokens,
    estimate_text_tokens,
    last_user_text,
)

LOCAL_MODEL = "local/retrieval-v1"
WORDS_PER_STREAM_CHUNK = 4


def _fan_message(call: ProviderCall) -> str:
    text = last_user_text(call.messages)
    return text or str(call.context.fan.get("last_message") or "")


def generate_texts(call: ProviderCall) -> list[str]:
    count = int(call.params.get("n") or 1)
    text = _fan_message(call)
    context = call.context
    if call.task == "reply_suggestion":
        return suggest_replies(
            fan_message=text, context=context, language=call.language, count=count
        )
    if call.task == "caption":
        return write_captions(text=text, context=context, count=count)
    if call.task == "campaign":
        return write_campaigns(text=text, context=context, count=count)
    if call.task == "flow":
        single = write_flow(text=text, context=context)
    elif call.task == "insight_summary":
        single = write_insight_summary(text=text, context=context)
    else:
        single = write_extractive_answer(text=text, context=context, task=call.task)
    return [single] * count


def _truncate(text: str, max_tokens: Any) -> tuple[str, str]:
    if isinstance(max_tokens, int) and estimate_text_tokens(text) > max_tokens:
        return text[: max_tokens * CHARACTERS_PER_TOKEN], "length"
    return text, "stop"


class LocalAdapter:
    def __init__(self, *, model: str = LOCAL_MODEL) -> None:
        self._model = model

    def _texts(self, call: ProviderCall) -> list[tuple[str, str]]:
        max_tokens = call.params.get("max_completion_tokens", call.params.get("max_tokens"))
        return [_truncate(text, max_tokens) for text in generate_texts(call)]

    async def complete(self, call: ProviderCall) -> ProviderResult:
        texts = self._texts(call)
        return ProviderResult(
            model=self._model,
            choices=[
                {
                    "index": index,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
                for index, (text, finish_reason) in enumerate(texts)
            ],
            tokens_in=estimate_message_tokens(call.messages),
            tokens_out=sum(estimate_text_tokens(text) for text, _ in texts),
        )

    async def stream(self, call: ProviderCall) -> AsyncIterator[StreamEvent]:
        texts = self._texts(call)
        for index, (text, finish_reason) in enumerate(texts):
            pieces = text.split(" ")
            for start in range(0, len(pieces), WORDS_PER_STREAM_CHUNK):
                piece = " ".join(pieces[start : start + WORDS_PER_STREAM_CHUNK])
                if start + WORDS_PER_STREAM_CHUNK < len(pieces):
                    piece += " "
                delta: dict[str, Any] = {"content": piece}
                if start == 0:
                    delta = {"role": "assistant", **delta}
                yield StreamEvent(
                    choices=[
                        {"index": index, "delta": delta, "finish_reason": None, "logprobs": None}
                    ],
                    model=self._model,
                )
            yield StreamEvent(
                choices=[
                    {"index": index, "delta": {}, "finish_reason": finish_reason, "logprobs": None}
                ],
                model=self._model,
            )
        yield StreamEvent(
            choices=[],
            model=self._model,
            tokens_in=estimate_message_tokens(call.messages),
            tokens_out=sum(estimate_text_tokens(text) for text, _ in texts),
        )

    async def aclose(self) -> None:
        return None
