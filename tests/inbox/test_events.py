"""The live events' payloads: one schema test per event (required fields, types, no extra
fields), and the payloads the services really send validate against them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from huntaze.inbox.events import (
    EVENTS,
    ConversationAssigned,
    FanUpdated,
    MessageCreated,
    MessageUpdated,
    NoteChanged,
    SuggestionCreated,
    Typing,
)

MESSAGE = {
    "id": 10,
    "conversation_id": 3,
    "fan_id": 4,
    "direction": "in",
    "sender_id": None,
    "text": "hi",
    "media_ids": [],
    "price_cents": 0,
    "status": "sent",
    "sent_at": "2025-05-01T10:00:00Z",
    "read_at": None,
    "scheduled_for": None,
    "cancel_if_fan_replies": False,
}
CONVERSATION = {
    "id": 3,
    "fan_id": 4,
    "fan_name": "Tom",
    "unread_count": 1,
    "last_message_at": "2025-05-01T10:00:00Z",
    "last_message_preview": "hi",
    "last_inbound_at": "2025-05-01T10:00:00Z",
    "last_outbound_at": None,
}
SAMPLES = {
    "message.created": {"message": MESSAGE, "conversation": CONVERSATION},
    "message.updated": {"message": {**MESSAGE, "status": "read"}},
    "suggestion.created": {
        "conversation_id": 3,
        "message_id": 10,
        "suggestions": [
            {"id": 1, "text": "Hey!", "source": "model", "model": "m", "status": "pending"}
        ],
    },
    "conversation.assigned": {
        "conversation_id": 3,
        "assigned_to_id": 8,
        "assigned_to_name": "Chloe",
        "assigned_by_id": 2,
    },
    "typing": {"conversation_id": 3, "user_id": 8, "user_name": "Chloe", "is_typing": True},
    "fan.updated": {
        "fan_id": 4,
        "fields": ["ai_memory"],
        "tags": ["vip"],
        "ai_memory": ["Lives in Lyon"],
        "by": "ai",
        "user_id": None,
        "added_facts": ["Lives in Lyon"],
    },
    "note.changed": {"fan_id": 4, "note_id": 7, "action": "pinned", "user_id": 2},
}


def test_every_event_is_listed():
    assert set(EVENTS) == set(SAMPLES)


def _required(model) -> list[str]:
    return sorted(model.model_json_schema()["required"])


def test_message_created_schema():
    schema = MessageCreated.model_json_schema()
    assert _required(MessageCreated) == ["conversation", "message"]
    message = schema["$defs"]["MessageData"]
    assert sorted(message["required"]) == sorted(MESSAGE)
    assert message["properties"]["direction"]["enum"] == ["in", "out"]
    assert message["additionalProperties"] is False
    assert sorted(schema["$defs"]["ConversationData"]["required"]) == sorted(CONVERSATION)


def test_message_updated_schema():
    assert _required(MessageUpdated) == ["message"]
    statuses = MessageUpdated.model_json_schema()["$defs"]["MessageData"]["properties"]["status"]
    assert statuses["enum"] == ["scheduled", "sent", "delivered", "read", "failed", "cancelled"]


def test_suggestion_created_schema():
    schema = SuggestionCreated.model_json_schema()
    assert _required(SuggestionCreated) == ["conversation_id", "message_id", "suggestions"]
    suggestion = schema["$defs"]["SuggestionData"]
    assert sorted(suggestion["required"]) == ["id", "model", "source", "status", "text"]
    assert suggestion["properties"]["source"]["enum"] == ["model", "knowledge_base"]


def test_conversation_assigned_schema():
    assert _required(ConversationAssigned) == [
        "assigned_by_id",
        "assigned_to_id",
        "assigned_to_name",
        "conversation_id",
    ]


def test_typing_schema():
    assert _required(Typing) == ["conversation_id", "user_id", "user_name"]
    assert Typing.model_json_schema()["properties"]["is_typing"]["default"] is True


def test_fan_updated_schema():
    schema = FanUpdated.model_json_schema()
    assert _required(FanUpdated) == ["ai_memory", "by", "fan_id", "fields", "tags", "user_id"]
    assert schema["properties"]["by"]["enum"] == ["team", "ai"]
    assert schema["properties"]["fields"]["items"]["enum"] == ["tags", "ai_memory"]
    assert schema["properties"]["fields"]["minItems"] == 1
    assert schema["additionalProperties"] is False


def test_note_changed_schema():
    schema = NoteChanged.model_json_schema()
    assert _required(NoteChanged) == ["action", "fan_id", "note_id", "user_id"]
    assert schema["properties"]["action"]["enum"] == [
        "added",
        "updated",
        "pinned",
        "unpinned",
        "deleted",
    ]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_round_trip_and_extra_fields_are_refused(name):
    model = EVENTS[name]
    event = model.model_validate(SAMPLES[name])
    assert model.model_validate(event.model_dump(mode="json")) == event
    with pytest.raises(ValidationError):
        model.model_validate({**SAMPLES[name], "unexpected": 1})


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("message.created", "message", {**MESSAGE, "direction": "sideways"}),
        ("message.updated", "message", {**MESSAGE, "price_cents": -1}),
        ("suggestion.created", "message_id", "ten"),
        ("conversation.assigned", "conversation_id", None),
        ("typing", "user_id", "x"),
        ("fan.updated", "fields", []),
        ("fan.updated", "by", "robot"),
        ("note.changed", "action", "archived"),
    ],
)
def test_wrong_values_are_refused(name, field, value):
    with pytest.raises(ValidationError):
        EVENTS[name].model_validate({**SAMPLES[name], field: value})


@pytest.mark.django_db
def test_the_services_send_valid_payloads(
    client_a, creator_a, events, django_capture_on_commit_callbacks
):
    from tests.inbox.conftest import message_item

    with django_capture_on_commit_callbacks(execute=True):
        body = client_a.post(
            "/api/v1/ingest/messages",
            data={"items": [message_item(1, text="hello there")]},
            content_type="application/json",
        ).json()
    conversation_id = body["items"][0]["conversation_id"]
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            data={"text": "hey!"},
            content_type="application/json",
        )
    names = [name for _creator, name, _payload in events]
    assert names == ["message.created", "suggestion.created", "message.created"]
    for _creator, name, payload in events:
        EVENTS[name].model_validate(payload)
