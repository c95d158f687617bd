"""Reply suggestions: asked from the in-process AI router when a fan message arrives, stored
and pushed once, metered; what the team does with them feeds the knowledge base."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huntaze.ai.models import KnowledgeBaseItem
from huntaze.billing.models import MonthlyCharge, UsageLog
from huntaze.inbox.models import Message, Suggestion
from huntaze.inbox.services import (
    FanIdentity,
    IncomingMessage,
    messages_ingest,
    suggestions_generate_for_message,
)
from huntaze.inbox.tasks import suggestions_generate

pytestmark = pytest.mark.django_db


def _fan_says(actor, text, *, number=1, sent_at=None, suggest=True):
    [result] = messages_ingest(
        actor=actor,
        items=[
            IncomingMessage(
                platform_message_id=f"fan-msg-{number}",
                fan=FanIdentity(platform_fan_id="of-77", username="tommy", display_name="Tom"),
                direction="in",
                text=text,
                sent_at=sent_at or timezone.now(),
            )
        ],
        suggest=suggest,
    )
    assert result.status == "created"
    return Message.all_creators.get(id=result.id)


def test_a_fan_message_gets_three_suggestions_from_the_router_metered(
    actor_a, creator_a, events, django_capture_on_commit_callbacks
):
    # Given a reply example of the creator in the knowledge base
    KnowledgeBaseItem.all_creators.create(
        creator=creator_a,
        kind="reply_example",
        source="manual",
        input_text="how much is the video",
        output_text="Only $15 for you {fan_name}!",
    )
    # When the fan's message is ingested (the task runs in-process on commit)
    with django_capture_on_commit_callbacks(execute=True):
        message = _fan_says(actor_a, "hey how much for the video?")
    # Then 3 suggestions are stored, the example's one first, marked as from the knowledge base
    suggestions = list(Suggestion.all_creators.filter(message=message).order_by("id"))
    assert len(suggestions) == 3
    assert suggestions[0].text == "Only $15 for you Tom!"
    assert [s.source for s in suggestions] == ["knowledge_base", "model", "model"]
    assert {s.model for s in suggestions} == {"local/retrieval-v1"}
    assert {s.status for s in suggestions} == {"pending"}
    # And the call is metered once
    [log] = UsageLog.all_creators.filter(creator=creator_a)
    assert (log.feature, log.model, log.agent_id) == (
        "reply_suggestion",
        "local/retrieval-v1",
        "local",
    )
    assert log.tokens_input > 0
    assert log.tokens_output > 0
    assert log.cost_usd == Decimal(0)
    [charge] = MonthlyCharge.all_creators.filter(creator=creator_a)
    assert (charge.total_tokens_input, charge.total_tokens_output) == (
        log.tokens_input,
        log.tokens_output,
    )
    # And the team got the message, then the suggestions
    assert [e[1] for e in events] == ["message.created", "suggestion.created"]
    payload = events[1][2]
    assert payload["message_id"] == message.id
    assert payload["conversation_id"] == message.conversation_id
    assert [s["id"] for s in payload["suggestions"]] == [s.id for s in suggestions]


def test_the_task_is_idempotent(actor_a, creator_a):
    message = _fan_says(actor_a, "hello!", suggest=False)
    assert suggestions_generate.delay(creator_id=creator_a.id, message_id=message.id).get() == 3
    assert suggestions_generate.delay(creator_id=creator_a.id, message_id=message.id).get() == 3
    assert Suggestion.all_creators.filter(message=message).count() == 3
    assert UsageLog.all_creators.filter(creator=creator_a).count() == 1


def test_no_suggestions_for_a_message_already_answered_or_too_old(actor_a, creator_a, client_a):
    message = _fan_says(actor_a, "hello!", suggest=False)
    client_a.post(
        f"/api/v1/conversations/{message.conversation_id}/messages",
        data={"text": "hi!"},
        content_type="application/json",
    )
    assert suggestions_generate_for_message(creator_id=creator_a.id, message_id=message.id) == []
    assert not UsageLog.all_creators.exists()


def test_old_imported_history_does_not_call_the_ai(
    actor_a, creator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _fan_says(actor_a, "old hello", sent_at=timezone.now() - timedelta(days=5))
    assert not Suggestion.all_creators.exists()
    assert not UsageLog.all_creators.exists()


def test_an_unreachable_router_stores_nothing(actor_a, creator_a, settings):
    # Given a router URL nobody listens on, and no retries
    settings.AI_ROUTER_URL = "http://127.0.0.1:9"
    settings.AI_ROUTER_MAX_RETRIES = 0
    message = _fan_says(actor_a, "hello?", suggest=False)
    # When
    stored = suggestions_generate.delay(creator_id=creator_a.id, message_id=message.id).get()
    # Then
    assert stored == 0
    assert not Suggestion.all_creators.exists()
    assert not UsageLog.all_creators.exists()


@pytest.fixture
def suggested(actor_a, creator_a):
    message = _fan_says(actor_a, "you are so beautiful", suggest=False)
    suggestions_generate_for_message(creator_id=creator_a.id, message_id=message.id)
    return message, list(Suggestion.all_creators.filter(message=message).order_by("id"))


def _post(client, url, body=None):
    return client.post(url, data=body or {}, content_type="application/json")


def test_accepting_feeds_the_knowledge_base(client_a, creator_a, suggested):
    message, [first, *_] = suggested
    response = _post(client_a, f"/api/v1/suggestions/{first.id}/accept")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["final_text"]) == ("accepted", first.text)
    [item] = KnowledgeBaseItem.all_creators.filter(creator=creator_a)
    assert (item.kind, item.source) == ("reply_example", "accepted_suggestion")
    assert item.input_text == "you are so beautiful"
    assert item.output_text == first.text.replace("Tom", "{fan_name}")
    # Accepting again changes nothing; rejecting it now is a conflict
    assert _post(client_a, f"/api/v1/suggestions/{first.id}/accept").status_code == 200
    assert _post(client_a, f"/api/v1/suggestions/{first.id}/reject").status_code == 409
    assert KnowledgeBaseItem.all_creators.count() == 1


def test_editing_stores_the_final_text_and_rejecting_stores_no_example(
    client_a, creator_a, suggested
):
    _message, [first, second, _third] = suggested
    edited = _post(
        client_a, f"/api/v1/suggestions/{first.id}/edit", {"final_text": "Thank you Tom, xx"}
    )
    assert edited.json()["status"] == "edited"
    rejected = _post(client_a, f"/api/v1/suggestions/{second.id}/reject")
    assert rejected.json()["status"] == "rejected"
    [item] = KnowledgeBaseItem.all_creators.filter(creator=creator_a)
    assert (item.source, item.output_text) == ("edited", "Thank you {fan_name}, xx")


def test_sending_from_a_suggestion_records_it(client_a, creator_a, suggested):
    message, [first, second, _third] = suggested
    url = f"/api/v1/conversations/{message.conversation_id}/messages"
    response = _post(client_a, url, {"text": first.text + " 😘", "suggestion_id": first.id})
    assert response.status_code == 201
    first.refresh_from_db()
    assert (first.status, first.final_text) == ("edited", first.text + " 😘")
    # A used suggestion cannot be used again
    again = _post(client_a, url, {"text": "x", "suggestion_id": first.id})
    assert again.status_code == 422
    assert Message.all_creators.filter(direction="out").count() == 1


def test_suggestions_of_another_creator_are_not_found(client_a, actor_b, creator_b):
    message = _fan_says(actor_b, "hello", suggest=False)
    [suggestion, *_] = suggestions_generate_for_message(
        creator_id=creator_b.id, message_id=message.id
    )
    assert _post(client_a, f"/api/v1/suggestions/{suggestion.id}/accept").status_code == 404
    assert Suggestion.all_creators.get(id=suggestion.id).status == "pending"
    assert not KnowledgeBaseItem.all_creators.exists()


def test_an_analyst_cannot_review(creator_a, suggested, member_of, signed_in):
    _message, [first, *_] = suggested
    client = signed_in(member_of(creator_a, "analyst"), creator_a)
    assert _post(client, f"/api/v1/suggestions/{first.id}/reject").status_code == 403


def test_pending_suggestions_of_a_conversation(client_a, suggested):
    message, suggestions = suggested
    response = client_a.get(f"/api/v1/conversations/{message.conversation_id}/suggestions")
    body = response.json()
    assert body["message_id"] == message.id
    assert [s["id"] for s in body["items"]] == [s.id for s in suggestions]


def test_suggestions_on_demand(client_a, actor_a, creator_a, django_capture_on_commit_callbacks):
    message = _fan_says(actor_a, "hello there", suggest=False)
    url = f"/api/v1/conversations/{message.conversation_id}/suggestions"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(url)
    assert response.status_code == 202
    assert response.json() == {"message_id": message.id}
    assert Suggestion.all_creators.filter(message=message).count() == 3
    # Asked again: nothing more is asked or stored
    with django_capture_on_commit_callbacks(execute=True):
        assert client_a.post(url).status_code == 202
    assert UsageLog.all_creators.filter(creator=creator_a).count() == 1
    # Once answered, there is nothing to suggest
    client_a.post(
        f"/api/v1/conversations/{message.conversation_id}/messages",
        data={"text": "hi"},
        content_type="application/json",
    )
    assert client_a.post(url).status_code == 409


def test_suggestions_on_demand_for_another_creator_is_404(client_a, actor_b):
    message = _fan_says(actor_b, "hello", suggest=False)
    url = f"/api/v1/conversations/{message.conversation_id}/suggestions"
    assert client_a.post(url).status_code == 404
    assert not Suggestion.all_creators.exists()
