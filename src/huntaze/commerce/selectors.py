"""Commerce reads, scoped to one creator."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from huntaze.commerce.models import Transaction, TransactionType
from huntaze.core.errors import ValidationFailed
from huntaze.core.timeutils import utc_or_invalid


def transaction_list(
    *,
    creator_id: int,
    type: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Transaction]:
    if type and type not in TransactionType.values:
        raise ValidationFailed.on_field(
            "type", f"type must be one of {', '.join(TransactionType.values)}."
        )
    since = utc_or_invalid(since, field="since") if since else None
    until = utc_or_invalid(until, field="until") if until else None
    if since and until and since > until:
        raise ValidationFailed.on_field("since", "since must be before until.")
    queryset = Transaction.objects.for_creator(creator_id)
    if type:
        queryset = queryset.filter(type=type)
    if since:
        queryset = queryset.filter(occurred_at__gte=since)
    if until:
        queryset = queryset.filter(occurred_at__lt=until)
    return queryset.order_by("-occurred_at", "-id")
