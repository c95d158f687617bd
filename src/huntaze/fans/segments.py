"""Segment rules: a small JSON rule tree, validated against a whitelist of fields and operators,
compiled to a Django Q on Fan.

    {"match": "all" | "any", "conditions": [condition or nested group, ...]}
    condition: {"field": "spend_cents", "op": "gte", "value": 10000}

Unknown fields, operators or bad values raise ValidationFailed naming the place
(`rules.conditions.2.op`). A fan whose score (LTV, churn risk) is not known yet never matches a
condition on that score: nothing is made up. Relative dates ("within the last 30 days") are
evaluated when the query runs, so a saved segment stays current.

Other apps (inbox, PPV targeting, campaigns, automations) call `segment_fan_queryset` and
`segment_matches`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.fields import Platform
from huntaze.fans.models import Fan, Segment, SubscriptionState
from huntaze.fans.selectors import is_database_id
from huntaze.fans.services import MAX_TAG_LENGTH

MAX_CONDITIONS = 30
MAX_DEPTH = 3
MAX_LIST_VALUES = 20
MAX_CENTS = 10**12
MAX_DAYS = 3650
MATCHES = ("all", "any")


@dataclass(frozen=True)
class FieldSpec:
    column: str
    kind: str  # money, count, ratio, date, choice, tags
    label: Any
    nullable: bool = False
    choices: tuple[tuple[str, Any], ...] = ()


FIELDS: dict[str, FieldSpec] = {
    "spend_cents": FieldSpec("total_spent_cents", "money", gettext_lazy("Total spend")),
    "purchases_count": FieldSpec("purchases_count", "count", gettext_lazy("Purchases")),
    "last_purchase": FieldSpec(
        "last_purchase_at", "date", gettext_lazy("Last purchase"), nullable=True
    ),
    "subscription_state": FieldSpec(
        "subscription_state",
        "choice",
        gettext_lazy("Subscription"),
        choices=tuple(SubscriptionState.choices),
    ),
    "tags": FieldSpec("tags", "tags", gettext_lazy("Tags")),
    "ltv_cents": FieldSpec("ltv_cents", "money", gettext_lazy("Lifetime value"), nullable=True),
    "churn_risk": FieldSpec("churn_risk", "ratio", gettext_lazy("Churn risk"), nullable=True),
    "platform": FieldSpec(
        "platform", "choice", gettext_lazy("Platform"), choices=tuple(Platform.choices)
    ),
    "joined": FieldSpec("joined_at", "date", gettext_lazy("Fan since")),
}

_COMPARE = ("gte", "lte", "gt", "lt", "between")
_NULL_OPS = ("known", "unknown")
OPERATORS: dict[str, tuple[str, ...]] = {
    "money": (*_COMPARE, "eq"),
    "count": (*_COMPARE, "eq"),
    "ratio": _COMPARE,
    "date": ("within_days", "more_than_days", "after", "before"),
    "choice": ("is", "is_not", "in"),
    "tags": ("has", "has_any", "has_all", "has_none"),
}
OPERATOR_LABELS: dict[str, Any] = {
    "gte": gettext_lazy("at least"),
    "lte": gettext_lazy("at most"),
    "gt": gettext_lazy("more than"),
    "lt": gettext_lazy("less than"),
    "eq": gettext_lazy("exactly"),
    "between": gettext_lazy("between"),
    "known": gettext_lazy("is known"),
    "unknown": gettext_lazy("is not known yet"),
    "within_days": gettext_lazy("in the last N days"),
    "more_than_days": gettext_lazy("more than N days ago"),
    "after": gettext_lazy("on or after"),
    "before": gettext_lazy("before"),
    "never": gettext_lazy("never"),
    "is": gettext_lazy("is"),
    "is_not": gettext_lazy("is not"),
    "in": gettext_lazy("is one of"),
    "has": gettext_lazy("has tag"),
    "has_any": gettext_lazy("has any of"),
    "has_all": gettext_lazy("has all of"),
    "has_none": gettext_lazy("has none of"),
}
NO_VALUE_OPS = frozenset({"known", "unknown", "never"})


def operators_for(name: str) -> tuple[str, ...]:
    spec = FIELDS[name]
    extra: tuple[str, ...] = ()
    if spec.nullable:
        extra = ("never",) if spec.kind == "date" else _NULL_OPS
    return OPERATORS[spec.kind] + extra


def catalogue() -> list[dict[str, Any]]:
    """The fields and operators a rule builder offers (labels translated)."""
    return [
        {
            "field": name,
            "label": str(spec.label),
            "kind": spec.kind,
            "choices": [{"value": v, "label": str(label)} for v, label in spec.choices],
            "ops": [
                {"op": op, "label": str(OPERATOR_LABELS[op]), "takes_value": op not in NO_VALUE_OPS}
                for op in operators_for(name)
            ],
        }
        for name, spec in FIELDS.items()
    ]


# Validation -------------------------------------------------------------------------------------


def _fail(place: str, message: str) -> ValidationFailed:
    return ValidationFailed.on_field(place, f"{place}: {message}")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _clean_cents(place: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_CENTS:
        raise _fail(place, _("an amount in cents, a whole number from 0 to 10^12."))
    return value


def _clean_ratio(place: str, value: object) -> float:
    if not _is_number(value) or not 0 <= float(value) <= 1:  # type: ignore[arg-type]
        raise _fail(place, _("a number from 0 to 1."))
    return float(value)  # type: ignore[arg-type]


def _clean_days(place: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_DAYS:
        raise _fail(place, _("a number of days from 1 to %(max)d.") % {"max": MAX_DAYS})
    return value


def _clean_date(place: str, value: object) -> str:
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or len(str(value)) != 10:
        raise _fail(place, _("a date written YYYY-MM-DD."))
    return parsed.isoformat()


def _clean_choice(place: str, value: object, spec: FieldSpec) -> str:
    allowed = [v for v, _label in spec.choices]
    if value not in allowed:
        raise _fail(place, _("one of %(values)s.") % {"values": ", ".join(allowed)})
    return str(value)


def _clean_tag(place: str, value: object) -> str:
    tag = " ".join(value.split()).lower() if isinstance(value, str) else ""
    if not tag or len(tag) > MAX_TAG_LENGTH:
        raise _fail(place, _("a tag of 1 to %(max)d characters.") % {"max": MAX_TAG_LENGTH})
    return tag


def _clean_list(place: str, value: object, clean_one: Callable[[str, object], Any]) -> list[Any]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_LIST_VALUES:
        raise _fail(place, _("a list of 1 to %(max)d values.") % {"max": MAX_LIST_VALUES})
    return [clean_one(f"{place}.{index}", item) for index, item in enumerate(value)]


def _clean_scalar(place: str, value: object, spec: FieldSpec) -> Any:
    if spec.kind in ("money", "count"):
        return _clean_cents(place, value)
    if spec.kind == "ratio":
        return _clean_ratio(place, value)
    if spec.kind == "choice":
        return _clean_choice(place, value, spec)
    return _clean_tag(place, value)


def _clean_value(place: str, op: str, value: object, spec: FieldSpec) -> Any:
    if op in NO_VALUE_OPS:
        if value not in (None, "", []):
            raise _fail(place, _("this operator takes no value."))
        return None
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise _fail(place, _("two values [from, to]."))
        low, high = (_clean_scalar(f"{place}.{i}", v, spec) for i, v in enumerate(value))
        if low > high:
            raise _fail(place, _("“from” must not be above “to”."))
        return [low, high]
    if op in ("within_days", "more_than_days"):
        return _clean_days(place, value)
    if op in ("after", "before"):
        return _clean_date(place, value)
    if op in ("in", "has_any", "has_all", "has_none"):
        return _clean_list(place, value, lambda p, v: _clean_scalar(p, v, spec))
    return _clean_scalar(place, value, spec)


def _clean_condition(place: str, node: dict[str, Any]) -> dict[str, Any]:
    unknown_keys = set(node) - {"field", "op", "value"}
    if unknown_keys:
        raise _fail(place, _("unknown key %(key)s.") % {"key": ", ".join(sorted(unknown_keys))})
    name = node.get("field")
    if not isinstance(name, str) or name not in FIELDS:
        raise _fail(
            f"{place}.field",
            _("unknown segment field “%(field)s”; known fields: %(known)s.")
            % {"field": str(name)[:40], "known": ", ".join(FIELDS)},
        )
    op = node.get("op")
    allowed = operators_for(name)
    if not isinstance(op, str) or op not in allowed:
        raise _fail(
            f"{place}.op",
            _("unknown operator “%(op)s” for %(field)s; use one of %(ops)s.")
            % {"op": str(op)[:40], "field": name, "ops": ", ".join(allowed)},
        )
    value = _clean_value(f"{place}.value", op, node.get("value"), FIELDS[name])
    return {"field": name, "op": op, "value": value}


def _clean_group(place: str, node: object, depth: int, budget: list[int]) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise _fail(place, _("a group {match, conditions} or a condition {field, op, value}."))
    if "field" in node or "op" in node:
        budget[0] += 1
        if budget[0] > MAX_CONDITIONS:
            raise _fail(place, _("at most %(max)d conditions.") % {"max": MAX_CONDITIONS})
        return _clean_condition(place, node)
    if depth > MAX_DEPTH:
        raise _fail(place, _("groups nest at most %(max)d deep.") % {"max": MAX_DEPTH})
    unknown_keys = set(node) - {"match", "conditions"}
    if unknown_keys:
        raise _fail(place, _("unknown key %(key)s.") % {"key": ", ".join(sorted(unknown_keys))})
    match = node.get("match", "all")
    if match not in MATCHES:
        raise _fail(f"{place}.match", _("“all” or “any”."))
    conditions = node.get("conditions", [])
    if not isinstance(conditions, list):
        raise _fail(f"{place}.conditions", _("a list of conditions."))
    return {
        "match": match,
        "conditions": [
            _clean_group(f"{place}.conditions.{index}", child, depth + 1, budget)
            for index, child in enumerate(conditions)
        ],
    }


def rules_clean(rules: object, *, require_condition: bool = False) -> dict[str, Any]:
    """The validated, normalised rule tree. Raises ValidationFailed naming the bad place."""
    cleaned = _clean_group("rules", rules, 1, [0])
    if require_condition and not cleaned["conditions"]:
        raise _fail("rules.conditions", _("add at least one condition."))
    return cleaned


# Compilation ------------------------------------------------------------------------------------


def _has_tag(tag: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])  # jsonb @>
    # Elsewhere the list is stored as JSON text: look for the element, quotes included.
    return Q(Contains(Cast("tags", output_field=TextField()), json.dumps(tag)))


def _day_start(iso_day: str) -> datetime:
    return datetime.combine(date.fromisoformat(iso_day), datetime.min.time(), tzinfo=UTC)


def _compare_q(column: str, op: str, value: Any) -> Q:
    if op == "between":
        return Q(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
    if op == "eq":
        return Q(**{column: value})
    return Q(**{f"{column}__{op}": value})


def _date_q(column: str, op: str, value: Any) -> Q:
    now = timezone.now()
    if op == "within_days":
        return Q(**{f"{column}__gte": now - timedelta(days=value)})
    if op == "more_than_days":
        return Q(**{f"{column}__lt": now - timedelta(days=value)})
    if op == "after":
        return Q(**{f"{column}__gte": _day_start(value)})
    return Q(**{f"{column}__lt": _day_start(value)})


def _tags_q(op: str, value: Any) -> Q:
    if op == "has":
        return _has_tag(value)
    parts = [_has_tag(tag) for tag in value]
    combined = parts[0]
    for part in parts[1:]:
        combined = (combined & part) if op == "has_all" else (combined | part)
    return ~combined if op == "has_none" else combined


def _condition_q(condition: dict[str, Any]) -> Q:
    spec = FIELDS[condition["field"]]
    op, value, column = condition["op"], condition["value"], spec.column
    if op in ("known", "unknown", "never"):
        return Q(**{f"{column}__isnull": op != "known"})
    if spec.kind == "date":
        return _date_q(column, op, value)
    if spec.kind == "tags":
        return _tags_q(op, value)
    if op == "is":
        return Q(**{column: value})
    if op == "is_not":
        return ~Q(**{column: value})
    if op == "in":
        return Q(**{f"{column}__in": value})
    return _compare_q(column, op, value)


def _group_q(group: dict[str, Any]) -> Q:
    combined = Q()
    for child in group["conditions"]:
        part = _group_q(child) if "match" in child else _condition_q(child)
        combined = (combined | part) if group["match"] == "any" else (combined & part)
    return combined


def rules_q(rules: object) -> Q:
    """Validate `rules` and compile them to a Q on Fan (an empty group matches every fan)."""
    return _group_q(rules_clean(rules))


# Public entry points for other apps -------------------------------------------------------------


def segment_matches(*, creator_id: int, rules: object) -> QuerySet[Fan]:
    """The creator's fans matching `rules` (unordered). Raises ValidationFailed on bad rules."""
    return Fan.objects.for_creator(creator_id).filter(rules_q(rules))


