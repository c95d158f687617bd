"""The AI memory of a fan: facts extracted from the fan's messages.

`fan_facts_extract` asks the router (feature `fan_memory`) for the facts a batch of fan
messages states, as JSON. The router's offline `local` provider does not extract facts, so
when it is the one that answered, the facts come from fixed rules (`huntaze.ai.fact_rules`).

`memory_facts_merge` decides what goes into the fan's list of facts: new facts only (compared
loosely), never one the team already deleted, and an older AI fact of a single-valued kind
(birthday, age, location) is replaced only while nobody has edited it. The AI's facts and
their source messages are kept in `ai_memory_facts`; how far each conversation was read is in
`ai_memory_cursors`."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from django.db import IntegrityError, transaction

from huntaze.ai.client import chat_complete
from huntaze.ai.fact_rules import MAX_QUOTE_LENGTH, facts_from_text
from huntaze.ai.models import MemoryCursor, MemoryFact

_log = structlog.get_logger(__name__)

MEMORY_FEATURE = "fan_memory"
LOCAL_PROVIDER = "local"
METHOD_MODEL = "model"
METHOD_RULES = "rules"
FACT_KINDS = ("birthday", "age", "location", "job", "pet", "preference", "other")
SINGLE_VALUED_KINDS = frozenset({"birthday", "age", "location"})
MAX_FACT_TEXT_LENGTH = 200
MAX_EXTRACTED_FACTS = 10
MAX_MESSAGE_CHARACTERS = 1000
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
# A fan states a fact about themself in the first person; a batch without any first-person
# word ("hi", "how much?", "you're gorgeous") is not sent to the model at all.
_FIRST_PERSON = re.compile(
    r"(?:^|\W)(?:(?:i|im|my|me|mine|myself|je|mon|ma|mes|moi)(?:\W|$)|j')", re.IGNORECASE
)

INSTRUCTIONS = (
    "You keep a creator's memory of facts about one fan. From the fan's messages below, list "
    "the durable personal facts the fan states about themself: birthday, age, where they live, "
    "job, pets (with names), likes and dislikes. Skip greetings, compliments, requests and "
    "anything already known. Answer with JSON only: "
    '{"facts": [{"kind": "birthday|age|location|job|pet|preference|other", '
    '"text": "a short fact in English, e.g. Lives in Lyon", "message_id": <id of the message>}]}'
    ' and {"facts": []} when there is none.'
)


@dataclass(frozen=True, slots=True)
class SourceMessage:
    id: int
    text: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class ExtractedFact:
    kind: str
    text: str
    message_id: int
    quote: str
    said_at: datetime


@dataclass(frozen=True, slots=True)
class FactExtraction:
    facts: tuple[ExtractedFact, ...]
    model: str
    method: str  # "model" or "rules"


@dataclass(frozen=True, slots=True)
class FactSource:
    """Where an AI fact of the fan's memory came from."""

    kind: str
    quote: str
    said_at: datetime | None
    message_id: int | None
    model: str


@dataclass(frozen=True, slots=True)
class MemoryMerge:
    facts: list[str]  # the fan's memory after the merge
    added: list[ExtractedFact]  # placed in it (new, or replacing an unedited AI fact)


def fact_key(text: str) -> str:
    """A fact compared loosely: case, accents' marks, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(character for character in text if not unicodedata.combining(character))
    return _NOT_WORD.sub(" ", text).strip()[:MAX_FACT_TEXT_LENGTH]


def _clean_text(text: str) -> str:
    return " ".join(str(text).split())[:MAX_FACT_TEXT_LENGTH]


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE_LENGTH else text[: MAX_QUOTE_LENGTH - 1] + "…"


# Extraction -------------------------------------------------------------------------------------


def _prompt(messages: Sequence[SourceMessage], known_facts: Sequence[str]) -> list[dict[str, Any]]:
    lines = [
        json.dumps(
            {"message_id": m.id, "text": m.text[:MAX_MESSAGE_CHARACTERS]}, ensure_ascii=False
        )
        for m in messages
    ]
    known = "\n".join(f"- {fact}" for fact in known_facts) or "(nothing yet)"
    return [
        {"role": "system", "content": INSTRUCTIONS},
        {
            "role": "user",
            "content": f"Already known:\n{known}\n\nThe fan's messages:\n" + "\n".join(lines),
        },
    ]


def facts_parse(answer: str, messages: Sequence[SourceMessage]) -> list[ExtractedFact]:
    """The facts of a model's JSON answer that name one of `messages`; the rest is dropped."""
    found = _JSON_OBJECT.search(answer)
    if found is None:
        return []
    try:
        data = json.loads(found.group(0))
    except ValueError:
        return []
    items = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    by_id = {m.id: m for m in messages}
    facts: list[ExtractedFact] = []
    for item in items[:MAX_EXTRACTED_FACTS]:
        if not isinstance(item, dict):
            continue
        text = _clean_text(item.get("text") or "")
        message = by_id.get(item.get("message_id"))  # type: ignore[arg-type]
        if not text or message is None:
            continue
        kind = item.get("kind") if item.get("kind") in FACT_KINDS else "other"
        facts.append(
            ExtractedFact(
                kind=str(kind),
                text=text,
                message_id=message.id,
                quote=_quote(message.text),
                said_at=message.sent_at,
            )
        )
    return facts


def facts_by_rules(messages: Sequence[SourceMessage]) -> list[ExtractedFact]:
    return [
        ExtractedFact(
            kind=fact.kind,
            text=_clean_text(fact.text),
            message_id=message.id,
            quote=_quote(message.text),
            said_at=message.sent_at,
        )
        for message in messages
        for fact in facts_from_text(message.text, said_at=message.sent_at)
    ][:MAX_EXTRACTED_FACTS]


