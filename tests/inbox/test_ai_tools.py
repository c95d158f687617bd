"""The composer's AI tools: rewrite, shorter, tone and translate through the router, metered;
offline (the `local` provider) shorter and tone by rules, rewrite and translate refused with a
clear message; bad input named by field; another creator's conversation is 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huntaze.ai.client import Completion
from huntaze.ai.text_tools import text_in_tone, text_shorter
from huntaze.billing.models import UsageLog
from tests.factories import ConversationFactory, FanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(creator_a):
    return ConversationFactory(creator=creator_a, fan=FanFactory(creator=creator_a))


def _change(client, conversation, **body):
    return client.post(
        f"/api/v1/conversations/{conversation.id}/composer/change",
        data=body,
        content_type="application/json",
    )


def test_shorter_offline_uses_the_rules_and_is_metered(client_a, creator_a, conversation):
    text = "Hey babe!!! I really just wanted to say thank you so much 😘😘😘 lol"

    response = _change(client_a, conversation, action="shorter", text=text)

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "text": "Hey babe! I wanted to say thank you 😘",
        "model": "local/retrieval-v1",
        "method": "rules",
    }
    [log] = UsageLog.all_creators.filter(creator=creator_a)
    assert (log.feature, log.model) == ("composer_shorter", "local/retrieval-v1")


@pytest.mark.parametrize(
    ("tone", "expected"),
    [
        ("neutral", "Are you gonna come? I can't wait."),
        ("playful", "Are you gonna come? I can't wait! 😜"),
        ("sweet", "Are you gonna come? I can't wait! 🥰"),
    ],
)
def test_tone_offline_uses_the_rules(client_a, conversation, tone, expected):
    response = _change(
        client_a, conversation, action="tone", tone=tone, text="r u gonna come?? i can't wait!! 😍"
    )
    assert response.status_code == 200
    assert response.json()["text"] == expected.replace("Are you gonna", "Are you going to")


@pytest.mark.parametrize("action", ["translate", "rewrite"])
def test_translate_and_rewrite_offline_say_a_provider_is_needed(client_a, conversation, action):
    response = _change(client_a, conversation, action=action, language="fr", text="See you soon")

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "upstream_unavailable"
    assert "needs an AI provider" in body["message"]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"action": "shorter", "text": "   "}, "text", "Write a message first"),
        ({"action": "shorter", "text": "x" * 2001}, "text", "at most 2000 characters"),
        ({"action": "tone", "text": "hi"}, "tone", "tone is one of"),
        ({"action": "translate", "text": "hi"}, "language", "language is one of"),
    ],
)
def test_bad_input_names_the_field_and_calls_nothing(client_a, conversation, body, field, words):
    response = _change(client_a, conversation, **body)

    assert response.status_code == 422
    assert words in " ".join(response.json()["field_errors"][field])
    assert not UsageLog.all_creators.exists()


def test_another_creators_conversation_is_404_and_calls_nothing(
    signed_in, owner_b, creator_b, conversation
):
    response = _change(
        signed_in(owner_b, creator_b), conversation, action="shorter", text="hello there"
    )
    assert response.status_code == 404
    assert not UsageLog.all_creators.exists()


def test_a_role_that_cannot_message_is_refused(member_of, signed_in, creator_a, conversation):
    analyst = member_of(creator_a, "analyst")
    response = _change(
        signed_in(analyst, creator_a), conversation, action="shorter", text="hello there"
    )
    assert response.status_code == 403
    assert not UsageLog.all_creators.exists()


def test_with_a_provider_the_models_text_is_used(client_a, conversation, monkeypatch):
    asked = {}

    def complete(**kwargs):
        asked.update(kwargs)
        return Completion(
            texts=('"À bientôt, mon cœur 😘"',),
            model="gpt-4o-mini",
            provider="openai",
            deployment="openai-mini",
            tokens_input=30,
            tokens_output=9,
            cost_usd=Decimal("0.0001"),
            latency_ms=300,
            request_id="r-1",
        )

    monkeypatch.setattr("huntaze.ai.text_tools.chat_complete", complete)

    response = _change(
        client_a, conversation, action="translate", language="fr", text="See you soon babe 😘"
    )

    assert response.json() == {
        "text": "À bientôt, mon cœur 😘",
        "model": "gpt-4o-mini",
        "method": "model",
    }
    assert asked["feature"] == "composer_translate"
    assert "into French" in asked["messages"][0]["content"]
    assert asked["messages"][1] == {"role": "user", "content": "See you soon babe 😘"}


def test_rules_keep_a_short_text_and_cut_long_ones_at_a_sentence():
    assert text_shorter("See you tonight") == "See you tonight"
    long = "First sentence here. " * 12
    assert text_shorter(long) == ("First sentence here. " * 7).strip()
    assert text_in_tone("ok", "neutral") == "Ok."


def test_the_page_shows_the_tools_to_who_can_message(
    client_a, member_of, signed_in, creator_a, conversation
):
    page = client_a.get(f"/onlyfans/messages/{conversation.id}").content.decode()
    analyst = member_of(creator_a, "analyst")
    read_only = signed_in(analyst, creator_a).get(f"/onlyfans/messages/{conversation.id}")

    assert 'id="ai-tools"' in page
    assert 'data-action="translate"' in page
    assert "js/inbox_ai.js" in page
    assert 'id="ai-tools"' not in read_only.content.decode()
