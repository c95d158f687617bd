"""money_format: cents as money in the active language."""

from __future__ import annotations

import pytest
from django.utils import translation

from huntaze.core.money import money_format

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "cents", "currency", "expected"),
    [
        ("en", 123456789, "USD", "$1,234,567.89"),
        ("en", 1250, "EUR", "€12.50"),
        ("en", -1250, "GBP", "-£12.50"),
        ("en", 5, "CHF", "0.05 CHF"),
        ("fr", 123456789, "USD", f"1{NBSP}234{NBSP}567,89{NBSP}$US"),
        ("fr", 1250, "EUR", f"12,50{NBSP}€"),
        ("fr", -1250, "GBP", f"-12,50{NBSP}£GB"),
        ("fr", 5, "CHF", f"0,05{NBSP}CHF"),
        ("fr-ca", 1250, "USD", f"12,50{NBSP}$US"),
    ],
)
def test_money_in_the_active_language(language, cents, currency, expected):
    # Given the active language
    with translation.override(language):
        # When formatting an amount
        text = money_format(cents, currency)

    # Then digits, separators and symbol follow the language
    assert text == expected


@pytest.mark.parametrize(
    ("language", "cents", "expected"),
    [("en", 1350, "$14"), ("en", 1250, "$12"), ("fr", 123450, f"1{NBSP}234{NBSP}$US")],
)
def test_whole_units_round_half_to_even(language, cents, expected):
    with translation.override(language):
        assert money_format(cents, "USD", whole=True) == expected
