"""Sending from the inbox: stored once with its bookkeeping, refused whole otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.content.models import MediaAsset
from huntaze.core.models import OutboxEvent
from huntaze.inbox.models import Conversation, Message, UserStats
from huntaze.inbox.services import (
    FanIdentity,
    IncomingMessage,
    messages_ingest,
    scheduled_messages_send_due,
)
from tests.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def _url(conversation) -> str:
    return f"/api/v1/conversations/{conversation.id}/messages"


def _send(client, conversation, **body):
    return client.post(_url(conversation), data=body, content_type="application/json")


def _media(creator, title="photo"):
    return MediaAsset.all_creators.create(
        creator=creator,
        title=title,
        file=f"vault/{title}.jpg",
        kind="image",
        mime_type="image/jpeg",
        size_bytes=1000,
    )


@pytest.fixture
def conversation_a(creator_a):
    conversation = ConversationFactory(creator=creator_a, unread_count=2)
    MessageFactory(conversation=conversation, text="hi there")
    return conversation


def test_a_sent_message_updates_the_conversation_fan_and_stats(
    client_a, owner_a, creator_a, conversation_a, events, django_capture_on_commit_callbacks
):
    # When the owner sends twice
    with django_capture_on_commit_callbacks(execute=True):
        first = _send(client_a, conversation_a, text="Hello you")
        _send(client_a, conversation_a, text="Second one")
    # Then
    assert first.status_code == 201
    body = first.json()
    assert (body["direction"], body["status"], body["sender_id"]) == ("out", "sent", owner_a.id)
    conversation_a.refresh_from_db()
    assert conversation_a.unread_count == 0
    assert conversation_a.last_message_preview == "Second one"
    assert conversation_a.last_outbound_at is not None
    conversation_a.fan.refresh_from_db()
    assert conversation_a.fan.last_message_at == conversation_a.last_outbound_at
    stats = UserStats.all_creators.get(creator=creator_a, user=owner_a)
    assert stats.messages_sent == 2
    assert OutboxEvent.objects.filter(event_type="message.sent").count() == 2
    assert [e[1] for e in events] == ["message.created", "message.created"]
    assert events[0][2]["message"]["id"] == body["id"]


def test_a_message_to_another_creators_conversation_is_404_and_stores_nothing(
    client_a, creator_b, owner_a
):
    # Given a conversation of creator B
    conversation_b = ConversationFactory(creator=creator_b, unread_count=1)
    before = Message.all_creators.count()
    # When A's owner posts to it
    response = _send(client_a, conversation_b, text="hello")
    # Then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Message.all_creators.count() == before
    assert not UserStats.all_creators.exists()
    assert not OutboxEvent.objects.exists()
    conversation_b.refresh_from_db()
    assert conversation_b.unread_count == 1


def test_an_analyst_gets_403_and_nothing_is_stored(creator_a, conversation_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "analyst"), creator_a)
    response = _send(client, conversation_a, text="hello")
    assert response.status_code == 403
    assert Message.all_creators.filter(direction="out").count() == 0
    assert client.post(f"/api/v1/conversations/{conversation_a.id}/read").status_code == 403


def test_a_chatter_may_send(creator_a, conversation_a, member_of, signed_in):
    chatter = member_of(creator_a, "chatter")
    response = _send(signed_in(chatter, creator_a), conversation_a, text="from the chatter")
    assert response.status_code == 201
    assert response.json()["sender_id"] == chatter.id


def test_media_must_come_from_the_creators_vault(client_a, creator_a, creator_b, conversation_a):
    own = _media(creator_a, "own")
    foreign = _media(creator_b, "foreign")
    refused = _send(client_a, conversation_a, text="look", media_ids=[own.id, foreign.id])
    assert refused.status_code == 422
    assert list(refused.json()["field_errors"]) == ["media_ids"]
    assert Message.all_creators.filter(direction="out").count() == 0
    accepted = _send(client_a, conversation_a, media_ids=[own.id])
    assert accepted.status_code == 201
    assert accepted.json()["media_ids"] == [own.id]


def test_empty_and_oversized_messages_are_refused(client_a, conversation_a):
    assert _send(client_a, conversation_a, text="   ").status_code == 422
    assert _send(client_a, conversation_a, text="x" * 10_001).status_code == 422
    assert _send(client_a, conversation_a, text="nul\x00").status_code == 422
    assert Message.all_creators.filter(direction="out").count() == 0


def test_a_scheduled_message_goes_out_when_due(client_a, creator_a, owner_a, conversation_a):
    # Given a message scheduled in an hour
    when = timezone.now() + timedelta(hours=1)
    response = _send(client_a, conversation_a, text="later", scheduled_for=when.isoformat())
    assert response.status_code == 201
    assert response.json()["status"] == "scheduled"
    conversation_a.refresh_from_db()
    assert conversation_a.last_outbound_at is None
    # When the job runs before, then after its time
    assert scheduled_messages_send_due(now=timezone.now()) == 0
    assert scheduled_messages_send_due(now=when + timedelta(seconds=1)) == 1
    assert scheduled_messages_send_due(now=when + timedelta(seconds=2)) == 0
    # Then it was sent once
    message = Message.all_creators.get(id=response.json()["id"])
    assert message.status == "sent"
    conversation_a.refresh_from_db()
    assert conversation_a.last_outbound_at == when
    assert UserStats.all_creators.get(creator=creator_a, user=owner_a).messages_sent == 1


def test_a_follow_up_cancels_itself_when_the_fan_replies(
    client_a, creator_a, actor_a, conversation_a
):
    # Given a follow-up that cancels itself when the fan replies
    when = timezone.now() + timedelta(hours=3)
    response = _send(
        client_a,
        conversation_a,
        text="still there?",
        scheduled_for=when.isoformat(),
        cancel_if_fan_replies=True,
    )
    # When the fan replies
    fan = conversation_a.fan
    messages_ingest(
        actor=actor_a,
        items=[
            IncomingMessage(
                platform_message_id="reply-1",
                fan=FanIdentity(platform_fan_id=fan.platform_fan_id, username=fan.username),
                direction="in",
                text="yes!",
                sent_at=timezone.now(),
            )
        ],
        suggest=False,
    )
    # Then it is cancelled and never sent
    assert Message.all_creators.get(id=response.json()["id"]).status == "cancelled"
    assert scheduled_messages_send_due(now=when + timedelta(minutes=1)) == 0


def test_a_past_schedule_or_a_cancel_without_schedule_is_refused(client_a, conversation_a):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert _send(client_a, conversation_a, text="x", scheduled_for=past).status_code == 422
    response = _send(client_a, conversation_a, text="x", cancel_if_fan_replies=True)
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["cancel_if_fan_replies"]


def test_mark_read(client_a, conversation_a, creator_b):
    response = client_a.post(f"/api/v1/conversations/{conversation_a.id}/read")
    assert response.status_code == 204
    conversation_a.refresh_from_db()
    assert conversation_a.unread_count == 0
    other = ConversationFactory(creator=creator_b, unread_count=4)
    assert client_a.post(f"/api/v1/conversations/{other.id}/read").status_code == 404
    assert Conversation.all_creators.get(id=other.id).unread_count == 4
