"""How the fans pages show money."""

from __future__ import annotations

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(cents: int | None, currency: str) -> str:
    """Integer cents as "$1,234.50" ("" when unknown: nothing is made up)."""
    if cents is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency, "")
    amount = f"{cents / 100:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"
