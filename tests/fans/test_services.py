"""Fan notes, tags and AI memory services: scoped to the actor's creator, role-checked,
locked notes kept for owners and managers, bad input refused with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, PermissionDenied, ValidationFailed
from huntaze.fans.models import Fan, FanNote
from huntaze.fans.selectors import fan_notes_list, note_author_name
from huntaze.fans.services import (
    fan_memory_set,
    fan_note_add,
    fan_note_delete,
    fan_note_pin,
    fan_note_update,
    fan_tags_set,
)

pytestmark = pytest.mark.django_db


def _notes(creator_id: int) -> list[tuple]:
    return list(
        FanNote.all_creators.filter(creator_id=creator_id)
        .order_by("id")
        .values_list("id", "text", "is_pinned", "is_locked")
    )


def _fan_row(fan: Fan) -> tuple:
    fresh = Fan.all_creators.get(pk=fan.pk)
    return (fresh.tags, fresh.ai_memory)


# Notes ------------------------------------------------------------------------------------------


def test_add_a_note(owner, owner_a, fan_a):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="  Birthday in May  ", is_pinned=True)

    stored = FanNote.all_creators.get(pk=note.pk)
    assert stored.text == "Birthday in May"
    assert stored.fan_id == fan_a.id
    assert stored.creator_id == fan_a.creator_id
    assert stored.author_id == owner_a.id
    assert stored.is_pinned is True
    assert stored.is_locked is False


def test_notes_list_pinned_first_then_newest_with_authors(
    owner, owner_a, fan_a, django_assert_num_queries
):
    old = fan_note_add(actor=owner, fan_id=fan_a.id, text="old")
    pinned = fan_note_add(actor=owner, fan_id=fan_a.id, text="pinned", is_pinned=True)
    new = fan_note_add(actor=owner, fan_id=fan_a.id, text="new")
    now = timezone.now()
    FanNote.all_creators.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
    FanNote.all_creators.filter(pk=pinned.pk).update(created_at=now - timedelta(days=9))
    FanNote.all_creators.filter(pk=new.pk).update(created_at=now - timedelta(days=1))

    with django_assert_num_queries(1):
        notes = fan_notes_list(actor=owner, fan_id=fan_a.id)
        names = [note_author_name(n) for n in notes]

    assert [n.text for n in notes] == ["pinned", "new", "old"]
    assert names == [owner_a.display_name] * 3


def test_notes_list_of_another_creators_fan_is_not_found(owner, fan_b):
    with pytest.raises(NotFound):
        fan_notes_list(actor=owner, fan_id=fan_b.id)


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_a_bad_note_is_refused_and_nothing_is_written(owner, fan_a, text):
    with pytest.raises(ValidationFailed) as raised:
        fan_note_add(actor=owner, fan_id=fan_a.id, text=text)

    assert list(raised.value.field_errors) == ["text"]
    assert raised.value.message.startswith("text:")
    assert _notes(fan_a.creator_id) == []


def test_update_pin_and_delete(owner, fan_a):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="first")

    fan_note_update(actor=owner, fan_id=fan_a.id, note_id=note.id, text="second")
    assert _notes(fan_a.creator_id) == [(note.id, "second", False, False)]

    fan_note_pin(actor=owner, fan_id=fan_a.id, note_id=note.id, is_pinned=True)
    assert _notes(fan_a.creator_id) == [(note.id, "second", True, False)]

    fan_note_update(actor=owner, fan_id=fan_a.id, note_id=note.id, is_locked=True)
    assert _notes(fan_a.creator_id) == [(note.id, "second", True, True)]

    fan_note_delete(actor=owner, fan_id=fan_a.id, note_id=note.id)
    assert _notes(fan_a.creator_id) == []


def test_an_empty_update_keeps_the_note(owner, fan_a):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="keep me")

    with pytest.raises(ValidationFailed) as raised:
        fan_note_update(actor=owner, fan_id=fan_a.id, note_id=note.id, text=" ")

    assert raised.value.field_errors == {"text": ["text: the note is empty."]}
    assert _notes(fan_a.creator_id) == [(note.id, "keep me", False, False)]


def test_a_note_of_another_fan_is_not_found(owner, creator_a, fan_a):
    from tests.factories import FanFactory

    other = FanFactory(creator=creator_a)
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="mine")

    with pytest.raises(NotFound):
        fan_note_update(actor=owner, fan_id=other.id, note_id=note.id, text="moved?")
    assert _notes(creator_a.id) == [(note.id, "mine", False, False)]


def test_a_manager_locks_and_a_chatter_cannot_change_a_locked_note(actor_as, creator_a, fan_a):
    manager = actor_as(creator_a, "manager")
    chatter = actor_as(creator_a, "chatter")
    note = fan_note_add(actor=manager, fan_id=fan_a.id, text="VIP: no discounts", is_locked=True)
    before = _notes(creator_a.id)

    for attempt in (
        lambda: fan_note_update(actor=chatter, fan_id=fan_a.id, note_id=note.id, text="edit"),
        lambda: fan_note_update(actor=chatter, fan_id=fan_a.id, note_id=note.id, is_locked=False),
        lambda: fan_note_pin(actor=chatter, fan_id=fan_a.id, note_id=note.id, is_pinned=True),
        lambda: fan_note_delete(actor=chatter, fan_id=fan_a.id, note_id=note.id),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert _notes(creator_a.id) == before == [(note.id, "VIP: no discounts", False, True)]
    fan_note_update(actor=manager, fan_id=fan_a.id, note_id=note.id, text="edited by manager")
    assert _notes(creator_a.id) == [(note.id, "edited by manager", False, True)]


def test_a_chatter_edits_an_unlocked_note_but_cannot_lock(actor_as, creator_a, fan_a):
    chatter = actor_as(creator_a, "chatter")
    note = fan_note_add(actor=chatter, fan_id=fan_a.id, text="likes voice notes")

    with pytest.raises(PermissionDenied):
        fan_note_add(actor=chatter, fan_id=fan_a.id, text="locked?", is_locked=True)
    with pytest.raises(PermissionDenied):
        fan_note_update(actor=chatter, fan_id=fan_a.id, note_id=note.id, is_locked=True)
    fan_note_update(actor=chatter, fan_id=fan_a.id, note_id=note.id, text="likes voice memos")

    assert _notes(creator_a.id) == [(note.id, "likes voice memos", False, False)]


def test_an_analyst_writes_nothing(actor_as, owner, creator_a, fan_a):
    analyst = actor_as(creator_a, "analyst")
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="hands off")
    before = (_notes(creator_a.id), _fan_row(fan_a))

    for attempt in (
        lambda: fan_note_add(actor=analyst, fan_id=fan_a.id, text="x"),
        lambda: fan_note_update(actor=analyst, fan_id=fan_a.id, note_id=note.id, text="x"),
        lambda: fan_note_pin(actor=analyst, fan_id=fan_a.id, note_id=note.id, is_pinned=True),
        lambda: fan_note_delete(actor=analyst, fan_id=fan_a.id, note_id=note.id),
        lambda: fan_tags_set(actor=analyst, fan_id=fan_a.id, tags=["x"]),
        lambda: fan_memory_set(actor=analyst, fan_id=fan_a.id, facts=["x"]),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert (_notes(creator_a.id), _fan_row(fan_a)) == before


def test_another_creators_fan_and_note_are_not_found(owner, owner_b, creator_b, fan_b):
    actor_b = Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner")
    note_b = fan_note_add(actor=actor_b, fan_id=fan_b.id, text="B's note")
    before = (_notes(creator_b.id), _fan_row(fan_b))

    for attempt in (
        lambda: fan_note_add(actor=owner, fan_id=fan_b.id, text="x"),
        lambda: fan_note_update(actor=owner, fan_id=fan_b.id, note_id=note_b.id, text="x"),
        lambda: fan_note_pin(actor=owner, fan_id=fan_b.id, note_id=note_b.id, is_pinned=True),
        lambda: fan_note_delete(actor=owner, fan_id=fan_b.id, note_id=note_b.id),
        lambda: fan_tags_set(actor=owner, fan_id=fan_b.id, tags=["x"]),
        lambda: fan_memory_set(actor=owner, fan_id=fan_b.id, facts=["x"]),
    ):
        with pytest.raises(NotFound):
            attempt()

    assert (_notes(creator_b.id), _fan_row(fan_b)) == before


# Tags -------------------------------------------------------------------------------------------


def test_tags_are_normalised_and_deduplicated(owner, fan_a):
    tags = fan_tags_set(
        actor=owner, fan_id=fan_a.id, tags=[" VIP ", "Big   Spender", "vip", "night owl"]
    )

    assert tags == ["vip", "big spender", "night owl"]
    assert _fan_row(fan_a) == (["vip", "big spender", "night owl"], ["Likes cats"])


def test_tags_can_be_cleared(owner, fan_a):
    assert fan_tags_set(actor=owner, fan_id=fan_a.id, tags=[]) == []
    assert _fan_row(fan_a) == ([], ["Likes cats"])


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (["ok", "x" * 31], "tags: “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…” is longer than 30 characters."),
        (["ok", "  "], "tags: a tag cannot be empty."),
        ([f"t{n}" for n in range(21)], "tags: at most 20 tags (21 given)."),
        (["ok", 3], "tags: every tag must be text."),
    ],
)
def test_bad_tags_are_refused_and_nothing_is_written(owner, fan_a, tags, message):
    with pytest.raises(ValidationFailed) as raised:
        fan_tags_set(actor=owner, fan_id=fan_a.id, tags=tags)

    assert raised.value.field_errors == {"tags": [message]}
    assert _fan_row(fan_a) == (["vip"], ["Likes cats"])


def test_twenty_tags_of_thirty_characters_fit(owner, fan_a):
    tags = [f"{n:02d}" + "x" * 28 for n in range(20)]
    assert fan_tags_set(actor=owner, fan_id=fan_a.id, tags=tags) == tags


# AI memory --------------------------------------------------------------------------------------


def test_memory_is_replaced_with_blank_lines_dropped(owner, fan_a):
    facts = fan_memory_set(
        actor=owner,
        fan_id=fan_a.id,
        facts=["Has a dog named Rex", "", "  Works   nights ", "Has a dog named Rex"],
    )

    assert facts == ["Has a dog named Rex", "Works nights"]
    assert _fan_row(fan_a) == (["vip"], ["Has a dog named Rex", "Works nights"])


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (["ok", "y" * 201], "facts: a fact has at most 200 characters (one has 201)."),
        ([f"fact {n}" for n in range(31)], "facts: at most 30 facts (31 given)."),
        ([None], "facts: every fact must be text."),
    ],
)
def test_bad_memory_is_refused_and_nothing_is_written(owner, fan_a, facts, message):
    with pytest.raises(ValidationFailed) as raised:
        fan_memory_set(actor=owner, fan_id=fan_a.id, facts=facts)

    assert raised.value.field_errors == {"facts": [message]}
    assert _fan_row(fan_a) == (["vip"], ["Likes cats"])


def test_ids_beyond_the_database_range_are_not_found(owner, fan_a):
    huge = 2**70
    with pytest.raises(NotFound):
        fan_notes_list(actor=owner, fan_id=huge)
    with pytest.raises(NotFound):
        fan_note_add(actor=owner, fan_id=huge, text="x")
    with pytest.raises(NotFound):
        fan_note_pin(actor=owner, fan_id=fan_a.id, note_id=huge, is_pinned=True)
    with pytest.raises(NotFound):
        fan_tags_set(actor=owner, fan_id=huge, tags=[])
