"""The inbox context panel shows the fan's notes, tags and AI memory, and its HTMX forms
change them."""

from __future__ import annotations

import pytest

from huntaze.fans.models import Fan, FanNote
from huntaze.fans.services import fan_note_add
from tests.factories import ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(creator_a, fan_a):
    return ConversationFactory(creator=creator_a, fan=fan_a)


def _url(fan, tail=""):
    return f"/onlyfans/messages/fans/{fan.id}{tail}"


def test_the_panel_renders_notes_tags_and_memory(client_a, owner, owner_a, fan_a, conversation):
    fan_note_add(actor=owner, fan_id=fan_a.id, text="Older note")
    fan_note_add(actor=owner, fan_id=fan_a.id, text="Pinned note", is_pinned=True)

    response = client_a.get(f"/onlyfans/messages/{conversation.id}")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="fan-panel"' in html
    assert html.index("Pinned note") < html.index("Older note")
    assert owner_a.display_name in html
    assert '<li class="badge badge-tag">vip</li>' in html
    assert "<li>Likes cats</li>" in html
    assert f'hx-post="{_url(fan_a, "/notes")}"' in html
    assert 'name="is_locked"' in html  # the owner may lock


def test_add_a_note_through_the_panel(client_a, owner_a, fan_a):
    response = client_a.post(_url(fan_a, "/notes"), {"text": "Sent flowers", "is_pinned": "1"})

    assert response.status_code == 200
    assert "Sent flowers" in response.content.decode()
    note = FanNote.all_creators.get(fan=fan_a)
    assert (note.text, note.is_pinned, note.is_locked, note.author_id) == (
        "Sent flowers",
        True,
        False,
        owner_a.id,
    )


def test_an_empty_note_shows_the_error_and_writes_nothing(client_a, fan_a):
    html = client_a.post(_url(fan_a, "/notes"), {"text": "  "}).content.decode()

    assert 'role="alert"' in html
    assert "text: the note is empty." in html
    assert FanNote.all_creators.filter(fan=fan_a).count() == 0


def test_tags_and_memory_through_the_panel(client_a, fan_a):
    client_a.post(_url(fan_a, "/tags"), {"tags": "Whale, night owl, whale"})
    html = client_a.post(_url(fan_a, "/memory"), {"facts": "Has a cat\n\nLives in Lyon"})

    fan = Fan.all_creators.get(pk=fan_a.pk)
    assert (fan.tags, fan.ai_memory) == (["whale", "night owl"], ["Has a cat", "Lives in Lyon"])
    assert "<li>Lives in Lyon</li>" in html.content.decode()


def test_bad_tags_keep_the_input_and_write_nothing(client_a, fan_a):
    raw = "ok, " + "z" * 31
    html = client_a.post(_url(fan_a, "/tags"), {"tags": raw}).content.decode()

    assert 'data-field="tags"' in html
    assert "is longer than 30 characters" in html
    assert f'value="{raw}"' in html
    assert Fan.all_creators.get(pk=fan_a.pk).tags == ["vip"]


def test_pin_and_delete_through_the_panel(client_a, owner, fan_a):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="Temporary")

    client_a.post(_url(fan_a, f"/notes/{note.id}/pin"), {"is_pinned": "1"})
    assert FanNote.all_creators.get(pk=note.pk).is_pinned is True
    client_a.post(_url(fan_a, f"/notes/{note.id}/pin"), {})
    assert FanNote.all_creators.get(pk=note.pk).is_pinned is False
    client_a.post(_url(fan_a, f"/notes/{note.id}/delete"))
    assert not FanNote.all_creators.filter(pk=note.pk).exists()


def test_a_chatter_sees_no_edit_controls_on_a_locked_note_and_cannot_edit_it(
    creator_a, owner, fan_a, member_of, signed_in
):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="House rule", is_locked=True)
    client = signed_in(member_of(creator_a, "chatter"), creator_a)

    html = client.get(_url(fan_a, "/panel")).content.decode()
    edited = client.post(_url(fan_a, f"/notes/{note.id}"), {"text": "changed"})
    deleted = client.post(_url(fan_a, f"/notes/{note.id}/delete"))

    assert "House rule" in html
    assert f"/notes/{note.id}/delete" not in html
    assert 'name="is_locked"' not in html
    assert (edited.status_code, deleted.status_code) == (403, 403)
    stored = FanNote.all_creators.get(pk=note.pk)
    assert (stored.text, stored.is_locked) == ("House rule", True)


def test_an_analyst_reads_the_panel_but_cannot_write(creator_a, fan_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "analyst"), creator_a)

    html = client.get(_url(fan_a, "/panel")).content.decode()
    response = client.post(_url(fan_a, "/tags"), {"tags": "x"})

    assert "Likes cats" in html
    assert "<form" not in html
    assert response.status_code == 403
    assert Fan.all_creators.get(pk=fan_a.pk).tags == ["vip"]


def test_another_creators_fan_is_404_and_nothing_changes(client_a, owner_b, creator_b, fan_b):
    from huntaze.core.context import Actor

    actor_b = Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner")
    note = fan_note_add(actor=actor_b, fan_id=fan_b.id, text="B only")

    statuses = [
        client_a.get(_url(fan_b, "/panel")).status_code,
        client_a.post(_url(fan_b, "/notes"), {"text": "x"}).status_code,
        client_a.post(_url(fan_b, f"/notes/{note.id}"), {"text": "x"}).status_code,
        client_a.post(_url(fan_b, f"/notes/{note.id}/pin"), {"is_pinned": "1"}).status_code,
        client_a.post(_url(fan_b, f"/notes/{note.id}/delete")).status_code,
        client_a.post(_url(fan_b, "/tags"), {"tags": "x"}).status_code,
        client_a.post(_url(fan_b, "/memory"), {"facts": "x"}).status_code,
    ]

    assert statuses == [404] * 7
    stored = FanNote.all_creators.get(pk=note.pk)
    assert (stored.text, stored.is_pinned) == ("B only", False)
    fan = Fan.all_creators.get(pk=fan_b.pk)
    assert (fan.tags, fan.ai_memory) == (["theirs"], ["B fact"])


def test_the_panel_has_no_inline_script(client_a, fan_a):
    html = client_a.get(_url(fan_a, "/panel")).content.decode()
    assert "<script" not in html
    assert " on" + "click=" not in html
