"""The open conversation's hand-written reads (`huntaze.core.sql.Select`): the values the ORM
would give (aware datetimes, booleans, decoded JSON) on SQLite and PostgreSQL alike, each read
scoped to the creator, and a limited chatter kept to their assigned conversations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound
from huntaze.core.sql import Select
from huntaze.fans.models import FanNote
from huntaze.fans.selectors import fan_notes_of
from huntaze.inbox.models import Suggestion
from huntaze.inbox.selectors import (
    conversation_open,
    conversation_page,
    message_page,
    suggestions_pending,
)
from tests.factories import (
    ConversationFactory,
    FanFactory,
    MessageFactory,
    TransactionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


@pytest.fixture
def conversation(creator_a, owner_a):
    fan = FanFactory(
        creator=creator_a,
        username="bella",
        display_name="Bella",
        joined_at=JOINED,
        tags=["vip", "night owl"],
        ai_memory=["has a cat"],
        total_spent_cents=12_345,
        purchases_count=3,
        timezone="Europe/Paris",
    )
    return ConversationFactory(
        creator=creator_a, fan=fan, unread_count=4, is_pinned=True, assigned_to=owner_a
    )


def test_a_select_without_the_creator_filter_is_refused():
    with pytest.raises(ValueError, match="creator_id"):
        Select("SELECT id FROM fans WHERE id = %(fan_id)s", [None])


def test_the_open_conversation_reads_what_the_orm_would(actor_a, owner_a, conversation):
    # Given purchases: the latest completed one is a PPV; a later refund and a later pending
    # charge are not purchases
    fan = conversation.fan
    now = timezone.now()
    TransactionFactory(
        creator=fan.creator, fan=fan, type="tip", occurred_at=now - timedelta(days=3)
    )
    TransactionFactory(
        creator=fan.creator,
        fan=fan,
        type="ppv",
        amount_cents=2_500,
        occurred_at=now - timedelta(days=1),
    )
    TransactionFactory(creator=fan.creator, fan=fan, status="refunded", occurred_at=now)
    TransactionFactory(creator=fan.creator, fan=fan, status="pending", occurred_at=now)

    # When the conversation is opened
    opened = conversation_open(actor=actor_a, conversation_id=conversation.id)

    # Then each value has the ORM's type
    assert opened.id == conversation.id
    assert opened.unread_count == 4
    assert opened.is_pinned is True
    assert opened.assigned_to_id == owner_a.id
    assert opened.assignee_name == (owner_a.name or owner_a.email)
    assert opened.fan.id == fan.id
    assert opened.fan.creator_id == fan.creator_id
    assert opened.fan.username == "bella"
    assert opened.fan.joined_at == JOINED
    assert timezone.is_aware(opened.fan.joined_at)
    assert opened.fan.tags == ["vip", "night owl"]
    assert opened.fan.ai_memory == ["has a cat"]
    assert opened.fan.total_spent_cents == 12_345
    assert opened.fan.purchases_count == 3
    assert opened.fan.timezone == "Europe/Paris"
    assert opened.fan.get_platform_display() == fan.get_platform_display()
    purchase = opened.last_purchase
    assert purchase is not None
    assert (purchase.amount_cents, purchase.type) == (2_500, "ppv")
    assert timezone.is_aware(purchase.occurred_at)
    assert abs(purchase.occurred_at - (now - timedelta(days=1))) < timedelta(seconds=1)


def test_a_fan_who_never_bought_has_no_last_purchase(actor_a, creator_a):
    conversation = ConversationFactory(creator=creator_a)
    TransactionFactory(creator=creator_a, fan=conversation.fan, status="failed")

    opened = conversation_open(actor=actor_a, conversation_id=conversation.id)

    assert opened.last_purchase is None
    assert opened.assigned_to_id is None
    assert opened.assignee_name == ""
    assert opened.is_pinned is False


def test_another_creators_conversation_does_not_open(actor_b, conversation):
    with pytest.raises(NotFound):
        conversation_open(actor=actor_b, conversation_id=conversation.id)
    for missing in (0, -1, 2**63):
        with pytest.raises(NotFound):
            conversation_open(actor=actor_b, conversation_id=missing)


def test_a_limited_chatter_opens_only_their_assigned_conversations(
    creator_a, chatter, limited, conversation
):
    actor = Actor(creator_id=creator_a.id, user_id=chatter.id, role="chatter")
    with pytest.raises(NotFound):
        conversation_open(actor=actor, conversation_id=conversation.id)

    conversation.assigned_to = chatter
    conversation.save(update_fields=["assigned_to"])

    assert conversation_open(actor=actor, conversation_id=conversation.id).id == conversation.id


def test_message_pages_go_backwards_from_an_anchor_of_the_same_conversation(
    actor_a, actor_b, creator_a, conversation
):
    start = timezone.now() - timedelta(hours=1)
    messages = [
        MessageFactory(
            conversation=conversation,
            text=f"m{n}",
            media_ids=[n] if n % 2 else [],
            sent_at=start + timedelta(minutes=n // 2),  # pairs share a time: ties go by id
        )
        for n in range(10)
    ]
    other = MessageFactory(conversation=ConversationFactory(creator=creator_a))

    latest = message_page(actor=actor_a, conversation_id=conversation.id, limit=4)
    older = message_page(
        actor=actor_a, conversation_id=conversation.id, before_message_id=latest.oldest_id, limit=4
    )
    first = message_page(
        actor=actor_a, conversation_id=conversation.id, before_message_id=older.oldest_id, limit=4
    )

    assert [b.text for b in latest.items] == ["m6", "m7", "m8", "m9"]
    assert latest.has_older is True
    assert [b.text for b in older.items] == ["m2", "m3", "m4", "m5"]
    assert [b.text for b in first.items] == ["m0", "m1"]
    assert first.has_older is False
    assert latest.items[1].media_ids == [7]
    assert timezone.is_aware(latest.items[0].sent_at)
    assert latest.items[0].sent_at == messages[6].sent_at
    # Nothing before the first message: an empty page, not an error
    assert (
        message_page(
            actor=actor_a, conversation_id=conversation.id, before_message_id=messages[0].id
        ).items
        == []
    )
    # An anchor of another conversation, of another creator, or no message at all: not found
    for actor, anchor in ((actor_a, other.id), (actor_b, messages[5].id), (actor_a, 2**63)):
        with pytest.raises(NotFound):
            message_page(actor=actor, conversation_id=conversation.id, before_message_id=anchor)
    assert message_page(actor=actor_b, conversation_id=conversation.id).items == []


def test_pending_suggestions_are_the_latest_fan_messages_and_the_creators(
    actor_a, actor_b, conversation
):
    earlier = MessageFactory(conversation=conversation, sent_at=timezone.now() - timedelta(hours=1))
    question = MessageFactory(conversation=conversation)
    for message, text, status in (
        (earlier, "stale", "pending"),
        (question, "first", "pending"),
        (question, "refused", "rejected"),
        (question, "second", "pending"),
    ):
        Suggestion.all_creators.create(
            creator=conversation.creator,
            message=message,
            text=text,
            source="model",
            model="m1",
            status=status,
        )

    pending = suggestions_pending(actor=actor_a, conversation_id=conversation.id)
    elsewhere = suggestions_pending(actor=actor_b, conversation_id=conversation.id)

    assert pending.message_id == question.id
    assert [(s.text, s.message_id, s.status) for s in pending.items] == [
        ("first", question.id, "pending"),
        ("second", question.id, "pending"),
    ]
    assert elsewhere.message_id is None
    assert elsewhere.items == []


def test_fan_notes_come_pinned_first_with_their_authors(actor_a, actor_b, creator_a, conversation):
    fan = conversation.fan
    author = UserFactory(name="Nina")
    gone = UserFactory(email="gone@example.com", name="")
    now = timezone.now()
    notes = [
        FanNote.all_creators.create(creator=creator_a, fan=fan, author=author, text="old"),
        FanNote.all_creators.create(
            creator=creator_a, fan=fan, author=gone, text="pinned", is_pinned=True, is_locked=True
        ),
        FanNote.all_creators.create(creator=creator_a, fan=fan, author=None, text="new"),
    ]
    for offset, note in zip((3, 2, 1), notes, strict=True):
        FanNote.all_creators.filter(id=note.id).update(created_at=now - timedelta(minutes=offset))

    rows = fan_notes_of(
        actor=actor_a, fan=conversation_open(actor=actor_a, conversation_id=conversation.id).fan
    )

    assert [(n.text, n.author_name, n.is_pinned, n.is_locked) for n in rows] == [
        ("pinned", "gone", True, True),
        ("new", "", False, False),
        ("old", "Nina", False, False),
    ]
    assert all(timezone.is_aware(n.created_at) for n in rows)
    with pytest.raises(NotFound):
        fan_notes_of(actor=actor_b, fan=fan)


def _orm_rows(actor, *, offset: int, limit: int):
    from huntaze.inbox.selectors import _ROW_VALUES, _conversation_row, conversation_list

    rows = conversation_list(actor=actor).values_list(*_ROW_VALUES)[offset : offset + limit]
    return [_conversation_row(row) for row in rows]


def test_the_unfiltered_list_reads_the_rows_the_orm_reads(
    actor_a, actor_b, creator_a, owner_a, chatter, limited
):
    # Given pinned and unpinned conversations, ties on the last activity, one never active,
    # some assigned (to the owner, to the chatter) and another creator's
    tie = timezone.now() - timedelta(hours=2)
    for number in range(12):
        ConversationFactory(
            creator=creator_a,
            is_pinned=number % 4 == 0,
            last_message_at=None if number == 5 else tie - timedelta(minutes=number // 3),
            assigned_to=(owner_a, chatter, None)[number % 3],
            unread_count=number,
            last_message_preview=f"preview {number}",
            fan=FanFactory(creator=creator_a, churn_risk=0.25 if number % 2 else None),
        )
    ConversationFactory(last_message_preview="another creator's")
    chatter_actor = Actor(creator_id=creator_a.id, user_id=chatter.id, role="chatter")

    for actor, count, has_more in (
        (actor_a, 12, [True, True, False]),
        (chatter_actor, 4, [False, False, False]),  # numbers 1, 4, 7 and 10
        (actor_b, 0, [False, False, False]),
    ):
        # When the list is read in pages without a filter
        pages = [conversation_page(actor=actor, offset=offset, limit=5) for offset in (0, 5, 10)]
        rows = [row for page in pages for row in page.items]

        # Then it is the ORM's list, row for row, with the same types
        assert len(rows) == count
        assert rows == _orm_rows(actor, offset=0, limit=15)
        assert [page.has_more for page in pages] == has_more
    assigned = conversation_page(actor=chatter_actor, limit=50).items
    assert {row.assigned_to_id for row in assigned} == {chatter.id}
    pinned = conversation_page(actor=actor_a, limit=50).items[0]
    assert pinned.is_pinned is True
    assert timezone.is_aware(pinned.last_message_at)
    assert timezone.is_aware(pinned.fan.joined_at)
