"""The fans CRM API: segments (CRUD, preview, fans), smart lists, the rule catalogue and bulk
tags, by role and across creators."""

from __future__ import annotations

import json

import pytest

from huntaze.fans.models import Fan, Segment
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db

SEGMENTS = "/api/v1/fans/segments"
VIP_RULES = {"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "vip"}]}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def vip_fans(creator_a):
    return [
        FanFactory(creator=creator_a, username="v1", tags=["vip"], total_spent_cents=100),
        FanFactory(creator=creator_a, username="v2", tags=["vip"], total_spent_cents=900),
        FanFactory(creator=creator_a, username="plain", tags=[]),
    ]


def test_create_list_get_update_delete_a_segment(client_a, creator_a, vip_fans):
    created = _post(client_a, SEGMENTS, {"name": " VIPs ", "rules": VIP_RULES})
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "VIPs"
    assert body["fan_count"] == 2
    assert body["rules"] == VIP_RULES

    assert [s["name"] for s in client_a.get(SEGMENTS).json()] == ["VIPs"]
    assert client_a.get(f"{SEGMENTS}/{body['id']}").json()["fan_count"] == 2

    fans = client_a.get(f"{SEGMENTS}/{body['id']}/fans").json()
    assert [f["username"] for f in fans["items"]] == ["v2", "v1"]

    everyone = {"match": "all", "conditions": [{"field": "spend_cents", "op": "gte", "value": 0}]}
    updated = _put(client_a, f"{SEGMENTS}/{body['id']}", {"rules": everyone})
    assert updated.status_code == 200
    assert updated.json()["fan_count"] == 3
    assert updated.json()["name"] == "VIPs"

    assert client_a.delete(f"{SEGMENTS}/{body['id']}").status_code == 204
    assert not Segment.all_creators.filter(creator=creator_a).exists()


def test_preview_counts_and_samples_without_saving(client_a, creator_a, vip_fans):
    response = _post(client_a, f"{SEGMENTS}/preview", {"rules": VIP_RULES})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert [f["username"] for f in response.json()["sample"]] == ["v2", "v1"]
    assert not Segment.all_creators.exists()


def test_an_unknown_field_gets_a_clear_message(client_a, creator_a):
    rules = {"match": "all", "conditions": [{"field": "shoe_size", "op": "gte", "value": 42}]}
    response = _post(client_a, SEGMENTS, {"name": "Odd", "rules": rules})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert list(body["field_errors"]) == ["rules.conditions.0.field"]
    assert "unknown segment field “shoe_size”" in body["message"]
    assert not Segment.all_creators.exists()
    preview = _post(client_a, f"{SEGMENTS}/preview", {"rules": rules})
    assert preview.status_code == 422


def test_names_are_unique_per_creator(client_a, creator_a, creator_b):
    Segment.all_creators.create(creator=creator_b, name="VIPs", rules=VIP_RULES)
    assert _post(client_a, SEGMENTS, {"name": "VIPs", "rules": VIP_RULES}).status_code == 201
    again = _post(client_a, SEGMENTS, {"name": "vips", "rules": VIP_RULES})
    assert again.status_code == 409
    assert list(again.json()["field_errors"]) == ["name"]
    assert Segment.all_creators.filter(creator=creator_a).count() == 1


def test_a_segment_without_conditions_or_name_is_refused(client_a):
    empty = _post(client_a, SEGMENTS, {"name": "All", "rules": {"match": "all", "conditions": []}})
    assert empty.status_code == 422
    assert list(empty.json()["field_errors"]) == ["rules.conditions"]
    nameless = _post(client_a, SEGMENTS, {"name": "  ", "rules": VIP_RULES})
    assert list(nameless.json()["field_errors"]) == ["name"]


def test_an_analyst_reads_but_does_not_write_segments(creator_a, member_of, signed_in, vip_fans):
    segment = Segment.all_creators.create(creator=creator_a, name="VIPs", rules=VIP_RULES)
    client = signed_in(member_of(creator_a, "analyst"), creator_a)

    assert client.get(SEGMENTS).status_code == 200
    assert _post(client, f"{SEGMENTS}/preview", {"rules": VIP_RULES}).json()["count"] == 2
    assert _post(client, SEGMENTS, {"name": "Mine", "rules": VIP_RULES}).status_code == 403
    assert _put(client, f"{SEGMENTS}/{segment.id}", {"name": "Renamed"}).status_code == 403
    assert client.delete(f"{SEGMENTS}/{segment.id}").status_code == 403
    bulk = _post(client, "/api/v1/fans/bulk-tags", {"tag": "x", "fan_ids": [vip_fans[0].id]})
    assert bulk.status_code == 403
    assert list(Segment.all_creators.values_list("name", flat=True)) == ["VIPs"]
    assert Fan.all_creators.get(id=vip_fans[0].id).tags == ["vip"]


def test_a_chatter_may_write_segments(creator_a, member_of, signed_in):
    client = signed_in(member_of(creator_a, "chatter"), creator_a)
    assert _post(client, SEGMENTS, {"name": "Mine", "rules": VIP_RULES}).status_code == 201


def test_b_cannot_reach_a_segments(creator_a, creator_b, owner_b, signed_in):
    segment = Segment.all_creators.create(creator=creator_a, name="Secret", rules=VIP_RULES)
    client = signed_in(owner_b, creator_b)

    assert client.get(f"{SEGMENTS}/{segment.id}").status_code == 404
    assert client.get(f"{SEGMENTS}/{segment.id}/fans").status_code == 404
    assert _put(client, f"{SEGMENTS}/{segment.id}", {"name": "Mine"}).status_code == 404
    assert client.delete(f"{SEGMENTS}/{segment.id}").status_code == 404
    assert client.get(SEGMENTS).json() == []
    assert Segment.all_creators.get(id=segment.id).name == "Secret"


def test_bulk_tags_by_ids_and_all_matching(client_a, creator_a, vip_fans):
    v1, v2, plain = vip_fans
    by_ids = _post(
        client_a, "/api/v1/fans/bulk-tags", {"tag": "promo", "fan_ids": [v1.id, plain.id]}
    )
    assert by_ids.json() == {"changed": 2, "unchanged": 0, "skipped_full": 0}

    segment = Segment.all_creators.create(creator=creator_a, name="VIPs", rules=VIP_RULES)
    removed = _post(
        client_a,
        "/api/v1/fans/bulk-tags",
        {"tag": "promo", "action": "remove", "all_matching": True, "segment_id": segment.id},
    )
    assert removed.json() == {"changed": 1, "unchanged": 1, "skipped_full": 0}
    assert Fan.all_creators.get(id=v1.id).tags == ["vip"]
    assert Fan.all_creators.get(id=plain.id).tags == ["promo"]


def test_bulk_tags_with_another_creators_fan_change_nothing(client_a, creator_a, creator_b):
    mine = FanFactory(creator=creator_a, tags=[])
    theirs = FanFactory(creator=creator_b, tags=[])
    response = _post(
        client_a, "/api/v1/fans/bulk-tags", {"tag": "x", "fan_ids": [mine.id, theirs.id]}
    )
    assert response.status_code == 404
    assert Fan.all_creators.get(id=mine.id).tags == []
    assert Fan.all_creators.get(id=theirs.id).tags == []


def test_bulk_tags_bad_input_is_named(client_a, creator_a):
    fan = FanFactory(creator=creator_a)
    bad_action = _post(
        client_a, "/api/v1/fans/bulk-tags", {"tag": "x", "action": "flip", "fan_ids": [fan.id]}
    )
    assert list(bad_action.json()["field_errors"]) == ["action"]
    long_tag = _post(client_a, "/api/v1/fans/bulk-tags", {"tag": "x" * 31, "fan_ids": [fan.id]})
    assert list(long_tag.json()["field_errors"]) == ["tag"]
    none = _post(client_a, "/api/v1/fans/bulk-tags", {"tag": "x", "fan_ids": []})
    assert list(none.json()["field_errors"]) == ["fan_ids"]


def test_the_catalogue_and_smart_lists(client_a):
    fields = client_a.get(f"{SEGMENTS}/fields").json()
    assert [f["field"] for f in fields][:3] == ["spend_cents", "purchases_count", "last_purchase"]
    lists = client_a.get("/api/v1/fans/smart-lists").json()
    assert [item["slug"] for item in lists] == [
        "big_spenders",
        "expiring",
        "expired",
        "never_spent",
        "at_risk",
    ]