def fan_facts_extract(
    *, creator_id: int, messages: Sequence[SourceMessage], known_facts: Sequence[str]
) -> FactExtraction:
    """The facts the fan states in `messages` (oldest first), each with its source message.
    One metered router call (none when no message speaks in the first person); raises
    UpstreamUnavailable when the router cannot answer."""
    messages = [m for m in messages if m.text.strip()]
    if not any(_FIRST_PERSON.search(m.text) for m in messages):
        return FactExtraction(facts=(), model="", method=METHOD_RULES)
    completion = chat_complete(
        creator_id=creator_id,
        feature=MEMORY_FEATURE,
        task="general",
        messages=_prompt(messages, known_facts),
        max_tokens=400,
    )
    if completion.provider == LOCAL_PROVIDER:
        facts = facts_by_rules(messages)
        return FactExtraction(facts=tuple(facts), model=completion.model, method=METHOD_RULES)
    facts = facts_parse(completion.texts[0], messages)
    if not facts and "facts" not in completion.texts[0]:
        _log.warning("ai.memory_unparsed", creator_id=creator_id, model=completion.model)
    return FactExtraction(facts=tuple(facts), model=completion.model, method=METHOD_MODEL)


# Merging ----------------------------------------------------------------------------------------


def memory_facts_merge(
    *,
    current: Sequence[str],
    facts: Iterable[ExtractedFact],
    sources: dict[str, FactSource],
    max_facts: int,
) -> MemoryMerge:
    """`current` with the new `facts` merged in. `sources` are the AI's facts so far, by
    `fact_key`: a fact the AI wrote before and the team removed is not added again, and an
    entry of `current` the AI wrote (same key) and nobody changed may be replaced by a newer
    fact of the same single-valued kind. Entries written or edited by people never change."""
    merged = list(current)
    keys = [fact_key(text) for text in merged]
    added: list[ExtractedFact] = []
    for fact in facts:
        key = fact_key(fact.text)
        if not key or key in keys or key in sources:
            continue
        position = _replaceable(fact.kind, keys, sources)
        if position is not None:
            merged[position], keys[position] = fact.text, key
        elif len(merged) < max_facts:
            merged.append(fact.text)
            keys.append(key)
        else:
            continue
        added.append(fact)
    return MemoryMerge(facts=merged, added=added)


def _replaceable(kind: str, keys: Sequence[str], sources: dict[str, FactSource]) -> int | None:
    if kind not in SINGLE_VALUED_KINDS:
        return None
    for position, key in enumerate(keys):
        source = sources.get(key)
        if source is not None and source.kind == kind:
            return position
    return None


# Bookkeeping ------------------------------------------------------------------------------------


def memory_fact_sources(*, creator_id: int, fan_id: int) -> dict[str, FactSource]:
    """Every fact the AI wrote for the fan (still in the memory or not), by `fact_key`."""
    rows = (
        MemoryFact.objects.for_creator(creator_id)
        .filter(fan_id=fan_id)
        .order_by("id")
        .values_list("key", "kind", "quote", "said_at", "message_id", "model")
    )
    return {
        key: FactSource(kind=kind, quote=quote, said_at=said_at, message_id=message_id, model=model)
        for key, kind, quote, said_at, message_id, model in rows
    }


def memory_cursor_get(*, creator_id: int, conversation_id: int) -> int:
    """The id of the last fan message of the conversation the extraction read (0: none)."""
    value = (
        MemoryCursor.objects.for_creator(creator_id)
        .filter(conversation_id=conversation_id)
        .values_list("last_message_id", flat=True)
        .first()
    )
    return value or 0


def memory_cursor_lock(*, creator_id: int, conversation_id: int) -> int:
    """Like `memory_cursor_get`, with the cursor row locked until the transaction ends (created
    at 0 when missing). Call inside `transaction.atomic`."""
    cursors = MemoryCursor.objects.for_creator(creator_id).filter(conversation_id=conversation_id)
    value = cursors.select_for_update().values_list("last_message_id", flat=True).first()
    if value is not None:
        return value
    try:
        with transaction.atomic():
            MemoryCursor.objects.create(creator_id=creator_id, conversation_id=conversation_id)
    except IntegrityError:
        pass  # created by a concurrent run: lock it below
    return cursors.select_for_update().values_list("last_message_id", flat=True).first() or 0


def memory_cursor_advance(*, creator_id: int, conversation_id: int, message_id: int) -> None:
    MemoryCursor.objects.for_creator(creator_id).filter(
        conversation_id=conversation_id, last_message_id__lt=message_id
    ).update(last_message_id=message_id)


def memory_facts_record(
    *, creator_id: int, fan_id: int, facts: Iterable[ExtractedFact], model: str
) -> None:
    """Keep the AI's facts with their source messages (a key already kept is left as is)."""
    sources = memory_fact_sources(creator_id=creator_id, fan_id=fan_id)
    rows = []
    for fact in facts:
        key = fact_key(fact.text)
        if key in sources:
            continue
        sources[key] = FactSource(
            kind=fact.kind, quote="", said_at=None, message_id=None, model=model
        )
        rows.append(
            MemoryFact(
                creator_id=creator_id,
                fan_id=fan_id,
                kind=fact.kind,
                text=fact.text,
                key=key,
                message_id=fact.message_id,
                quote=fact.quote,
                said_at=fact.said_at,
                model=model[:80],
            )
        )
    MemoryFact.objects.for_creator(creator_id).bulk_create(rows, ignore_conflicts=True)
