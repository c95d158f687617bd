"""Notes and tags changed through the fans JSON API (or the CRM's bulk tagging) push the same
live events as the inbox panel, once committed: `note.changed` and `fan.updated`."""

from __future__ import annotations

import pytest

from huntaze.fans.models import FanNote
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db


def test_note_changes_through_the_api_push_note_changed(
    client_a, creator_a, owner_a, events, django_capture_on_commit_callbacks
):
    fan = FanFactory(creator=creator_a)
    base = f"/api/v1/fans/{fan.id}/notes"

    with django_capture_on_commit_callbacks(execute=True):
        note_id = client_a.post(base, {"text": "a"}, content_type="application/json").json()["id"]
    assert events == [
        (
            creator_a.id,
            "note.changed",
            {"fan_id": fan.id, "note_id": note_id, "action": "added", "user_id": owner_a.id},
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client_a.patch(f"{base}/{note_id}", {"text": "b"}, content_type="application/json")
        client_a.post(f"{base}/{note_id}/pin", {"is_pinned": True}, content_type="application/json")
        client_a.post(
            f"{base}/{note_id}/pin", {"is_pinned": False}, content_type="application/json"
        )
        client_a.delete(f"{base}/{note_id}")

    assert [(p["action"], p["note_id"], p["fan_id"]) for _c, _n, p in events] == [
        ("added", note_id, fan.id),
        ("updated", note_id, fan.id),
        ("pinned", note_id, fan.id),
        ("unpinned", note_id, fan.id),
        ("deleted", note_id, fan.id),
    ]
    assert FanNote.all_creators.count() == 0


def test_tags_set_through_the_api_push_fan_updated(
    client_a, creator_a, owner_a, events, django_capture_on_commit_callbacks
):
    fan = FanFactory(creator=creator_a, tags=["old"], ai_memory=["Likes cats"])

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_a.put(
            f"/api/v1/fans/{fan.id}/tags", {"tags": ["VIP", "new"]}, content_type="application/json"
        )

    assert answer.json() == {"tags": ["vip", "new"]}
    assert events == [
        (
            creator_a.id,
            "fan.updated",
            {
                "fan_id": fan.id,
                "fields": ["tags"],
                "tags": ["vip", "new"],
                "ai_memory": ["Likes cats"],
                "by": "team",
                "user_id": owner_a.id,
                "added_facts": [],
            },
        )
    ]


def test_a_refused_write_pushes_nothing(
    client_a, creator_a, events, django_capture_on_commit_callbacks
):
    fan = FanFactory(creator=creator_a, tags=["old"])

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_a.put(
            f"/api/v1/fans/{fan.id}/tags", {"tags": ["x" * 31]}, content_type="application/json"
        )

    assert answer.status_code == 422
    assert events == []


def test_bulk_tagging_pushes_fan_updated_for_the_changed_fans(
    client_a, creator_a, events, django_capture_on_commit_callbacks
):
    first = FanFactory(creator=creator_a, tags=[])
    already = FanFactory(creator=creator_a, tags=["vip"])

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_a.post(
            "/api/v1/fans/bulk-tags",
            {"tag": "vip", "fan_ids": [first.id, already.id]},
            content_type="application/json",
        )

    assert answer.json() == {"changed": 1, "unchanged": 1, "skipped_full": 0}
    assert [(name, p["fan_id"], p["tags"]) for _c, name, p in events] == [
        ("fan.updated", first.id, ["vip"])
    ]


def test_bulk_tagging_pushes_at_most_the_cap(
    client_a, creator_a, events, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("huntaze.fans.services_crm.MAX_BULK_EVENTS", 2)
    monkeypatch.setattr("huntaze.fans.services_crm.BULK_BATCH", 2)
    fans = [FanFactory(creator=creator_a, tags=[]) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_a.post(
            "/api/v1/fans/bulk-tags",
            {"tag": "vip", "all_matching": True},
            content_type="application/json",
        )

    assert answer.json()["changed"] == 3
    assert sorted(p["fan_id"] for *_, p in events) == sorted(f.id for f in fans)[:2]
