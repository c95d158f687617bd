"""Ingestion of platform messages and purchases: idempotent, whole items or nothing, exact
aggregates, tenant- and role-checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.commerce.models import Transaction
from huntaze.fans.models import Fan
from huntaze.inbox.models import Conversation, Message
from tests.inbox.conftest import message_item, purchase_item

pytestmark = pytest.mark.django_db

MESSAGES_URL = "/api/v1/ingest/messages"
PURCHASES_URL = "/api/v1/ingest/purchases"


def _post(client, url, body):
    return client.post(url, data=body, content_type="application/json")


def _counts(creator):
    return (
        Fan.all_creators.filter(creator=creator).count(),
        Conversation.all_creators.filter(creator=creator).count(),
        Message.all_creators.filter(creator=creator).count(),
        Transaction.all_creators.filter(creator=creator).count(),
    )


def test_a_replayed_batch_stores_nothing_twice_and_answers_the_first_ids(client_a, creator_a):
    # Given a batch of 3 fan messages and 1 reply, from two fans
    items = [
        message_item(1, fan="fan-1"),
        message_item(2, fan="fan-1"),
        message_item(3, fan="fan-2"),
        message_item(4, fan="fan-2", direction="out"),
    ]
    # When it is ingested twice
    first = _post(client_a, MESSAGES_URL, {"items": items, "suggest": False})
    second = _post(client_a, MESSAGES_URL, {"items": items, "suggest": False})
    # Then the first stores everything, the replay is a no-op with the same ids
    assert first.status_code == 200
    assert second.status_code == 200
    body_1, body_2 = first.json(), second.json()
    assert (body_1["created"], body_1["duplicates"], body_1["failed"]) == (4, 0, 0)
    assert (body_2["created"], body_2["duplicates"], body_2["failed"]) == (0, 4, 0)
    assert [i["status"] for i in body_2["items"]] == ["duplicate"] * 4
    ids = lambda body: [(i["id"], i["conversation_id"], i["fan_id"]) for i in body["items"]]  # noqa: E731
    assert ids(body_1) == ids(body_2)
    assert _counts(creator_a) == (2, 2, 4, 0)
    # And the conversations count unread fan messages exactly once
    fan_1 = Conversation.all_creators.get(creator=creator_a, fan__platform_fan_id="fan-1")
    fan_2 = Conversation.all_creators.get(creator=creator_a, fan__platform_fan_id="fan-2")
    assert fan_1.unread_count == 2
    assert fan_1.last_message_preview == "message number 2"
    assert fan_2.unread_count == 0  # the reply came after the fan's message
    assert fan_2.last_inbound_at is not None
    assert fan_2.last_outbound_at is not None
    # And the rollups counted each message once
    activity = DailyActivity.all_creators.filter(creator=creator_a)
    assert sum(a.messages_in for a in activity) == 3
    assert sum(a.messages_out for a in activity) == 1
    assert sum(a.new_fans for a in activity) == 2


def test_a_bad_item_fails_alone_and_leaves_nothing_behind(client_a, creator_a):
    # Given a batch whose second item has a time without a time zone, for a new fan
    bad = message_item(2, fan="fan-new")
    bad["sent_at"] = "2025-01-01T10:00:00"
    items = [message_item(1), bad, message_item(3)]
    # When
    response = _post(client_a, MESSAGES_URL, {"items": items, "suggest": False})
    # Then the good items are stored and the bad one is reported with its field
    body = response.json()
    assert response.status_code == 200
    assert [i["status"] for i in body["items"]] == ["created", "failed", "created"]
    error = body["items"][1]["error"]
    assert error["code"] == "validation_error"
    assert list(error["field_errors"]) == ["sent_at"]
    assert body["items"][1]["id"] is None
    # And nothing of the bad item exists: no fan, no conversation, no message
    assert _counts(creator_a) == (1, 1, 2, 0)
    assert not Fan.all_creators.filter(creator=creator_a, platform_fan_id="fan-new").exists()


def test_an_older_message_does_not_move_the_conversation_back(client_a, creator_a):
    # Given a recent message, then an older one arriving late
    now = timezone.now()
    _post(
        client_a,
        MESSAGES_URL,
        {"items": [message_item(1, text="newest", sent_at=now)], "suggest": False},
    )
    _post(
        client_a,
        MESSAGES_URL,
        {
            "items": [message_item(2, text="older", sent_at=now - timedelta(hours=3))],
            "suggest": False,
        },
    )
    # Then
    conversation = Conversation.all_creators.get(creator=creator_a)
    assert conversation.last_message_at == now
    assert conversation.last_message_preview == "newest"
    assert conversation.unread_count == 2
    fan = Fan.all_creators.get(creator=creator_a)
    assert fan.last_message_at == now


def test_an_oversized_batch_is_refused_whole(client_a, creator_a):
    items = [message_item(n) for n in range(501)]
    response = _post(client_a, MESSAGES_URL, {"items": items})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert _counts(creator_a) == (0, 0, 0, 0)


def test_an_analyst_cannot_ingest(creator_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "analyst"), creator_a)
    response = _post(client, MESSAGES_URL, {"items": [message_item(1)]})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _counts(creator_a) == (0, 0, 0, 0)


def test_the_same_platform_ids_at_two_creators_are_two_rows(
    client_a, creator_a, creator_b, owner_b, signed_in
):
    client_b = signed_in(owner_b, creator_b)
    _post(client_a, MESSAGES_URL, {"items": [message_item(1)], "suggest": False})
    response = _post(client_b, MESSAGES_URL, {"items": [message_item(1)], "suggest": False})
    assert response.json()["created"] == 1
    assert _counts(creator_a) == (1, 1, 1, 0)
    assert _counts(creator_b) == (1, 1, 1, 0)


def test_purchases_add_to_the_fan_once(client_a, creator_a):
    # Given two tips and a pending purchase of one fan
    now = timezone.now()
    items = [
        purchase_item(1, amount_cents=1500, occurred_at=now - timedelta(days=2)),
        purchase_item(2, amount_cents=2500, occurred_at=now - timedelta(hours=1)),
        purchase_item(3, amount_cents=9900, status="pending", occurred_at=now),
    ]
    # When ingested twice
    first = _post(client_a, PURCHASES_URL, {"items": items}).json()
    second = _post(client_a, PURCHASES_URL, {"items": items}).json()
    # Then
    assert (first["created"], first["duplicates"]) == (3, 0)
    assert (second["created"], second["duplicates"]) == (0, 3)
    assert [i["id"] for i in first["items"]] == [i["id"] for i in second["items"]]
    fan = Fan.all_creators.get(creator=creator_a)
    assert fan.total_spent_cents == 4000
    assert fan.purchases_count == 2
    assert fan.first_purchase_at == now - timedelta(days=2)
    assert fan.last_purchase_at == now - timedelta(hours=1)
    assert _counts(creator_a) == (1, 0, 0, 3)
    revenue = DailyRevenue.all_creators.filter(creator=creator_a)
    assert sum(r.amount_cents for r in revenue) == 4000
    assert sum(r.transactions_count for r in revenue) == 2


def test_a_purchase_with_a_bad_type_is_reported(client_a, creator_a):
    response = _post(client_a, PURCHASES_URL, {"items": [purchase_item(1, type="gift")]})
    body = response.json()
    assert response.status_code == 200
    assert body["failed"] == 1
    assert list(body["items"][0]["error"]["field_errors"]) == ["type"]
    assert _counts(creator_a) == (0, 0, 0, 0)


def test_ingested_messages_are_broadcast_on_commit(
    client_a, creator_a, events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _post(client_a, MESSAGES_URL, {"items": [message_item(1)], "suggest": False})
    [(creator_id, event, payload)] = events
    assert (creator_id, event) == (creator_a.id, "message.created")
    assert payload["message"]["text"] == "message number 1"
    assert payload["conversation"]["unread_count"] == 1
    assert payload["conversation"]["fan_name"] == "Name fan-1"
