"""AI reads: the creator's knowledge base, scoped per creator, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from huntaze.ai.models import KnowledgeBaseItem

KIND_REPLY_EXAMPLE = "reply_example"
MAX_REPLY_EXAMPLES = 20


@dataclass(frozen=True, slots=True)
class ReplyExample:
    id: int
    input_text: str
    output_text: str
    source: str
    score: float


def reply_examples(*, creator_id: int, limit: int = MAX_REPLY_EXAMPLES) -> list[ReplyExample]:
    """The creator's best reply examples (highest score, then newest), at most `limit`."""
    rows = (
        KnowledgeBaseItem.objects.for_creator(creator_id)
        .filter(kind=KIND_REPLY_EXAMPLE)
        .order_by("-score", "-created_at", "-id")
        .values_list("id", "input_text", "output_text", "source", "score")[: max(0, limit)]
    )
    return [
        ReplyExample(id=id_, input_text=input_text, output_text=output, source=source, score=score)
        for id_, input_text, output, source, score in rows
    ]
