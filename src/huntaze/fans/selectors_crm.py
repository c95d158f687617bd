"""Reads of the fans CRM: the fan table (search, filters, sorts, bounded pages), saved
segments, and what the fan table exports. Every query reads the fans the acting member may see
(`fans_visible`: one creator's, and only their assigned fans for a limited chatter) and is
ordered along an index of `fans` (see the model's Meta)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.fields import Platform
from huntaze.fans.models import Fan, Segment, SubscriptionState
from huntaze.fans.segments import (
    SMART_LISTS,
    rules_q,
    segment_fan_queryset,
    segment_matches,
)
from huntaze.fans.selectors import fans_visible, is_database_id
from huntaze.inbox.selectors import is_limited_to_assigned

PAGE_SIZE = 50
MAX_PAGE = 200  # offsets stay bounded (10,000 rows): past that, narrow the search
MAX_SEARCH_LENGTH = 100
EXPORT_BATCH = 1000
SAMPLE_SIZE = 5


def _desc_nulls_last(column: str) -> OrderBy:
    return F(column).desc(nulls_last=True)


# Each sort follows an index of `fans` (creator, column...), ties broken by id.
TABLE_SORTS: dict[str, tuple[Any, ...]] = {
    "spend": ("-total_spent_cents", "-id"),
    "spend_asc": ("total_spent_cents", "id"),
    "joined": ("-joined_at", "-id"),
    "joined_asc": ("joined_at", "id"),
    "last_purchase": (_desc_nulls_last("last_purchase_at"), "-id"),
    "ltv": (_desc_nulls_last("ltv_cents"), "-id"),
    "churn_risk": (_desc_nulls_last("churn_risk"), "-id"),
    "name": ("username", "id"),
}


@dataclass(frozen=True)
class FanTableFilters:
    search: str = ""
    subscription_state: str = ""
    platform: str = ""
    tag: str = ""
    segment_id: int | None = None
    smart_list: str = ""
    sort: str = "spend"

    def cleaned(self) -> FanTableFilters:
        """The same filters, trimmed; ValidationFailed naming the bad one."""
        search = " ".join(self.search.split())
        if len(search) > MAX_SEARCH_LENGTH or "\x00" in search:
            raise ValidationFailed.on_field(
                "search",
                _("search: at most %(max)d characters.") % {"max": MAX_SEARCH_LENGTH},
            )
        _check_choice("sort", self.sort, list(TABLE_SORTS))
        _check_choice("subscription_state", self.subscription_state, SubscriptionState.values)
        _check_choice("platform", self.platform, Platform.values)
        _check_choice("list", self.smart_list, list(SMART_LISTS))
        if self.segment_id is not None and not is_database_id(self.segment_id):
            raise NotFound(_("No such segment."))
        return replace(self, search=search, tag=" ".join(self.tag.split()).lower()[:30])

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.search
            or self.subscription_state
            or self.platform
            or self.tag
            or self.segment_id
            or self.smart_list
        )


def _check_choice(field: str, value: str, allowed: list[str]) -> None:
    if value and value not in allowed:
        raise ValidationFailed.on_field(
            field,
            _("%(field)s: use one of %(values)s.") % {"field": field, "values": ", ".join(allowed)},
        )


def fan_table_queryset(*, actor: Actor, filters: FanTableFilters) -> QuerySet[Fan]:
    """The fans `actor` may see matching `filters`, in the chosen order."""
    filters = filters.cleaned()
    creator_id = actor.creator_id
    if filters.segment_id is not None:
        queryset = segment_fan_queryset(creator_id=creator_id, segment_id=filters.segment_id)
    elif filters.smart_list:
        queryset = segment_matches(
            creator_id=creator_id, rules=SMART_LISTS[filters.smart_list].rules
        )
    else:
        queryset = Fan.objects.for_creator(creator_id)
    queryset = fans_visible(actor=actor, queryset=queryset)
    if filters.tag:
        queryset = queryset.filter(
            rules_q(
                {
                    "match": "all",
                    "conditions": [{"field": "tags", "op": "has", "value": filters.tag}],
                }
            )
        )
    if filters.search:
        queryset = queryset.filter(
            Q(username__icontains=filters.search) | Q(display_name__icontains=filters.search)
        )
    if filters.subscription_state:
        queryset = queryset.filter(subscription_state=filters.subscription_state)
    if filters.platform:
        queryset = queryset.filter(platform=filters.platform)
    return queryset.order_by(*TABLE_SORTS[filters.sort])


@dataclass(frozen=True)
class FanTablePage:
    items: list[Fan]
    number: int
    total: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.number < min(self.page_count, MAX_PAGE)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def is_truncated(self) -> bool:
        """More rows match than pages can reach: narrow the search to see them."""
        return self.page_count > MAX_PAGE

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items)


def fan_table_page(
    *, actor: Actor, filters: FanTableFilters, number: int = 1, page_size: int = PAGE_SIZE
) -> FanTablePage:
    """One page (1-based, at most MAX_PAGE) of the fan table, and the count of matches."""
    if not 1 <= number <= MAX_PAGE:
        raise ValidationFailed.on_field(
            "page",
            _("page: from 1 to %(max)d; narrow the search to reach further rows.")
            % {"max": MAX_PAGE},
        )
    queryset = fan_table_queryset(actor=actor, filters=filters)
    offset = (number - 1) * page_size
    items = list(queryset[offset : offset + page_size])
    total = queryset.count() if items or number > 1 else 0
    return FanTablePage(items=items, number=number, total=total, page_size=page_size)


EXPORT_COLUMNS = (
    "id",
    "platform",
    "username",
    "display_name",
    "joined_at",
    "subscription_state",
    "subscription_expires_at",
    "total_spent_cents",
    "purchases_count",
    "last_purchase_at",
    "tags",
    "ltv_cents",
    "churn_risk",
)


def fan_export_batches(
    *, actor: Actor, filters: FanTableFilters, batch_size: int = EXPORT_BATCH
) -> Iterator[list[tuple[Any, ...]]]:
    """The matching fans as rows of EXPORT_COLUMNS, in batches walked by primary key (keyset):
    memory stays bounded whatever the number of fans. Validates the filters at once."""
    base = fan_table_queryset(actor=actor, filters=filters).order_by("id")
    return _batches(base.values_list(*EXPORT_COLUMNS), batch_size)


def _batches(base: QuerySet[Any], batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    last_id = 0
    while True:
        batch = list(base.filter(id__gt=last_id)[:batch_size])
        if not batch:
            return
        yield batch
        last_id = batch[-1][0]
        if len(batch) < batch_size:
            return


# Segments ---------------------------------------------------------------------------------------


def segment_list(*, creator_id: int) -> list[Segment]:
    return list(Segment.objects.for_creator(creator_id).order_by("name", "id"))


def segment_list_visible(*, actor: Actor) -> list[Segment]:
    """The creator's segments; for a limited chatter, each `fan_count` counts only the fans
    they may see (all the segments in one aggregate query), so no total leaks."""
    segments = segment_list(creator_id=actor.creator_id)
    return _counted_visible(actor=actor, segments=segments)


def _counted_visible(*, actor: Actor, segments: list[Segment]) -> list[Segment]:
    if not segments or not is_limited_to_assigned(actor):
        return segments
    counts = fans_visible(actor=actor).aggregate(
        **{
            f"segment_{segment.id}": Count("id", filter=rules_q(segment.rules))
            for segment in segments
        }
    )
    for segment in segments:
        segment.fan_count = counts[f"segment_{segment.id}"]
    return segments


def segment_get_visible(*, actor: Actor, segment_id: int) -> Segment:
    """One of the creator's segments, its `fan_count` as `segment_list_visible` counts it."""
    segment = segment_get(creator_id=actor.creator_id, segment_id=segment_id)
    return segment_counted_visible(actor=actor, segment=segment)


