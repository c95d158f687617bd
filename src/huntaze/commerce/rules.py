"""PPV bounds shared by the services, the selectors and the pages, and prices typed in forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from huntaze.core.errors import ValidationFailed

# OnlyFans' own bounds for a paid message: $3 minimum, $200 maximum (stated in the brief of
# issues 4 and 5; /work/shared/reference/social-platform-apis.md lists no price limit, and
# OnlyFans publishes no API that states one).
PPV_MIN_PRICE_CENTS = 300
PPV_MAX_PRICE_CENTS = 20_000


def price_cents_of(value: str, *, field: str = "price_cents") -> int:
    """Dollars typed in a form ("12", "12.50") as cents; empty is 0."""
    value = (value or "").strip().replace(",", ".").lstrip("$")
    if not value:
        return 0
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise ValidationFailed.on_field(field, "Give the price in dollars, e.g. 12.50.") from error
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationFailed.on_field(field, "Give the price in dollars, e.g. 12.50.")
    if amount > 1_000_000:
        raise ValidationFailed.on_field(field, "This price is too high.")
    return int(amount * 100)
