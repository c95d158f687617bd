"""Fans CRM services and selectors: bulk tagging in batches, segment writes, the table's
queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from huntaze.fans import services_crm
from huntaze.fans.models import Fan, Segment
from huntaze.fans.selectors_crm import FanTableFilters, fan_table_page, segment_preview
from huntaze.fans.services_crm import (
    fan_tags_bulk_change,
    segment_create,
    segment_delete,
    segment_update,
)
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db

VIP = {"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "vip"}]}


@pytest.fixture
def owner(creator_a, owner_a):
    return Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")


def test_all_matching_is_walked_in_bounded_batches(owner, creator_a, monkeypatch):
    monkeypatch.setattr(services_crm, "BULK_BATCH", 2)
    fans = [FanFactory(creator=creator_a, subscription_state="expired") for _ in range(5)]
    FanFactory(creator=creator_a, subscription_state="active")
    batches: list[int] = []
    original = services_crm._tag_batch

    def spy(**kwargs):
        batches.append(len(kwargs["ids"]))
        original(**kwargs)

    monkeypatch.setattr(services_crm, "_tag_batch", spy)

    result = fan_tags_bulk_change(
        actor=owner,
        tag="winback",
        action="add",
        filters=FanTableFilters(subscription_state="expired"),
    )

    assert batches == [2, 2, 1]
    assert (result.changed, result.unchanged, result.skipped_full) == (5, 0, 0)
    assert all(Fan.all_creators.get(id=f.id).tags == ["winback"] for f in fans)


def test_a_fan_with_twenty_tags_is_skipped_not_overfilled(owner, creator_a):
    full = FanFactory(creator=creator_a, tags=[f"t{i}" for i in range(20)])
    room = FanFactory(creator=creator_a, tags=["a"])
    result = fan_tags_bulk_change(actor=owner, tag="new", action="add", fan_ids=[full.id, room.id])
    assert (result.changed, result.skipped_full) == (1, 1)
    assert len(Fan.all_creators.get(id=full.id).tags) == 20
    assert Fan.all_creators.get(id=room.id).tags == ["a", "new"]


def test_a_filter_naming_anothers_segment_tags_nothing(owner, creator_a, creator_b):
    theirs = Segment.all_creators.create(creator=creator_b, name="B", rules=VIP)
    fan = FanFactory(creator=creator_a, tags=["vip"])
    with pytest.raises(NotFound):
        fan_tags_bulk_change(
            actor=owner, tag="x", action="add", filters=FanTableFilters(segment_id=theirs.id)
        )
    assert Fan.all_creators.get(id=fan.id).tags == ["vip"]


def test_segment_writes_count_validate_and_refuse_analysts(owner, creator_a, member_of):
    FanFactory(creator=creator_a, tags=["vip"])
    segment = segment_create(actor=owner, name="VIPs", rules=VIP, description="Top")
    assert (segment.fan_count, segment.description) == (1, "Top")
    assert segment.counted_at is not None

    with pytest.raises(Conflict):
        segment_create(actor=owner, name="vips", rules=VIP)
    other = segment_create(actor=owner, name="Others", rules=VIP)
    with pytest.raises(Conflict):
        segment_update(actor=owner, segment_id=other.id, name="VIPS")
    with pytest.raises(ValidationFailed) as caught:
        segment_update(
            actor=owner,
            segment_id=segment.id,
            rules={"match": "all", "conditions": [{"field": "mood", "op": "is", "value": 1}]},
        )
    assert list(caught.value.field_errors) == ["rules.conditions.0.field"]
    assert Segment.all_creators.get(id=segment.id).rules == VIP

    analyst = Actor(
        creator_id=creator_a.id, user_id=member_of(creator_a, "analyst").id, role="analyst"
    )
    with pytest.raises(PermissionDenied):
        segment_delete(actor=analyst, segment_id=segment.id)
    segment_delete(actor=owner, segment_id=segment.id)
    assert list(Segment.all_creators.values_list("name", flat=True)) == ["Others"]


def _owner_of(creator) -> Actor:
    return Actor(creator_id=creator.id, user_id=None, role="owner")


def test_the_table_page_costs_two_queries_whatever_the_rows(creator_a):
    for index in range(30):
        FanFactory(creator=creator_a, tags=["vip"] if index % 2 else [])
    with CaptureQueriesContext(connection) as queries:
        page = fan_table_page(actor=_owner_of(creator_a), filters=FanTableFilters(tag="vip"))
    assert (len(page.items), page.total) == (15, 15)
    assert len(queries) == 2  # the page and its count


def test_the_preview_counts_and_samples_in_two_queries(creator_a):
    for spend in (100, 900, 500):
        FanFactory(creator=creator_a, total_spent_cents=spend, tags=["vip"])
    actor = _owner_of(creator_a)
    with CaptureQueriesContext(connection) as queries:
        preview = segment_preview(actor=actor, rules=VIP)
    assert preview.count == 3
    assert [fan.total_spent_cents for fan in preview.sample] == [900, 500, 100]
    assert len(queries) == 2
