"""The segment rule compiler: every field and operator against real rows, and bad input named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.fans.models import Segment
from huntaze.fans.segments import (
    FIELDS,
    SMART_LISTS,
    catalogue,
    operators_for,
    rules_clean,
    segment_fan_queryset,
    segment_matches,
    smart_list_fan_queryset,
)
from tests.factories import FanFactory

pytestmark = pytest.mark.django_db


def _rules(field, op, value=None, match="all"):
    condition = {"field": field, "op": op}
    if value is not None:
        condition["value"] = value
    return {"match": match, "conditions": [condition]}


def _names(creator, rules) -> set[str]:
    return set(
        segment_matches(creator_id=creator.id, rules=rules).values_list("username", flat=True)
    )


@pytest.fixture
def fans(creator_a, creator_b):
    now = timezone.now()
    made = {
        "whale": FanFactory(
            creator=creator_a,
            username="whale",
            total_spent_cents=50_000,
            purchases_count=12,
            last_purchase_at=now - timedelta(days=2),
            subscription_state="active",
            tags=["vip", "whale"],
            ltv_cents=90_000,
            churn_risk=0.1,
            platform="onlyfans",
            joined_at=datetime(2024, 1, 10, tzinfo=UTC),
        ),
        "lapsed": FanFactory(
            creator=creator_a,
            username="lapsed",
            total_spent_cents=2_000,
            purchases_count=1,
            last_purchase_at=now - timedelta(days=90),
            subscription_state="expired",
            tags=["vip"],
            ltv_cents=2_500,
            churn_risk=0.8,
            platform="fansly",
            joined_at=datetime(2025, 3, 1, tzinfo=UTC),
        ),
        "new": FanFactory(
            creator=creator_a,
            username="new",
            total_spent_cents=0,
            subscription_state="expiring",
            tags=[],
            platform="onlyfans",
            joined_at=now - timedelta(days=3),
        ),
    }
    # Creator B's fan matches everything loose: it must never show up for A.
    FanFactory(creator=creator_b, username="theirs", total_spent_cents=99_999, tags=["vip"])
    return made


CASES = [
    ("spend_cents", "gte", 2_000, {"whale", "lapsed"}),
    ("spend_cents", "lte", 2_000, {"lapsed", "new"}),
    ("spend_cents", "gt", 2_000, {"whale"}),
    ("spend_cents", "lt", 2_000, {"new"}),
    ("spend_cents", "eq", 0, {"new"}),
    ("spend_cents", "between", [1_000, 60_000], {"whale", "lapsed"}),
    ("purchases_count", "gte", 1, {"whale", "lapsed"}),
    ("purchases_count", "lt", 1, {"new"}),
    ("purchases_count", "eq", 12, {"whale"}),
    ("purchases_count", "lte", 1, {"lapsed", "new"}),
    ("purchases_count", "gt", 1, {"whale"}),
    ("purchases_count", "between", [1, 1], {"lapsed"}),
    ("last_purchase", "within_days", 30, {"whale"}),
    ("last_purchase", "more_than_days", 30, {"lapsed"}),
    ("last_purchase", "never", None, {"new"}),
    ("last_purchase", "after", "2000-01-01", {"whale", "lapsed"}),
    ("last_purchase", "before", "2100-01-01", {"whale", "lapsed"}),
    ("subscription_state", "is", "active", {"whale"}),
    ("subscription_state", "is_not", "active", {"lapsed", "new"}),
    ("subscription_state", "in", ["expired", "expiring"], {"lapsed", "new"}),
    ("tags", "has", "vip", {"whale", "lapsed"}),
    ("tags", "has_any", ["whale", "nope"], {"whale"}),
    ("tags", "has_all", ["vip", "whale"], {"whale"}),
    ("tags", "has_none", ["vip"], {"new"}),
    ("ltv_cents", "gte", 2_500, {"whale", "lapsed"}),
    ("ltv_cents", "lt", 100_000, {"whale", "lapsed"}),  # unknown LTV never matches
    ("ltv_cents", "lte", 2_500, {"lapsed"}),
    ("ltv_cents", "gt", 2_500, {"whale"}),
    ("ltv_cents", "eq", 2_500, {"lapsed"}),
    ("ltv_cents", "between", [0, 10_000], {"lapsed"}),
    ("ltv_cents", "known", None, {"whale", "lapsed"}),
    ("ltv_cents", "unknown", None, {"new"}),
    ("churn_risk", "gte", 0.5, {"lapsed"}),
    ("churn_risk", "lte", 0.5, {"whale"}),
    ("churn_risk", "gt", 0.1, {"lapsed"}),
    ("churn_risk", "lt", 0.8, {"whale"}),
    ("churn_risk", "between", [0, 1], {"whale", "lapsed"}),
    ("churn_risk", "known", None, {"whale", "lapsed"}),
    ("churn_risk", "unknown", None, {"new"}),
    ("platform", "is", "fansly", {"lapsed"}),
    ("platform", "is_not", "fansly", {"whale", "new"}),
    ("platform", "in", ["onlyfans"], {"whale", "new"}),
    ("joined", "within_days", 30, {"new"}),
    ("joined", "more_than_days", 30, {"whale", "lapsed"}),
    ("joined", "after", "2025-01-01", {"lapsed", "new"}),
    ("joined", "before", "2025-01-01", {"whale"}),
]


@pytest.mark.parametrize(("field", "op", "value", "expected"), CASES)
def test_each_field_and_operator_selects_the_right_fans(
    creator_a, fans, field, op, value, expected
):
    assert _names(creator_a, _rules(field, op, value)) == expected


def test_the_cases_cover_every_field_and_operator():
    covered = {(field, op) for field, op, _value, _expected in CASES}
    every = {(field, op) for field in FIELDS for op in operators_for(field)}
    assert every - covered == set()


def test_any_and_all_and_nested_groups(creator_a, fans):
    spend = {"field": "spend_cents", "op": "gte", "value": 10_000}
    expiring = {"field": "subscription_state", "op": "is", "value": "expiring"}
    assert _names(creator_a, {"match": "any", "conditions": [spend, expiring]}) == {"whale", "new"}
    assert _names(creator_a, {"match": "all", "conditions": [spend, expiring]}) == set()
    nested = {
        "match": "all",
        "conditions": [
            {"field": "tags", "op": "has", "value": "vip"},
            {
                "match": "any",
                "conditions": [spend, {"field": "platform", "op": "is", "value": "fansly"}],
            },
        ],
    }
    assert _names(creator_a, nested) == {"whale", "lapsed"}


def test_an_empty_group_matches_every_fan_of_the_creator_only(creator_a, fans):
    assert _names(creator_a, {"match": "all", "conditions": []}) == {"whale", "lapsed", "new"}


def test_a_tag_is_matched_whole_not_as_a_substring(creator_a, fans):
    FanFactory(creator=creator_a, username="vipish", tags=["vip fan", "avip"])
    assert _names(creator_a, _rules("tags", "has", "vip")) == {"whale", "lapsed"}
    assert _names(creator_a, _rules("tags", "has", "VIP ")) == {"whale", "lapsed"}


BAD_RULES = [
    (_rules("favourite_colour", "is", "red"), "rules.conditions.0.field", "unknown segment field"),
    (_rules("spend_cents", "contains", 1), "rules.conditions.0.op", "unknown operator"),
    (_rules("tags", "gte", 1), "rules.conditions.0.op", "unknown operator"),
    (_rules("spend_cents", "gte", "lots"), "rules.conditions.0.value", "amount in cents"),
    (_rules("spend_cents", "gte", -1), "rules.conditions.0.value", "amount in cents"),
    (_rules("spend_cents", "gte", True), "rules.conditions.0.value", "amount in cents"),
    (_rules("spend_cents", "between", [5, 1]), "rules.conditions.0.value", "from"),
    (_rules("spend_cents", "between", [1]), "rules.conditions.0.value", "two values"),
    (_rules("churn_risk", "gte", 1.5), "rules.conditions.0.value", "from 0 to 1"),
    (_rules("joined", "within_days", 0), "rules.conditions.0.value", "number of days"),
    (_rules("joined", "after", "2025-13-01"), "rules.conditions.0.value", "YYYY-MM-DD"),
    (_rules("subscription_state", "is", "gold"), "rules.conditions.0.value", "one of"),
    (_rules("platform", "in", []), "rules.conditions.0.value", "list of 1"),
    (_rules("tags", "has_any", ["ok", ""]), "rules.conditions.0.value.1", "tag of 1"),
    (_rules("ltv_cents", "known", 5), "rules.conditions.0.value", "takes no value"),
    ({"match": "most", "conditions": []}, "rules.match", "all"),
    ({"match": "all", "conditions": "x"}, "rules.conditions", "list"),
    ({"match": "all", "conditions": [3]}, "rules.conditions.0", "group"),
    ([1, 2], "rules", "group"),
    ({"match": "all", "conditions": [], "extra": 1}, "rules", "unknown key"),
]


@pytest.mark.parametrize(("rules", "place", "words"), BAD_RULES)
def test_bad_rules_are_refused_naming_the_place(creator_a, rules, place, words):
    with pytest.raises(ValidationFailed) as caught:
        segment_matches(creator_id=creator_a.id, rules=rules)
    assert list(caught.value.field_errors) == [place]
    assert place in caught.value.message
    assert words in caught.value.message


def test_too_many_conditions_and_too_deep_groups_are_refused():
    many = {"match": "all", "conditions": [_rules("spend_cents", "gte", 1)["conditions"][0]] * 31}
    with pytest.raises(ValidationFailed, match="at most 30 conditions"):
        rules_clean(many)
    deep: dict = {"match": "all", "conditions": []}
    for _level in range(4):
        deep = {"match": "all", "conditions": [deep]}
    with pytest.raises(ValidationFailed, match="nest at most"):
        rules_clean(deep)


def test_a_saved_segment_needs_a_condition():
    with pytest.raises(ValidationFailed) as caught:
        rules_clean({"match": "all", "conditions": []}, require_condition=True)
    assert list(caught.value.field_errors) == ["rules.conditions"]


def test_segment_fan_queryset_reads_a_saved_segment_of_this_creator_only(
    creator_a, creator_b, fans
):
    segment = Segment.all_creators.create(
        creator=creator_a, name="VIPs", rules=_rules("tags", "has", "vip")
    )
    found = segment_fan_queryset(creator_id=creator_a.id, segment_id=segment.id)
    assert {fan.username for fan in found} == {"whale", "lapsed"}
    with pytest.raises(NotFound):
        segment_fan_queryset(creator_id=creator_b.id, segment_id=segment.id)
    with pytest.raises(NotFound):
        segment_fan_queryset(creator_id=creator_a.id, segment_id=2**70)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("big_spenders", {"whale"}),
        ("expiring", {"new"}),
        ("expired", {"lapsed"}),
        ("never_spent", {"new"}),
        ("at_risk", {"lapsed"}),
    ],
)
def test_smart_lists(creator_a, fans, slug, expected):
    found = smart_list_fan_queryset(creator_id=creator_a.id, slug=slug)
    assert {fan.username for fan in found} == expected
    assert set(SMART_LISTS) == {"big_spenders", "expiring", "expired", "never_spent", "at_risk"}


def test_an_unknown_smart_list_is_named(creator_a):
    with pytest.raises(ValidationFailed) as caught:
        smart_list_fan_queryset(creator_id=creator_a.id, slug="whales")
    assert list(caught.value.field_errors) == ["list"]


def test_the_catalogue_lists_every_field_with_its_operators():
    by_field = {item["field"]: item for item in catalogue()}
    assert set(by_field) == set(FIELDS)
    assert [op["op"] for op in by_field["ltv_cents"]["ops"]] == list(operators_for("ltv_cents"))
    assert by_field["subscription_state"]["choices"][0] == {"value": "active", "label": "Active"}
    assert {op["op"]: op["takes_value"] for op in by_field["last_purchase"]["ops"]}[
        "never"
    ] is False
