"""Turn the ``context`` extension into a system message for remote models.

The local engine reads ``context`` directly; a remote model gets the same material as text: the
persona, the fan, the creator's closest examples (few-shot) and knowledge items, and how many
distinct suggestions to write.
"""

from __future__ import annotations

import json
from typing import Any

from ai_router.local_engine.retrieval import RetrievalIndex
from ai_router.schemas import ChatRequest
from ai_router.text import last_user_text

MAXIMUM_EXAMPLES = 5
MAXIMUM_KNOWLEDGE_ITEMS = 3


def context_message(request: ChatRequest, task: str) -> dict[str, Any] | None:
    context = request.context
    if context.is_empty:
        return None
    query = last_user_text(request.messages)
    lines: list[str] = []
    if context.persona:
        lines.append(f"Persona: {json.dumps(context.persona, ensure_ascii=False)}")
    if context.fan:
        lines.append(f"Fan: {json.dumps(context.fan, ensure_ascii=False)}")
    if context.platform:
        lines.append(f"Platform: {context.platform}")
    if context.offer:
        lines.append(f"Offer: {json.dumps(context.offer, ensure_ascii=False)}")
    if context.metrics:
        lines.append(f"Metrics: {json.dumps(context.metrics, ensure_ascii=False)}")
    if context.examples:
        index = RetrievalIndex.build([example.input for example in context.examples])
        positions = [position for position, _ in index.rank(query, limit=MAXIMUM_EXAMPLES)]
        positions = positions or list(range(min(MAXIMUM_EXAMPLES, len(context.examples))))
        lines.append("Examples of how the creator answers:")
        for position in positions:
            example = context.examples[position]
            lines.append(f"- Fan: {example.input}\n  Creator: {example.output}")
    if context.knowledge:
        index = RetrievalIndex.build([f"{item.title} {item.text}" for item in context.knowledge])
        ranked = index.rank(query, limit=MAXIMUM_KNOWLEDGE_ITEMS)
        if ranked:
            lines.append("Facts you may use:")
            lines.extend(f"- {context.knowledge[position].text}" for position, _ in ranked)
    if task == "reply_suggestion":
        lines.append(
            "Write one reply the creator could send to the fan's last message, in the fan's "
            "language, matching the persona and the examples' tone."
        )
    return {"role": "system", "content": "\n".join(lines)}


def messages_with_context(request: ChatRequest, task: str) -> list[dict[str, Any]]:
    message = context_message(request, task)
    if message is None:
        return request.messages
    return [message, *request.messages]
