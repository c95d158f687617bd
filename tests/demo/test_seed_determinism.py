"""seed_demo is deterministic: the same seed gives the same data, another seed other data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from huntaze.core.models import Creator
from huntaze.fans.models import Fan
from huntaze.web.demo import demo_reset, seed_demo
from tests.demo.aggregates import demo_aggregates
from tests.factories import CreatorFactory

pytestmark = pytest.mark.slow

ANCHOR = datetime(2025, 6, 1, 12, tzinfo=UTC)


def test_the_same_seed_gives_identical_data(db):
    seed_demo(size="small", seed=7, anchor=ANCHOR)
    first = demo_aggregates()
    demo_reset()

    seed_demo(size="small", seed=7, anchor=ANCHOR)
    second = demo_aggregates()

    assert second == first
    assert first["fans"]["count"] == 2_000
    assert len(first["creators"]) == 3
    assert 36_000 <= sum(row["count"] for row in first["messages"]) <= 44_000


def test_another_seed_gives_other_data(db):
    seed_demo(size="small", seed=7, anchor=ANCHOR)
    first = demo_aggregates()
    demo_reset()

    seed_demo(size="small", seed=8, anchor=ANCHOR)
    second = demo_aggregates()

    assert second["creators"] == first["creators"]
    assert second["fans"]["count"] == first["fans"]["count"]
    assert second["fans"]["spent"] != first["fans"]["spent"]
    assert second["messages"] != first["messages"]
    assert second["transactions"] != first["transactions"]


def test_if_empty_does_nothing_when_a_creator_exists(db):
    CreatorFactory(name="Somebody's workspace")

    call_command("seed_demo", "--size", "small", "--seed", "1", "--if-empty")

    assert list(Creator.objects.values_list("name", flat=True)) == ["Somebody's workspace"]
    assert Fan.all_creators.count() == 0


def test_seeding_again_without_reset_is_refused_and_changes_nothing(db):
    seed_demo(size="small", seed=7, anchor=ANCHOR)
    before = demo_aggregates()

    with pytest.raises(Exception, match="already exist"):
        call_command("seed_demo", "--size", "small", "--seed", "7")

    assert demo_aggregates() == before
