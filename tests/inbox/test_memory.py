"""The fan's AI memory filled from the conversation: facts extracted after fan messages (by
rules when only the offline `local` provider answers), merged without duplicates and without
touching what people wrote, metered, and pushed as `fan.updated`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from huntaze.ai.fact_rules import facts_from_text
from huntaze.ai.memory import ExtractedFact, FactSource, facts_parse, memory_facts_merge
from huntaze.ai.memory import SourceMessage as Source
from huntaze.ai.models import MemoryCursor, MemoryFact
from huntaze.billing.models import UsageLog
from huntaze.core.errors import UpstreamUnavailable
from huntaze.fans.models import Fan
from huntaze.fans.services import fan_memory_set
from huntaze.inbox.events import EVENTS
from huntaze.inbox.models import Message
from huntaze.inbox.services import FanIdentity, IncomingMessage, messages_ingest
from huntaze.inbox.services_memory import fan_memory_extract
from huntaze.inbox.tasks import memory_extract

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def _fan_says(actor, text, *, number=1, fan="of-5"):
    [result] = messages_ingest(
        actor=actor,
        items=[
            IncomingMessage(
                platform_message_id=f"memory-{number}",
                fan=FanIdentity(platform_fan_id=fan, username="max", display_name="Max"),
                direction="in",
                text=text,
                sent_at=timezone.now() - timedelta(seconds=60 - number),
            )
        ],
        suggest=False,
    )
    return Message.all_creators.get(id=result.id)


# Rules --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My birthday is on May 4th!", ["Birthday: May 4"]),
        ("it's my birthday today 🎉", ["Birthday: November 24"]),
        ("I live in new york and I work as a nurse", ["Lives in New York", "Works as a nurse"]),
        ("im 32 years old lol, I just moved to Lyon", ["Age: 32 (in 2026)", "Lives in Lyon"]),
        ("I'm a firefighter, my cat's name is Luna", ["Works as a firefighter", "Has a cat named Luna"]),
        ("my dog Max is cute and I love sushi", ["Has a dog named Max", "Likes sushi"]),
        ("I hate mondays", ["Dislikes mondays"]),
        ("my favorite color is red", ["Favorite color: red"]),
        ("j'habite à Paris", ["Lives in Paris"]),
        ("I love you baby", []),
        ("I love the way you talk", []),
        ("I live in the UK, I like dogs that bark", ["Lives in the UK", "Likes dogs"]),
        ("I like your pics", []),
        ("hi! how much is your ppv?", []),
    ],
)  # fmt: skip
def test_rules_read_first_person_statements(text, expected):
    assert [fact.text for fact in facts_from_text(text, said_at=NOW)] == expected


# Merging --------------------------------------------------------------------------------------


def _fact(text, kind="other", message_id=1):
    return ExtractedFact(kind=kind, text=text, message_id=message_id, quote="q", said_at=NOW)


def _source(kind):
    return FactSource(kind=kind, quote="q", said_at=NOW, message_id=1, model="m")


def test_merge_skips_duplicates_and_facts_the_team_deleted():
    merge = memory_facts_merge(
        current=["Likes sushi", "Loyal since 2020"],
        facts=[_fact("likes SUSHI!"), _fact("Has a dog"), _fact("Works as a nurse")],
        sources={"works as a nurse": _source("job")},  # extracted before, deleted since
        max_facts=30,
    )
    assert merge.facts == ["Likes sushi", "Loyal since 2020", "Has a dog"]
    assert [fact.text for fact in merge.added] == ["Has a dog"]


def test_merge_replaces_an_unedited_ai_fact_but_never_a_human_one():
    sources = {"lives in paris": _source("location")}
    unedited = memory_facts_merge(
        current=["Lives in Paris", "VIP"],
        facts=[_fact("Lives in Lyon", "location")],
        sources=sources,
        max_facts=30,
    )
    edited = memory_facts_merge(
        current=["Lives in Paris 15e", "VIP"],
        facts=[_fact("Lives in Lyon", "location")],
        sources=sources,
        max_facts=30,
    )
    assert unedited.facts == ["Lives in Lyon", "VIP"]
    assert edited.facts == ["Lives in Paris 15e", "VIP", "Lives in Lyon"]


def test_merge_stops_at_the_limit():
    merge = memory_facts_merge(
        current=["a", "b"], facts=[_fact("c"), _fact("d")], sources={}, max_facts=3
    )
    assert merge.facts == ["a", "b", "c"]


def test_a_models_answer_is_parsed_and_unknown_messages_are_dropped():
    messages = [Source(id=7, text="I live in Lyon", sent_at=NOW)]
    answer = (
        'Sure: {"facts": [{"kind": "location", "text": "Lives in  Lyon", "message_id": 7},'
        ' {"kind": "weird", "text": "Has a cat", "message_id": 99},'
        ' {"kind": "weird", "text": "Plays chess", "message_id": 7}]}'
    )
    facts = facts_parse(answer, messages)
    assert [(f.kind, f.text, f.message_id, f.quote) for f in facts] == [
        ("location", "Lives in Lyon", 7, "I live in Lyon"),
        ("other", "Plays chess", 7, "I live in Lyon"),
    ]
    assert facts_parse("no json here", messages) == []


# The whole run (in-process router, local provider) -----------------------------------------------


def test_fan_messages_fill_the_memory_with_sources_metered_and_pushed(
    actor_a, creator_a, events, django_capture_on_commit_callbacks
):
    # Given a fan who already has a fact written by the team
    first = _fan_says(actor_a, "hey there", number=1)
    fan = Fan.all_creators.get(id=first.fan_id)
    fan_memory_set(actor=actor_a, fan_id=fan.id, facts=["Prefers voice notes"])
    second = _fan_says(actor_a, "My birthday is May 4 and I live in lyon", number=2)
    third = _fan_says(actor_a, "my dog Rex says hi. I live in Lyon btw", number=3)
    events.clear()
    # When the extraction runs for the latest fan message
    with django_capture_on_commit_callbacks(execute=True):
        added = memory_extract.delay(creator_id=creator_a.id, message_id=third.id).get()
    # Then the new facts are appended once, after the team's
    fan.refresh_from_db()
    assert added == 3
    assert fan.ai_memory == [
        "Prefers voice notes",
        "Birthday: May 4",
        "Lives in Lyon",
        "Has a dog named Rex",
    ]
    rows = MemoryFact.all_creators.filter(fan_id=fan.id).order_by("id")
    assert [(r.text, r.message_id, r.quote) for r in rows] == [
        ("Birthday: May 4", second.id, "My birthday is May 4 and I live in lyon"),
        ("Lives in Lyon", second.id, "My birthday is May 4 and I live in lyon"),
        ("Has a dog named Rex", third.id, "my dog Rex says hi. I live in Lyon btw"),
    ]
    assert all(row.model.startswith("local/") for row in rows)
    # metered under its feature
    usage = UsageLog.all_creators.filter(creator=creator_a, feature="fan_memory")
    assert usage.count() == 1
    # pushed to the creator's group, with a valid payload
    assert [(c, name) for c, name, _ in events] == [(creator_a.id, "fan.updated")]
    payload = events[0][2]
    EVENTS["fan.updated"].model_validate(payload)
    assert payload["by"] == "ai"
    assert payload["added_facts"] == ["Birthday: May 4", "Lives in Lyon", "Has a dog named Rex"]
    assert MemoryCursor.all_creators.get(conversation_id=third.conversation_id).last_message_id == (
        third.id
    )


def test_a_rerun_and_an_older_message_read_nothing_again(actor_a, creator_a, events):
    older = _fan_says(actor_a, "I live in Lyon", number=1)
    latest = _fan_says(actor_a, "I love sushi", number=2)
    assert fan_memory_extract(creator_id=creator_a.id, message_id=older.id) == []
    assert fan_memory_extract(creator_id=creator_a.id, message_id=latest.id) == [
        "Lives in Lyon",
        "Likes sushi",
    ]
    calls = UsageLog.all_creators.filter(creator=creator_a).count()
    # When it runs again for the same message
    assert fan_memory_extract(creator_id=creator_a.id, message_id=latest.id) == []
    # Then the router is not asked again and nothing changes
    assert UsageLog.all_creators.filter(creator=creator_a).count() == calls
    assert Fan.all_creators.get(id=latest.fan_id).ai_memory == ["Lives in Lyon", "Likes sushi"]


def test_a_fact_the_team_deleted_or_edited_is_left_alone(actor_a, creator_a):
    first = _fan_says(actor_a, "I live in Paris", number=1)
    fan_memory_extract(creator_id=creator_a.id, message_id=first.id)
    fan_memory_set(actor=actor_a, fan_id=first.fan_id, facts=[])  # the team deletes it
    second = _fan_says(actor_a, "yes I live in Paris, and my cat Luna", number=2)
    assert fan_memory_extract(creator_id=creator_a.id, message_id=second.id) == [
        "Has a cat named Luna"
    ]
    fan_memory_set(actor=actor_a, fan_id=first.fan_id, facts=["Has a cat named Luna (tabby)"])
    third = _fan_says(actor_a, "I moved to Lyon", number=3)
    assert fan_memory_extract(creator_id=creator_a.id, message_id=third.id) == ["Lives in Lyon"]
    assert Fan.all_creators.get(id=first.fan_id).ai_memory == [
        "Has a cat named Luna (tabby)",
        "Lives in Lyon",
    ]


def test_an_unavailable_router_stores_nothing_and_keeps_the_cursor(
    actor_a, creator_a, monkeypatch, events
):
    message = _fan_says(actor_a, "I live in Lyon", number=1)

    def unavailable(**kwargs):
        raise UpstreamUnavailable("The AI router could not be reached.")

    monkeypatch.setattr("huntaze.ai.memory.chat_complete", unavailable)
    events.clear()
    assert memory_extract.delay(creator_id=creator_a.id, message_id=message.id).get() == 0
    assert Fan.all_creators.get(id=message.fan_id).ai_memory == []
    assert not MemoryCursor.all_creators.exists()
    assert events == []


def test_messages_without_a_first_person_word_are_not_sent_to_the_router(actor_a, creator_a):
    message = _fan_says(actor_a, "hey! how much for the video? you look amazing", number=1)

    assert fan_memory_extract(creator_id=creator_a.id, message_id=message.id) == []

    assert not UsageLog.all_creators.exists()
    cursor = MemoryCursor.all_creators.get(conversation_id=message.conversation_id)
    assert cursor.last_message_id == message.id


def test_another_creators_message_is_not_read(actor_a, actor_b, creator_b):
    message = _fan_says(actor_a, "I live in Lyon", number=1)
    assert fan_memory_extract(creator_id=creator_b.id, message_id=message.id) == []
    assert Fan.all_creators.get(id=message.fan_id).ai_memory == []
    assert not UsageLog.all_creators.exists()


def test_ingesting_a_recent_fan_message_runs_the_extraction_in_process(
    client_a, creator_a, events, django_capture_on_commit_callbacks
):
    from tests.inbox.conftest import message_item

    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(
            "/api/v1/ingest/messages",
            data={"items": [message_item(1, text="I work as a teacher in Lyon")]},
            content_type="application/json",
        )
    names = [name for _creator, name, _payload in events]
    assert names == ["message.created", "suggestion.created", "fan.updated"]
    fan = Fan.all_creators.get(creator=creator_a)
    assert fan.ai_memory == ["Works as a teacher in Lyon"]
