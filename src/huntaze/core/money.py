"""Money as people read it, in the active language: the one place that turns integer cents into
text for a page ("$1,234.50" in English, "1 234,50 $US" in French).

Machine-readable outputs (CSV exports, JSON, form values) keep plain numbers and never come
here."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from django.utils import translation
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

NO_BREAK_SPACE = "\u00a0"
# The symbol of each currency per language (CLDR's): in French "$" alone would not say which
# dollar. A currency missing here is written with its ISO code.
CURRENCY_SYMBOLS: dict[str, dict[str, str]] = {
    "en": {"USD": "$", "EUR": "€", "GBP": "£"},
    "fr": {"USD": "$US", "EUR": "€", "GBP": "£GB"},
}
# Where the symbol goes: before the amount in English, after it (with a no-break space) in
# French. Languages not listed write money the English way.
SYMBOL_AFTER = {"fr"}


def _language() -> str:
    return (get_language() or "en").split("-")[0].lower()


@lru_cache(maxsize=32)
def _separators(language: str) -> tuple[str, str] | None:
    """The language's (decimal, thousands) separators when it groups digits by three (then
    the amount is written without number_format's per-call cost: the inbox list shows two
    amounts per row); None otherwise."""
    with translation.override(language):
        grouping = get_format("NUMBER_GROUPING")
        if grouping != 3:
            return None
        return str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))


def _digits(units: int, hundredths: int | None, language: str) -> str:
    """`units`(,`hundredths`) grouped and separated like number_format(use_l10n=True,
    force_grouping=True) in `language`."""
    separators = _separators(language)
    if separators is None:
        value = Decimal(units) if hundredths is None else Decimal(units * 100 + hundredths) / 100
        return number_format(
            value, 0 if hundredths is None else 2, use_l10n=True, force_grouping=True
        )
    decimal_separator, thousand_separator = separators
    grouped = f"{units:,}".replace(",", thousand_separator)
    return grouped if hundredths is None else f"{grouped}{decimal_separator}{hundredths:02d}"


def money_format(
    cents: int | float | Decimal, currency: str = "USD", *, whole: bool = False
) -> str:
    """Cents as money in the active language: grouped digits, its decimal separator, the
    currency's symbol where the language puts it. `whole` drops the cents (rounded half to
    even), for prices shown in whole units."""
    language = _language()
    if whole:
        units = int((Decimal(cents) / 100).to_integral_value(ROUND_HALF_EVEN))
        negative = units < 0
        digits = _digits(abs(units), None, language)
    else:
        exact = (
            cents
            if isinstance(cents, int)
            else int(Decimal(cents).to_integral_value(ROUND_HALF_EVEN))
        )
        negative = exact < 0
        units, hundredths = divmod(abs(exact), 100)
        digits = _digits(units, hundredths, language)
    sign = "-" if negative else ""
    code = currency.upper()
    symbol = CURRENCY_SYMBOLS.get(language, CURRENCY_SYMBOLS["en"]).get(code)
    if language in SYMBOL_AFTER:
        return f"{sign}{digits}{NO_BREAK_SPACE}{symbol or code}"
    if symbol is None:
        return f"{sign}{digits} {code}"
    return f"{sign}{symbol}{digits}"
