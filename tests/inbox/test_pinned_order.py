"""The conversation list puts pinned conversations first, then the newest activity (ties by
id), and its pages neither skip nor repeat a conversation across the pinned/unpinned
boundary, whatever the page size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from huntaze.inbox.selectors import conversation_list, conversation_page
from tests.factories import ConversationFactory, FanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversations(creator_a):
    """Six conversations: three pinned (one old), three not (one newer than every pinned one,
    two at the same moment)."""
    now = timezone.now()

    def make(name: str, *, minutes_ago: int | None, is_pinned: bool = False):
        return ConversationFactory(
            creator=creator_a,
            fan=FanFactory(creator=creator_a, username=name),
            is_pinned=is_pinned,
            last_message_at=None if minutes_ago is None else now - timedelta(minutes=minutes_ago),
        )

    return {
        "pinned_new": make("pinned_new", minutes_ago=5, is_pinned=True),
        "pinned_mid": make("pinned_mid", minutes_ago=50, is_pinned=True),
        "pinned_old": make("pinned_old", minutes_ago=5000, is_pinned=True),
        "newest": make("newest", minutes_ago=1),
        "tie_a": make("tie_a", minutes_ago=30),
        "tie_b": make("tie_b", minutes_ago=30),
    }


EXPECTED = ["pinned_new", "pinned_mid", "pinned_old", "newest", "tie_b", "tie_a"]


def test_pinned_conversations_come_first_then_the_newest(actor_a, conversations):
    names = [c.fan.username for c in conversation_list(actor=actor_a)]

    assert names == EXPECTED


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_pages_smaller_than_the_pinned_ones_skip_and_repeat_nothing(actor_a, conversations, limit):
    seen: list[str] = []
    offset = 0
    while True:
        page = conversation_page(actor=actor_a, offset=offset, limit=limit)
        seen += [c.fan.username for c in page.items]
        if not page.has_more:
            break
        offset = page.next_offset

    assert seen == EXPECTED


def test_the_api_pages_in_the_same_order(client_a, conversations):
    first = client_a.get("/api/v1/conversations?limit=2").json()
    second = client_a.get("/api/v1/conversations?limit=2&offset=2").json()
    rest = client_a.get("/api/v1/conversations?limit=10&offset=4").json()

    ids = [item["id"] for page in (first, second, rest) for item in page["items"]]
    assert ids == [conversations[name].id for name in EXPECTED]
    assert (first["has_more"], second["has_more"], rest["has_more"]) == (True, True, False)


def test_the_page_lists_pinned_rows_first(client_a, conversations):
    html = client_a.get("/onlyfans/messages").content.decode()

    positions = [html.index(f'data-conversation-id="{conversations[n].id}"') for n in EXPECTED]
    assert positions == sorted(positions)


def test_the_pinned_filter_keeps_the_order(actor_a, conversations):
    names = [c.fan.username for c in conversation_list(actor=actor_a, pinned_only=True)]

    assert names == ["pinned_new", "pinned_mid", "pinned_old"]


def test_the_list_query_follows_the_pinned_activity_index(actor_a, conversations):
    if connection.vendor != "sqlite":
        pytest.skip("the plan checked here is SQLite's")
    sql, params = conversation_list(actor=actor_a).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "conv_creator_pinned_activity" in plan
    assert "TEMP B-TREE" not in plan  # no sort step: the index gives the order
