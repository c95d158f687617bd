"""The context panel live: a note, tag or memory change made in one browser is pushed to the
creator's group (`note.changed`, `fan.updated`) so the other open panels reload; the AI's facts
show the fan message they came from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.core.context import Actor
from huntaze.fans.models import Fan, FanNote
from huntaze.fans.services import fan_note_add
from huntaze.inbox.events import EVENTS
from huntaze.inbox.services import FanIdentity, IncomingMessage, messages_ingest
from huntaze.inbox.services_memory import fan_memory_extract
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fan(creator_a):
    return FanFactory(creator=creator_a, tags=["vip"], ai_memory=["Likes cats"])


def _url(fan, tail=""):
    return f"/onlyfans/messages/fans/{fan.id}{tail}"


def _names(events):
    for _creator, name, payload in events:
        EVENTS[name].model_validate(payload)
    return [(creator, name) for creator, name, _payload in events]


def test_note_changes_are_pushed(
    client_a, creator_a, owner_a, fan, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(_url(fan, "/notes"), {"text": "Tips on Fridays"})
    note = FanNote.all_creators.get(fan=fan)
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(_url(fan, f"/notes/{note.id}/pin"), {"is_pinned": "1"})
        client_a.post(_url(fan, f"/notes/{note.id}/pin"), {})
        client_a.post(_url(fan, f"/notes/{note.id}"), {"text": "Tips on Saturdays"})
        client_a.post(_url(fan, f"/notes/{note.id}/delete"))

    assert _names(events) == [(creator_a.id, "note.changed")] * 5
    assert [(p["action"], p["note_id"], p["fan_id"], p["user_id"]) for *_, p in events] == [
        ("added", note.id, fan.id, owner_a.id),
        ("pinned", note.id, fan.id, owner_a.id),
        ("unpinned", note.id, fan.id, owner_a.id),
        ("updated", note.id, fan.id, owner_a.id),
        ("deleted", note.id, fan.id, owner_a.id),
    ]


def test_tag_and_memory_changes_are_pushed_with_the_new_values(
    client_a, creator_a, owner_a, fan, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(_url(fan, "/tags"), {"tags": "vip, whale"})
        client_a.post(_url(fan, "/memory"), {"facts": "Likes cats\nLives in Lyon"})

    assert _names(events) == [(creator_a.id, "fan.updated")] * 2
    tags, memory = (payload for *_, payload in events)
    assert (tags["fields"], tags["tags"], tags["by"], tags["user_id"]) == (
        ["tags"],
        ["vip", "whale"],
        "team",
        owner_a.id,
    )
    assert (memory["fields"], memory["ai_memory"]) == (
        ["ai_memory"],
        ["Likes cats", "Lives in Lyon"],
    )


def test_refused_input_pushes_nothing(client_a, fan, events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(_url(fan, "/notes"), {"text": "   "})
        client_a.post(_url(fan, "/tags"), {"tags": "x" * 40})
        client_a.post(_url(fan, "/memory"), {"facts": "y" * 300})

    assert events == []
    assert Fan.all_creators.get(id=fan.id).tags == ["vip"]


def test_another_creators_fan_is_404_and_pushes_nothing(
    signed_in, owner_b, creator_b, fan, events, django_capture_on_commit_callbacks
):
    client_b = signed_in(owner_b, creator_b)
    note = fan_note_add(
        actor=Actor(creator_id=fan.creator_id, user_id=None, role="owner"),
        fan_id=fan.id,
        text="A's note",
    )
    events.clear()

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client_b.post(_url(fan, "/notes"), {"text": "hi"}),
            client_b.post(_url(fan, f"/notes/{note.id}/pin"), {"is_pinned": "1"}),
            client_b.post(_url(fan, "/tags"), {"tags": "mine"}),
            client_b.post(_url(fan, "/memory"), {"facts": "mine"}),
        ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert events == []
    fan.refresh_from_db()
    assert (fan.tags, fan.ai_memory) == (["vip"], ["Likes cats"])
    assert list(FanNote.all_creators.filter(fan=fan).values_list("text", "is_pinned")) == [
        ("A's note", False)
    ]


def test_the_panel_shows_where_an_ai_fact_came_from(client_a, actor_a, creator_a):
    [result] = messages_ingest(
        actor=actor_a,
        items=[
            IncomingMessage(
                platform_message_id="p-1",
                fan=FanIdentity(platform_fan_id="of-9", username="zed"),
                direction="in",
                text="My birthday is on March 3rd!",
                sent_at=timezone.now() - timedelta(minutes=1),
            )
        ],
        suggest=False,
    )
    fan_memory_extract(creator_id=creator_a.id, message_id=result.id)
    fan = Fan.all_creators.get(id=result.fan_id)
    fan.ai_memory = [*fan.ai_memory, "Prefers voice notes"]
    fan.save(update_fields=["ai_memory"])

    html = client_a.get(_url(fan, "/panel")).content.decode()

    assert '<li class="memory-fact-ai">Birthday: March 3' in html
    assert "<q>My birthday is on March 3rd!</q>" in html
    assert "<li>Prefers voice notes</li>" in html