def segment_fan_queryset(*, creator_id: int, segment_id: int) -> QuerySet[Fan]:
    """The creator's fans in saved segment `segment_id` (unordered). NotFound when the segment
    is not this creator's."""
    if not is_database_id(segment_id):
        raise NotFound(_("No such segment."))
    rules = (
        Segment.objects.for_creator(creator_id)
        .filter(id=segment_id)
        .values_list("rules", flat=True)
        .first()
    )
    if rules is None:
        raise NotFound(_("No such segment."))
    return segment_matches(creator_id=creator_id, rules=rules)


# Smart lists: built-in rule sets ----------------------------------------------------------------

BIG_SPENDER_CENTS = 10_000
AT_RISK_CHURN = 0.6


def _one(field: str, op: str, value: object) -> dict[str, Any]:
    return {"match": "all", "conditions": [{"field": field, "op": op, "value": value}]}


@dataclass(frozen=True)
class SmartList:
    slug: str
    label: Any
    hint: Any
    rules: dict[str, Any]


SMART_LISTS: dict[str, SmartList] = {
    item.slug: item
    for item in (
        SmartList(
            "big_spenders",
            gettext_lazy("Big spenders"),
            gettext_lazy("Spent $100 or more in total."),
            _one("spend_cents", "gte", BIG_SPENDER_CENTS),
        ),
        SmartList(
            "expiring",
            gettext_lazy("Expiring"),
            gettext_lazy("Subscription ends soon and does not renew."),
            _one("subscription_state", "is", SubscriptionState.EXPIRING.value),
        ),
        SmartList(
            "expired",
            gettext_lazy("Expired"),
            gettext_lazy("Subscription has ended."),
            _one("subscription_state", "is", SubscriptionState.EXPIRED.value),
        ),
        SmartList(
            "never_spent",
            gettext_lazy("Never spent"),
            gettext_lazy("No purchase yet."),
            _one("spend_cents", "eq", 0),
        ),
        SmartList(
            "at_risk",
            gettext_lazy("At risk"),
            gettext_lazy("Churn risk of 60% or more (fans without a score yet are not listed)."),
            _one("churn_risk", "gte", AT_RISK_CHURN),
        ),
    )
}


def smart_list_fan_queryset(*, creator_id: int, slug: str) -> QuerySet[Fan]:
    smart_list = SMART_LISTS.get(slug)
    if smart_list is None:
        raise ValidationFailed.on_field(
            "list", _("list: unknown smart list; use one of %(v)s.") % {"v": ", ".join(SMART_LISTS)}
        )
    return segment_matches(creator_id=creator_id, rules=smart_list.rules)