def segment_counted_visible(*, actor: Actor, segment: Segment) -> Segment:
    """`segment` with its `fan_count` as `segment_list_visible` counts it (for what a write
    answers)."""
    return _counted_visible(actor=actor, segments=[segment])[0]


def segment_fan_list(*, actor: Actor, segment_id: int) -> QuerySet[Fan]:
    """The fans of saved segment `segment_id` that `actor` may see, biggest spenders first.
    NotFound when the segment is not this creator's."""
    queryset = segment_fan_queryset(creator_id=actor.creator_id, segment_id=segment_id)
    return fans_visible(actor=actor, queryset=queryset).order_by("-total_spent_cents", "-id")


def segment_get(*, creator_id: int, segment_id: int) -> Segment:
    if not is_database_id(segment_id):
        raise NotFound(_("No such segment."))
    segment = Segment.objects.for_creator(creator_id).filter(id=segment_id).first()
    if segment is None:
        raise NotFound(_("No such segment."))
    return segment


@dataclass(frozen=True)
class SegmentPreview:
    count: int
    sample: list[Fan]


def segment_preview(*, actor: Actor, rules: object) -> SegmentPreview:
    """How many of the fans `actor` may see `rules` match now, and the biggest spenders among
    them."""
    queryset = fans_visible(
        actor=actor, queryset=segment_matches(creator_id=actor.creator_id, rules=rules)
    )
    sample = list(queryset.order_by("-total_spent_cents", "-id")[:SAMPLE_SIZE])
    return SegmentPreview(count=queryset.count(), sample=sample)
