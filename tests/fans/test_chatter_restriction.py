"""A creator who limits chatters to their assigned fans (`chatters_see_assigned_only`): in the
fans CRM a limited chatter reads only the fans of the conversations assigned to them (table,
smart lists, segments, counts, CSV, profile, timeline, JSON API, notes) and another fan answers
404 like a missing one; their writes to another fan change nothing; `fan.updated` and
`note.changed` about another fan do not reach their WebSocket. Owners, managers and the
chatters of an unlimited creator see every fan."""

from __future__ import annotations

import csv
import io

import pytest
from asgiref.sync import sync_to_async

from huntaze.config.asgi import application
from huntaze.core.context import Actor
from huntaze.fans.models import Fan, FanNote, Segment
from huntaze.fans.services import fan_note_add, fan_tags_set
from tests.factories import ConversationFactory, FanFactory
from tests.inbox.ws import Socket, session_cookie

pytestmark = pytest.mark.django_db

VIP_RULES = {"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "vip"}]}


@pytest.fixture
def mine(creator_a, chatter):
    fan = FanFactory(creator=creator_a, username="minefan", tags=["vip"], total_spent_cents=20_000)
    ConversationFactory(creator=creator_a, fan=fan, assigned_to=chatter)
    return fan


@pytest.fixture
def other(creator_a, owner_a):
    """A fan whose conversation is someone else's, and one without a conversation."""
    fan = FanFactory(creator=creator_a, username="otherfan", tags=["vip"], total_spent_cents=30_000)
    ConversationFactory(creator=creator_a, fan=fan, assigned_to=owner_a)
    FanFactory(creator=creator_a, username="loosefan", tags=["vip"], total_spent_cents=40_000)
    return fan


@pytest.fixture
def segment(creator_a, mine, other):
    return Segment.all_creators.create(creator=creator_a, name="VIP", rules=VIP_RULES, fan_count=3)


def _csv_usernames(response) -> list[str]:
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    return [row["username"] for row in rows]


def test_the_fan_table_lists_only_the_assigned_fans(
    signed_in, creator_a, chatter, limited, mine, other
):
    client = signed_in(chatter, creator_a)

    page = client.get("/onlyfans/fans").content.decode()
    smart_list = client.get("/onlyfans/fans?list=big_spenders").content.decode()

    for html in (page, smart_list):
        assert f'href="/onlyfans/fans/{mine.id}"' in html
        assert f'href="/onlyfans/fans/{other.id}"' not in html
        assert "@otherfan" not in html
        assert "@loosefan" not in html


def test_the_csv_export_holds_only_the_assigned_fans(
    signed_in, creator_a, chatter, limited, mine, other
):
    client = signed_in(chatter, creator_a)

    assert _csv_usernames(client.get("/onlyfans/fans/export.csv")) == ["minefan"]


def test_the_api_lists_only_the_assigned_fans(signed_in, creator_a, chatter, limited, mine, other):
    client = signed_in(chatter, creator_a)

    body = client.get("/api/v1/fans").json()

    assert [item["id"] for item in body["items"]] == [mine.id]


def test_another_fan_is_not_found_by_page_or_api(
    signed_in, creator_a, chatter, limited, mine, other
):
    client = signed_in(chatter, creator_a)
    FanNote.all_creators.create(creator=creator_a, fan=other, text="secret")

    answers = [
        client.get(f"/onlyfans/fans/{other.id}"),
        client.get(f"/onlyfans/fans/{other.id}/timeline"),
        client.get(f"/api/v1/fans/{other.id}"),
        client.get(f"/api/v1/fans/{other.id}/notes"),
    ]

    assert [answer.status_code for answer in answers] == [404] * 4
    assert client.get(f"/onlyfans/fans/{mine.id}").status_code == 200
    assert client.get(f"/api/v1/fans/{mine.id}").json()["username"] == "minefan"
    assert client.get(f"/api/v1/fans/{mine.id}/notes").json() == []


def test_writes_to_another_fan_are_not_found_and_change_nothing(
    signed_in, creator_a, chatter, limited, mine, other
):
    client = signed_in(chatter, creator_a)
    note = FanNote.all_creators.create(creator=creator_a, fan=other, text="theirs")

    answers = [
        client.post(
            f"/api/v1/fans/{other.id}/notes", {"text": "hi"}, content_type="application/json"
        ),
        client.patch(
            f"/api/v1/fans/{other.id}/notes/{note.id}",
            {"text": "changed"},
            content_type="application/json",
        ),
        client.delete(f"/api/v1/fans/{other.id}/notes/{note.id}"),
        client.put(
            f"/api/v1/fans/{other.id}/tags", {"tags": ["x"]}, content_type="application/json"
        ),
        client.post(
            "/api/v1/fans/bulk-tags",
            {"tag": "x", "fan_ids": [mine.id, other.id]},
            content_type="application/json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [404] * 5
    assert list(FanNote.all_creators.values_list("text", flat=True)) == ["theirs"]
    assert sorted(Fan.all_creators.values_list("username", "tags")) == [
        ("loosefan", ["vip"]),
        ("minefan", ["vip"]),
        ("otherfan", ["vip"]),
    ]


def test_bulk_tagging_all_matching_touches_only_the_assigned_fans(
    signed_in, creator_a, chatter, limited, mine, other
):
    client = signed_in(chatter, creator_a)

    answer = client.post(
        "/api/v1/fans/bulk-tags",
        {"tag": "seen", "all_matching": True},
        content_type="application/json",
    )

    assert answer.json() == {"changed": 1, "unchanged": 0, "skipped_full": 0}
    assert sorted(Fan.all_creators.values_list("username", "tags")) == [
        ("loosefan", ["vip"]),
        ("minefan", ["vip", "seen"]),
        ("otherfan", ["vip"]),
    ]


def test_segments_count_preview_and_list_only_the_assigned_fans(
    signed_in, creator_a, chatter, limited, mine, other, segment
):
    client = signed_in(chatter, creator_a)

    segments = client.get("/api/v1/fans/segments").json()
    one = client.get(f"/api/v1/fans/segments/{segment.id}").json()
    preview = client.post(
        "/api/v1/fans/segments/preview", {"rules": VIP_RULES}, content_type="application/json"
    ).json()
    fans = client.get(f"/api/v1/fans/segments/{segment.id}/fans").json()
    page = client.get(f"/onlyfans/fans?segment={segment.id}").content.decode()

    assert [(s["name"], s["fan_count"]) for s in segments] == [("VIP", 1)]
    assert one["fan_count"] == 1
    assert (preview["count"], [f["id"] for f in preview["sample"]]) == (1, [mine.id])
    assert [f["id"] for f in fans["items"]] == [mine.id]
    assert f'href="/onlyfans/fans/{mine.id}"' in page
    assert f'href="/onlyfans/fans/{other.id}"' not in page
    segment.refresh_from_db()
    assert segment.fan_count == 3  # the stored count stays the creator's


def test_the_restriction_off_lets_chatters_see_every_fan(
    signed_in, creator_a, chatter, mine, other, segment
):
    client = signed_in(chatter, creator_a)

    assert client.get(f"/onlyfans/fans/{other.id}").status_code == 200
    assert len(client.get("/api/v1/fans").json()["items"]) == 3
    assert client.get("/api/v1/fans/segments").json()[0]["fan_count"] == 3
    assert len(_csv_usernames(client.get("/onlyfans/fans/export.csv"))) == 3


@pytest.mark.parametrize("role", ["manager", "analyst"])
def test_managers_and_analysts_are_never_limited(
    signed_in, creator_a, member_of, limited, mine, other, role
):
    client = signed_in(member_of(creator_a, role), creator_a)

    assert client.get(f"/onlyfans/fans/{other.id}").status_code == 200
    assert client.get(f"/api/v1/fans/{other.id}/notes").status_code == 200
    assert len(client.get("/api/v1/fans").json()["items"]) == 3


# WebSocket --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_a_limited_chatter_gets_fan_events_only_about_their_fans(
    creator_a, owner_a, chatter, limited, mine, other
):
    # Given a limited chatter connected, and an owner
    owner = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    socket = Socket(application, await sync_to_async(session_cookie)(chatter, creator_a))
    assert await socket.connect()
    # When the owner writes a note on the other fan, then tags both
    await sync_to_async(fan_note_add)(actor=owner, fan_id=other.id, text="about other")
    await sync_to_async(fan_tags_set)(actor=owner, fan_id=other.id, tags=["x"])
    note = await sync_to_async(fan_note_add)(actor=owner, fan_id=mine.id, text="about mine")
    await sync_to_async(fan_tags_set)(actor=owner, fan_id=mine.id, tags=["y"])
    # Then only the events about the chatter's fan arrive
    first = await socket.receive_json()
    second = await socket.receive_json()
    assert (first["event"], first["payload"]["fan_id"], first["payload"]["note_id"]) == (
        "note.changed",
        mine.id,
        note.id,
    )
    assert (second["event"], second["payload"]["fan_id"], second["payload"]["tags"]) == (
        "fan.updated",
        mine.id,
        ["y"],
    )
    assert await socket.receive_nothing(timeout=0.3)
    await socket.close()


@pytest.mark.django_db(transaction=True)
async def test_an_unlimited_chatter_gets_every_fan_event(creator_a, owner_a, chatter, other):
    owner = Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")
    socket = Socket(application, await sync_to_async(session_cookie)(chatter, creator_a))
    assert await socket.connect()

    await sync_to_async(fan_tags_set)(actor=owner, fan_id=other.id, tags=["x"])

    event = await socket.receive_json()
    assert (event["event"], event["payload"]["fan_id"]) == ("fan.updated", other.id)
    await socket.close()
