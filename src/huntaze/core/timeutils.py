"""Datetimes from the outside world, made safe for the database."""

from __future__ import annotations

from datetime import UTC, datetime

from huntaze.core.errors import ValidationFailed


def utc_or_invalid(value: datetime, *, field: str) -> datetime:
    """`value` in UTC (a naive one is taken as UTC). PostgreSQL refuses offsets beyond ±16 h
    and Python dates before year 1, so those become a 422 naming `field`, not a 500."""
    try:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed.on_field(field, f"{field} is out of range.") from None
