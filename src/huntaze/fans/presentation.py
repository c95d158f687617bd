"""How the fans pages show money."""

from __future__ import annotations

from huntaze.core.money import money_format


def money(cents: int | None, currency: str) -> str:
    """Integer cents as money in the active language ("$1,234.50", "1 234,50 $US"); "" when
    unknown: nothing is made up."""
    if cents is None:
        return ""
    return money_format(cents, currency)
