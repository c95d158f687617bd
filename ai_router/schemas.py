"""The OpenAI-compatible request the router accepts, and the response shapes it writes.

Parsing is by hand rather than through a model class: the router forwards most of the body
unchanged, so it only checks the fields it reads and names the offending field on error.

Router extensions to the OpenAI body (all optional):

* ``task``: a task hint (``reply_suggestion``, ``caption``, ``campaign``, ``flow``,
  ``insight_summary``, ``reasoning``, ``vision``, ``transcription``, ``general``);
* ``complexity``: ``low``, ``medium`` or ``high``, to override the classifier;
* ``latency_cap_ms``: route only to deployments expected to answer within this time;
* ``context``: material for the prompt and for the local engine, see :class:`RequestContext`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ai_router import jsonio
from ai_router.errors import InvalidRequestError

TASKS = (
    "reply_suggestion",
    "caption",
    "campaign",
    "flow",
    "insight_summary",
    "reasoning",
    "vision",
    "transcription",
    "general",
)
COMPLEXITIES = ("low", "medium", "high")
MESSAGE_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
ROUTER_FIELDS = frozenset(
    {
        "model",
        "messages",
        "stream",
        "stream_options",
        "task",
        "complexity",
        "context",
        "latency_cap_ms",
    }
)
MAX_CHOICES = 10


@dataclass(frozen=True, slots=True)
class Example:
    input: str
    output: str


@dataclass(frozen=True, slots=True)
class KnowledgeItem:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class RequestContext:
    """``context`` body field: examples and knowledge for retrieval, the fan, the persona.

    ``{"examples": [{"input": "...", "output": "..."}], "knowledge": [{"title": "...",
    "text": "..."}], "fan": {"name": "...", ...}, "persona": "..." | {"name": "...",
    "tone": "..."}, "n": 3, "platform": "instagram", "offer": {...}, "metrics": {...}}``
    """

    examples: tuple[Example, ...] = ()
    knowledge: tuple[KnowledgeItem, ...] = ()
    fan: dict[str, Any] = field(default_factory=dict)
    persona: dict[str, Any] = field(default_factory=dict)
    suggestion_count: int | None = None
    platform: str | None = None
    offer: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.examples
            or self.knowledge
            or self.fan
            or self.persona
            or self.platform
            or self.offer
            or self.metrics
        )


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    is_stream: bool
    choice_count: int
    task_hint: str | None
    complexity_hint: str | None
    latency_cap_ms: int | None
    max_output_tokens: int | None
    context: RequestContext
    passthrough: dict[str, Any]

    def provider_params(self) -> dict[str, Any]:
        """OpenAI parameters to forward to a provider, ``n`` included."""
        params = dict(self.passthrough)
        params["n"] = self.choice_count
        return params


def _require_string(value: Any, param: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidRequestError(f"'{param}' must be a non-empty string.", param=param)
    return value


def _optional_int(value: Any, param: str, *, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InvalidRequestError(
            f"'{param}' must be an integer between {minimum} and {maximum}.", param=param
        )
    return value


def _parse_messages(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InvalidRequestError("'messages' must be a non-empty array.", param="messages")
    for index, message in enumerate(value):
        param = f"messages[{index}]"
        if not isinstance(message, dict):
            raise InvalidRequestError(f"'{param}' must be an object.", param=param)
        if message.get("role") not in MESSAGE_ROLES:
            raise InvalidRequestError(
                f"'{param}.role' must be one of {sorted(MESSAGE_ROLES)}.", param=f"{param}.role"
            )
        content = message.get("content")
        if content is not None and not isinstance(content, str | list):
            raise InvalidRequestError(
                f"'{param}.content' must be a string or an array of parts.",
                param=f"{param}.content",
            )
    return value


def _mapping(value: Any, param: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidRequestError(f"'{param}' must be an object.", param=param)
    return value


def _parse_context(value: Any) -> RequestContext:
    raw = _mapping(value, "context")
    if not raw:
        return RequestContext()
    examples: list[Example] = []
    for index, item in enumerate(raw.get("examples") or []):
        if not isinstance(item, dict) or not isinstance(item.get("output"), str):
            raise InvalidRequestError(
                "each of 'context.examples' needs a string 'output' (and an 'input').",
                param=f"context.examples[{index}]",
            )
        examples.append(Example(input=str(item.get("input") or ""), output=item["output"]))
    knowledge: list[KnowledgeItem] = []
    for index, item in enumerate(raw.get("knowledge") or []):
        if isinstance(item, str):
            knowledge.append(KnowledgeItem(title="", text=item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            knowledge.append(KnowledgeItem(title=str(item.get("title") or ""), text=item["text"]))
        else:
            raise InvalidRequestError(
                "each of 'context.knowledge' must be a string or have a string 'text'.",
                param=f"context.knowledge[{index}]",
            )
    persona_value = raw.get("persona")
    persona = {"description": persona_value} if isinstance(persona_value, str) else persona_value
    platform = raw.get("platform")
    return RequestContext(
        examples=tuple(examples),
        knowledge=tuple(knowledge),
        fan=_mapping(raw.get("fan"), "context.fan"),
        persona=_mapping(persona, "context.persona"),
        suggestion_count=_optional_int(raw.get("n"), "context.n", minimum=1, maximum=MAX_CHOICES),
        platform=str(platform) if platform else None,
        offer=_mapping(raw.get("offer"), "context.offer"),
        metrics=_mapping(raw.get("metrics"), "context.metrics"),
    )


def parse_json_body(body: bytes) -> dict[str, Any]:
    try:
        parsed = jsonio.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidRequestError(
            f"We could not parse the JSON body of your request: {error}.", code="invalid_json"
        ) from None
    if not isinstance(parsed, dict):
        raise InvalidRequestError("The request body must be a JSON object.", code="invalid_json")
    return parsed


def parse_chat_request(
    body: dict[str, Any], *, task_header: str | None = None, complexity_header: str | None = None
) -> ChatRequest:
    model = _require_string(body.get("model"), "model")
    messages = _parse_messages(body.get("messages"))
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise InvalidRequestError("'stream' must be a boolean.", param="stream")
    task = body.get("task") or task_header
    if task is not None and task not in TASKS:
        raise InvalidRequestError(f"'task' must be one of {list(TASKS)}.", param="task")
    complexity = body.get("complexity") or complexity_header
    if complexity is not None and complexity not in COMPLEXITIES:
        raise InvalidRequestError(
            f"'complexity' must be one of {list(COMPLEXITIES)}.", param="complexity"
        )
    context = _parse_context(body.get("context"))
    choice_count = _optional_int(body.get("n"), "n", minimum=1, maximum=MAX_CHOICES)
    if choice_count is None:
        choice_count = context.suggestion_count or 1
    max_output_tokens = _optional_int(
        body.get("max_completion_tokens", body.get("max_tokens")),
        "max_tokens",
        minimum=1,
        maximum=1_000_000,
    )
    passthrough = {
        key: value for key, value in body.items() if key not in ROUTER_FIELDS and key != "n"
    }
    return ChatRequest(
        model=model,
        messages=messages,
        is_stream=stream,
        choice_count=choice_count,
        task_hint=task,
        complexity_hint=complexity,
        latency_cap_ms=_optional_int(
            body.get("latency_cap_ms"), "latency_cap_ms", minimum=1, maximum=3_600_000
        ),
        max_output_tokens=max_output_tokens,
        context=context,
        passthrough=passthrough,
    )


def completion_body(
    *,
    completion_id: str,
    model: str,
    choices: list[dict[str, Any]],
    usage: dict[str, Any],
    created_s: int | None = None,
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created_s if created_s is not None else int(time.time()),
        "model": model,
        "choices": choices,
        "usage": usage,
    }


def chunk_body(
    *,
    completion_id: str,
    model: str,
    created_s: int,
    choices: list[dict[str, Any]],
    usage: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created_s,
        "model": model,
        "choices": choices,
    }
    if usage is not None:
        body["usage"] = usage
    return body


def server_sent_event(data: dict[str, Any]) -> bytes:
    return b"data: " + jsonio.dumps(data) + b"\n\n"


SERVER_SENT_DONE = b"data: [DONE]\n\n"
