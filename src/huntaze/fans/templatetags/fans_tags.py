"""Template filters of the fans pages."""

from __future__ import annotations

from django import template

from huntaze.fans.presentation import money

register = template.Library()


@register.filter
def cents(value: int | None, currency: str = "USD") -> str:
    """Integer cents as money in `currency` ("" when unknown)."""
    return money(value, currency)
