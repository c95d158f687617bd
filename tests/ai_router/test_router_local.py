"""The built-in local engine: retrieval-based suggestions and template writers, offline."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ai_router.local_engine.replies import detect_intent, suggest_replies
from ai_router.local_engine.retrieval import RetrievalIndex
from ai_router.providers.base import ProviderCall
from ai_router.providers.local import LocalAdapter, generate_texts
from ai_router.schemas import Example, KnowledgeItem, RequestContext, parse_chat_request

EXAMPLES = (
    Example(input="how much is the beach video?", output="It's $15 for you {fan_name}, want it?"),
    Example(input="good morning!", output="Morning sunshine! Sleep well?"),
    Example(input="do you do customs", output="I do! Tell me your idea {fan_name}."),
)


def call(
    text: str, *, task: str, context: RequestContext | None = None, **params: Any
) -> ProviderCall:
    return ProviderCall(
        model="local/retrieval-v1",
        messages=[{"role": "user", "content": text}],
        params={"n": 1, **params},
        timeout_s=5.0,
        task=task,
        language="en",
        context=context or RequestContext(),
    )


def test_retrieval_ranks_the_closest_example_first() -> None:
    # Given
    index = RetrievalIndex.build([example.input for example in EXAMPLES])
    # When
    ranked = index.rank("what's the price of the beach video", limit=3)
    # Then
    assert [position for position, _ in ranked] == [0]


def test_suggestions_start_with_the_creators_own_closest_answer() -> None:
    # Given
    context = RequestContext(examples=EXAMPLES, fan={"name": "Alex"})
    # When
    suggestions = suggest_replies(
        fan_message="hey how much for the beach video?", context=context, language="en", count=3
    )
    # Then
    assert suggestions == [
        "It's $15 for you Alex, want it?",
        "I have something special for you Alex. Want me to send it over with the price?",
        "For you Alex, I can put together a little bundle. Shall I send it?",
    ]


def test_suggestions_follow_the_fans_language() -> None:
    # When
    suggestions = suggest_replies(
        fan_message="coucou, tu as passé une bonne journée ?",
        context=RequestContext(fan={"name": "Lou"}),
        language="fr",
        count=2,
    )
    # Then
    assert suggestions == [
        "Hey Lou ! Contente de te revoir, nos discussions me manquaient.",
        "Coucou Lou ! Trop contente de te voir, ta journée se passe bien ?",
    ]


def test_a_knowledge_item_answers_the_fans_question() -> None:
    # Given
    context = RequestContext(
        knowledge=(
            KnowledgeItem(title="Live schedule", text="I go live every Friday at 9pm. Join me!"),
            KnowledgeItem(title="Shipping", text="Merch ships within 5 days."),
        )
    )
    # When
    suggestions = suggest_replies(
        fan_message="when do you go live?", context=context, language="en", count=1
    )
    # Then
    assert suggestions == ["Good question! I go live every Friday at 9pm."]


def test_requests_to_meet_get_a_polite_boundary() -> None:
    # When / Then
    assert detect_intent("can I get your whatsapp number?") == "meet"
    suggestions = suggest_replies(
        fan_message="can I get your whatsapp number?",
        context=RequestContext(),
        language="en",
        count=4,
    )
    assert len(suggestions) == 4
    assert all(
        any(word in suggestion.lower() for word in ("platform", "private", "here"))
        for suggestion in suggestions
    )


@settings(max_examples=60, deadline=None)
@given(message=st.text(max_size=200), count=st.integers(min_value=1, max_value=10))
def test_any_message_gets_exactly_n_distinct_suggestions(message: str, count: int) -> None:
    # When
    suggestions = suggest_replies(
        fan_message=message, context=RequestContext(examples=EXAMPLES), language="en", count=count
    )
    # Then
    assert len(suggestions) == count
    assert len(set(suggestions)) == count
    assert all(suggestion.strip() for suggestion in suggestions)


def test_captions_follow_the_platform() -> None:
    # When
    tiktok = generate_texts(
        call("Write a TikTok caption about my beach photoshoot", task="caption", n=2)
    )
    reddit = generate_texts(call("A Reddit title about my new cosplay", task="caption"))
    # Then
    assert tiktok == [
        "New drop: my beach photoshoot ✨\nLink in bio for the full version.\n"
        "#beach #photoshoot #fyp #foryou",
        "POV: my beach photoshoot ✨\nTell me what you think in the comments!\n"
        "#beach #photoshoot #fyp #foryou",
    ]
    assert reddit == ["New drop: my new cosplay"]


def test_campaigns_use_the_offer() -> None:
    # Given
    context = RequestContext(
        offer={"title": "My summer set", "discount_percent": 30, "ends_at": "Sunday"}
    )
    # When
    [campaign] = generate_texts(call("Write a promo", task="campaign", context=context))
    # Then
    assert campaign == (
        "Subject: 30% off: Something special just for you\n\n"
        "Hey babe! My summer set is 30% off. Ends Sunday. Reply to this message and I'll send it right over."
    )


def test_flows_are_json_drafts_with_trigger_and_wait() -> None:
    # When
    [text] = generate_texts(
        call("When a fan subscribes, wait 2 days then send an offer", task="flow")
    )
    # Then
    flow = json.loads(text)
    assert flow["trigger"] == {"event": "fan.subscribed"}
    assert flow["steps"][1] == {"type": "wait", "hours": 48}
    assert flow["is_active"] is False


def test_insight_summaries_compare_periods() -> None:
    # Given
    context = RequestContext(
        metrics={
            "revenue_usd": {"current": 1200, "previous": 1000},
            "new_fans": {"current": 30, "previous": 40},
        }
    )
    # When
    [summary] = generate_texts(call("Summarize my week", task="insight_summary", context=context))
    # Then
    assert summary.splitlines() == [
        "Summary of the figures:",
        "- revenue usd: 1,200.00 (+20.0% vs 1,000.00)",
        "- new fans: 30.00 (-25.0% vs 40.00)",
        "Biggest rise: revenue usd (+20.0%).",
        "Biggest fall: new fans (-25.0%).",
    ]


def test_other_tasks_get_an_honest_answer_naming_the_configuration() -> None:
    # When
    [answer] = generate_texts(call("Why is the sky blue?", task="reasoning"))
    # Then
    assert answer.startswith("No AI provider is configured for 'reasoning' requests")
    assert "GEMINI_API_KEY" in answer


async def test_streaming_gives_the_same_text_as_a_completion() -> None:
    # Given
    adapter = LocalAdapter()
    provider_call = call("Write an Instagram caption about coffee", task="caption", n=2)
    # When
    result = await adapter.complete(provider_call)
    texts = ["", ""]
    async for event in adapter.stream(provider_call):
        for choice in event.choices:
            texts[choice["index"]] += choice["delta"].get("content", "")
    # Then
    assert texts == [choice["message"]["content"] for choice in result.choices]
    assert result.model == "local/retrieval-v1"


async def test_max_tokens_truncates_with_finish_reason_length() -> None:
    # When
    result = await LocalAdapter().complete(call("Hello", task="general", max_tokens=5))
    # Then
    assert result.choices[0]["finish_reason"] == "length"
    assert len(result.choices[0]["message"]["content"]) == 20


def test_the_context_extension_is_parsed_from_the_body() -> None:
    # When
    parsed = parse_chat_request(
        {
            "model": "auto",
            "messages": [{"role": "user", "content": "hi"}],
            "context": {
                "examples": [{"input": "hi", "output": "hey!"}],
                "knowledge": ["We ship in 5 days", {"title": "Lives", "text": "Fridays 9pm"}],
                "fan": {"name": "Sam"},
                "persona": "warm",
                "n": 3,
            },
        }
    )
    # Then
    assert parsed.choice_count == 3
    assert parsed.context == RequestContext(
        examples=(Example(input="hi", output="hey!"),),
        knowledge=(
            KnowledgeItem(title="", text="We ship in 5 days"),
            KnowledgeItem(title="Lives", text="Fridays 9pm"),
        ),
        fan={"name": "Sam"},
        persona={"description": "warm"},
        suggestion_count=3,
    )
