"""AI writes: the knowledge base of replies that worked, and reply suggestions from the router.

Other apps call these functions; they never touch the AI models or the router directly."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from huntaze.ai.client import chat_complete
from huntaze.ai.models import KnowledgeBaseItem
from huntaze.ai.selectors import KIND_REPLY_EXAMPLE, ReplyExample
from huntaze.core.errors import ValidationFailed

SOURCE_MODEL = "model"
SOURCE_KNOWLEDGE_BASE = "knowledge_base"
REPLY_SUGGESTION_MODEL = "huntaze-reply-suggestion"
REPLY_SUGGESTION_FEATURE = "reply_suggestion"
KNOWLEDGE_BASE_SOURCES = ("accepted_suggestion", "edited", "manual", "import")
MAX_EXAMPLE_TEXT_LENGTH = 4000
_PLACEHOLDER = re.compile(r"\{(fan_name|name|creator)\}")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ReplySuggestion:
    text: str
    source: str  # "model" or "knowledge_base"


@dataclass(frozen=True, slots=True)
class ReplySuggestions:
    items: tuple[ReplySuggestion, ...]
    model: str


def knowledge_base_example_add(
    *,
    creator_id: int,
    input_text: str,
    output_text: str,
    source: str,
    platform: str = "",
) -> int:
    """Add a reply example (a fan message and the reply that was sent); the same pair added
    again raises its score instead of storing it twice. Returns the item id."""
    output_text = output_text.strip()
    input_text = input_text.strip()[:MAX_EXAMPLE_TEXT_LENGTH]
    if not output_text:
        raise ValidationFailed.on_field("output_text", "An example needs a reply text.")
    if len(output_text) > MAX_EXAMPLE_TEXT_LENGTH:
        raise ValidationFailed.on_field(
            "output_text", f"An example is at most {MAX_EXAMPLE_TEXT_LENGTH} characters."
        )
    if source not in KNOWLEDGE_BASE_SOURCES:
        raise ValidationFailed.on_field("source", f"Unknown source {source!r}.")
    with transaction.atomic():
        items = KnowledgeBaseItem.objects.for_creator(creator_id).filter(
            kind=KIND_REPLY_EXAMPLE, input_text=input_text, output_text=output_text
        )
        existing = items.select_for_update().values_list("id", flat=True).first()
        if existing is not None:
            items.filter(id=existing).update(score=F("score") + 1.0)
            return existing
        item = KnowledgeBaseItem.objects.create(
            creator_id=creator_id,
            kind=KIND_REPLY_EXAMPLE,
            source=source,
            platform=platform[:16],
            input_text=input_text,
            output_text=output_text,
            score=1.0,
        )
        return item.id


def _comparable(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    return _NOT_WORD.sub(" ", text).strip()


def _fill(template: str, *, fan_name: str, creator_name: str) -> str:
    return _PLACEHOLDER.sub(
        lambda match: creator_name if match.group(1) == "creator" else fan_name, template
    )


def reply_suggestions_generate(
    *,
    creator_id: int,
    history: list[dict[str, str]],
    fan: dict[str, Any],
    persona: dict[str, Any],
    examples: list[ReplyExample],
    platform: str = "",
    count: int = 3,
) -> ReplySuggestions:
    """`count` replies to the fan's last message, from the router (task reply_suggestion).

    `history` is the conversation oldest first as chat messages (the fan is "user", the team
    "assistant"), ending with the fan's message. A suggestion that repeats one of the creator's
    examples is marked as coming from the knowledge base ("from your past replies")."""
    if not history or history[-1].get("role") != "user":
        raise ValidationFailed.on_field("history", "The history must end with a fan message.")
    context: dict[str, Any] = {
        "examples": [{"input": e.input_text, "output": e.output_text} for e in examples],
        "fan": fan,
        "persona": persona,
        "n": count,
    }
    if platform:
        context["platform"] = platform
    completion = chat_complete(
        creator_id=creator_id,
        feature=REPLY_SUGGESTION_FEATURE,
        model=REPLY_SUGGESTION_MODEL,
        task="reply_suggestion",
        messages=history,
        context=context,
        choice_count=count,
    )
    fan_name = str(fan.get("name") or "")
    creator_name = str(persona.get("name") or "")
    known = {
        _comparable(_fill(e.output_text, fan_name=fan_name, creator_name=creator_name))
        for e in examples
    }
    known.discard("")
    items: list[ReplySuggestion] = []
    seen: set[str] = set()
    for text in completion.texts:
        key = _comparable(text)
        if not text or key in seen:
            continue
        seen.add(key)
        source = SOURCE_KNOWLEDGE_BASE if key in known else SOURCE_MODEL
        items.append(ReplySuggestion(text=text, source=source))
    return ReplySuggestions(items=tuple(items[:count]), model=completion.model)
