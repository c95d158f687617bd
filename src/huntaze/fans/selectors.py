"""Fan reads, scoped to one creator."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.fans.models import Fan

FAN_SORTS = {
    "spend": "-total_spent_cents",
    "-spend": "total_spent_cents",
    "recent": "-joined_at",
    "last_purchase": "-last_purchase_at",
    "name": "username",
}


def fan_list(
    *, creator_id: int, search: str = "", sort: str = "spend", subscription_state: str = ""
) -> QuerySet[Fan]:
    if sort not in FAN_SORTS:
        raise ValidationFailed.on_field("sort", f"sort must be one of {', '.join(FAN_SORTS)}.")
    queryset = Fan.objects.for_creator(creator_id)
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search) | Q(display_name__icontains=search)
        )
    if subscription_state:
        queryset = queryset.filter(subscription_state=subscription_state)
    return queryset.order_by(FAN_SORTS[sort], "id")


def fan_get(*, creator_id: int, fan_id: int) -> Fan:
    fan = Fan.objects.for_creator(creator_id).filter(id=fan_id).first()
    if fan is None:
        raise NotFound("No such fan.")
    return fan
