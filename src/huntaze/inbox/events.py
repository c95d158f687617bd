"""Live inbox events: their typed payloads, and how they are sent.

Every event goes to the creator's group (`huntaze.core.events`) as
`{"event": "<name>", "payload": {...}}` once the transaction commits. The payload of each
event is one of the pydantic models below; `tests/inbox/test_events.py` holds their schemas.

| event                   | when                                                        |
| ----------------------- | ----------------------------------------------------------- |
| `message.created`       | a message is stored (ingested, sent or scheduled)            |
| `message.updated`       | a message changes status (scheduled to sent, cancelled, read)|
| `suggestion.created`    | reply suggestions for a fan message are stored               |
| `conversation.assigned` | a conversation gets (or loses) its chatter                   |
| `typing`                | a team member types in a conversation (not stored)           |
| `fan.updated`           | a fan's tags or AI memory change (by the team or the AI)     |
| `note.changed`          | a note about a fan is added, edited, pinned or deleted       |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from huntaze.core.events import broadcast_now, broadcast_on_commit


class EventPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    event_name: ClassVar[str]


class MessageData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    conversation_id: int
    fan_id: int
    direction: Literal["in", "out"]
    sender_id: int | None
    text: str
    media_ids: list[int]
    price_cents: int = Field(ge=0)
    status: Literal["scheduled", "sent", "delivered", "read", "failed", "cancelled"]
    sent_at: datetime
    read_at: datetime | None
    scheduled_for: datetime | None
    cancel_if_fan_replies: bool


class ConversationData(BaseModel):
    """The fields of a conversation's list row that a message changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    fan_id: int
    fan_name: str
    unread_count: int = Field(ge=0)
    last_message_at: datetime | None
    last_message_preview: str
    last_inbound_at: datetime | None
    last_outbound_at: datetime | None


class MessageCreated(EventPayload):
    event_name: ClassVar[str] = "message.created"

    message: MessageData
    conversation: ConversationData


class MessageUpdated(EventPayload):
    event_name: ClassVar[str] = "message.updated"

    message: MessageData


class SuggestionData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int
    text: str
    source: Literal["model", "knowledge_base"]
    model: str
    status: Literal["pending", "accepted", "edited", "rejected"]


class SuggestionCreated(EventPayload):
    event_name: ClassVar[str] = "suggestion.created"

    conversation_id: int
    message_id: int
    suggestions: list[SuggestionData]


class ConversationAssigned(EventPayload):
    event_name: ClassVar[str] = "conversation.assigned"

    conversation_id: int
    assigned_to_id: int | None
    assigned_to_name: str
    assigned_by_id: int | None


class Typing(EventPayload):
    event_name: ClassVar[str] = "typing"

    conversation_id: int
    user_id: int
    user_name: str
    is_typing: bool = True


class FanUpdated(EventPayload):
    """`fields` changed; `by` "ai" is the memory extraction (`added_facts`: what it added),
    "team" a member (`user_id`)."""

    event_name: ClassVar[str] = "fan.updated"

    fan_id: int
    fields: list[Literal["tags", "ai_memory"]] = Field(min_length=1)
    tags: list[str]
    ai_memory: list[str]
    by: Literal["team", "ai"]
    user_id: int | None
    added_facts: list[str] = Field(default_factory=list)


class NoteChanged(EventPayload):
    event_name: ClassVar[str] = "note.changed"

    fan_id: int
    note_id: int
    action: Literal["added", "updated", "pinned", "unpinned", "deleted"]
    user_id: int | None


EVENTS: dict[str, type[EventPayload]] = {
    model.event_name: model
    for model in (
        MessageCreated,
        MessageUpdated,
        SuggestionCreated,
        ConversationAssigned,
        Typing,
        FanUpdated,
        NoteChanged,
    )
}


def payload_of(event: EventPayload) -> dict[str, Any]:
    return event.model_dump(mode="json")


def publish_on_commit(*, creator_id: int, event: EventPayload) -> None:
    """Send `event` to the creator's connected members once the transaction commits."""
    broadcast_on_commit(
        creator_id=creator_id, event_type=event.event_name, payload=payload_of(event)
    )


def publish_now(*, creator_id: int, event: EventPayload) -> None:
    """Send `event` now (for what is not stored, such as typing)."""
    broadcast_now(creator_id=creator_id, event_type=event.event_name, payload=payload_of(event))
