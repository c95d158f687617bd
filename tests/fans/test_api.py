"""The fan notes, tags and AI memory API: /api/v1/fans/{fan_id}/notes, /tags and /memory."""

from __future__ import annotations

import json

import pytest

from huntaze.core.context import Actor
from huntaze.fans.models import Fan, FanNote
from huntaze.fans.services import fan_note_add

pytestmark = pytest.mark.django_db


def _post(client, path, body, method="post"):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def _notes(creator_id: int) -> list[tuple]:
    return list(
        FanNote.all_creators.filter(creator_id=creator_id)
        .order_by("id")
        .values_list("text", "is_pinned", "is_locked")
    )


def test_add_list_update_pin_delete_a_note(client_a, owner_a, fan_a):
    base = f"/api/v1/fans/{fan_a.id}/notes"

    created = _post(client_a, base, {"text": "Prefers evenings"})
    assert created.status_code == 201
    note = created.json()
    assert note["text"] == "Prefers evenings"
    assert note["author_id"] == owner_a.id
    assert note["author_name"] == owner_a.display_name
    assert (note["is_pinned"], note["is_locked"]) == (False, False)

    second = _post(client_a, base, {"text": "Pinned one", "is_pinned": True}).json()
    listed = client_a.get(base)
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()] == [second["id"], note["id"]]

    updated = _post(client_a, f"{base}/{note['id']}", {"text": "Prefers mornings"}, "patch")
    assert updated.status_code == 200
    assert updated.json()["text"] == "Prefers mornings"

    pinned = _post(client_a, f"{base}/{note['id']}/pin", {"is_pinned": True})
    assert pinned.status_code == 200
    assert pinned.json()["is_pinned"] is True

    deleted = client_a.delete(f"{base}/{second['id']}")
    assert deleted.status_code == 204
    assert _notes(fan_a.creator_id) == [("Prefers mornings", True, False)]


def test_a_bad_note_is_422_naming_the_field(client_a, fan_a):
    response = _post(client_a, f"/api/v1/fans/{fan_a.id}/notes", {"text": "   "})

    assert response.status_code == 422
    assert response.json()["field_errors"] == {"text": ["text: the note is empty."]}
    assert _notes(fan_a.creator_id) == []


def test_tags_and_memory(client_a, fan_a):
    tags = _post(client_a, f"/api/v1/fans/{fan_a.id}/tags", {"tags": ["Whale", "whale"]}, "put")
    memory = _post(client_a, f"/api/v1/fans/{fan_a.id}/memory", {"facts": ["Lives in Lyon"]}, "put")

    assert (tags.status_code, tags.json()) == (200, {"tags": ["whale"]})
    assert (memory.status_code, memory.json()) == (200, {"facts": ["Lives in Lyon"]})
    fan = Fan.all_creators.get(pk=fan_a.pk)
    assert (fan.tags, fan.ai_memory) == (["whale"], ["Lives in Lyon"])


def test_bad_tags_and_memory_are_422_and_nothing_changes(client_a, fan_a):
    tags = _post(client_a, f"/api/v1/fans/{fan_a.id}/tags", {"tags": ["a" * 31]}, "put")
    memory = _post(client_a, f"/api/v1/fans/{fan_a.id}/memory", {"facts": ["b" * 201]}, "put")

    assert tags.status_code == 422
    assert list(tags.json()["field_errors"]) == ["tags"]
    assert memory.status_code == 422
    assert list(memory.json()["field_errors"]) == ["facts"]
    fan = Fan.all_creators.get(pk=fan_a.pk)
    assert (fan.tags, fan.ai_memory) == (["vip"], ["Likes cats"])


def test_another_creators_fan_is_404_and_nothing_changes(client_a, creator_b, owner_b, fan_b):
    actor_b = Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner")
    note = fan_note_add(actor=actor_b, fan_id=fan_b.id, text="B only")
    base = f"/api/v1/fans/{fan_b.id}"

    responses = [
        client_a.get(f"{base}/notes"),
        _post(client_a, f"{base}/notes", {"text": "x"}),
        _post(client_a, f"{base}/notes/{note.id}", {"text": "x"}, "patch"),
        _post(client_a, f"{base}/notes/{note.id}/pin", {"is_pinned": True}),
        client_a.delete(f"{base}/notes/{note.id}"),
        _post(client_a, f"{base}/tags", {"tags": ["x"]}, "put"),
        _post(client_a, f"{base}/memory", {"facts": ["x"]}, "put"),
    ]

    assert [r.status_code for r in responses] == [404] * 7
    assert all("B only" not in r.content.decode() for r in responses)
    assert _notes(creator_b.id) == [("B only", False, False)]
    fan = Fan.all_creators.get(pk=fan_b.pk)
    assert (fan.tags, fan.ai_memory) == (["theirs"], ["B fact"])


def test_an_analyst_is_403(creator_a, fan_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "analyst"), creator_a)

    listed = client.get(f"/api/v1/fans/{fan_a.id}/notes")
    added = _post(client, f"/api/v1/fans/{fan_a.id}/notes", {"text": "x"})
    tags = _post(client, f"/api/v1/fans/{fan_a.id}/tags", {"tags": ["x"]}, "put")

    assert listed.status_code == 200
    assert added.status_code == 403
    assert added.json()["code"] == "permission_denied"
    assert tags.status_code == 403
    assert _notes(creator_a.id) == []
    assert Fan.all_creators.get(pk=fan_a.pk).tags == ["vip"]


def test_a_chatter_cannot_edit_a_locked_note(creator_a, owner, fan_a, member_of, signed_in):
    note = fan_note_add(actor=owner, fan_id=fan_a.id, text="Locked rule", is_locked=True)
    client = signed_in(member_of(creator_a, "chatter"), creator_a)

    edited = _post(client, f"/api/v1/fans/{fan_a.id}/notes/{note.id}", {"text": "x"}, "patch")
    deleted = client.delete(f"/api/v1/fans/{fan_a.id}/notes/{note.id}")

    assert (edited.status_code, deleted.status_code) == (403, 403)
    assert _notes(creator_a.id) == [("Locked rule", False, True)]
