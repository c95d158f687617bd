"""The PPV price suggestion's explanation and amounts in the reader's language (English, French),
on the analytics pricing page and the PPV page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from huntaze.analytics.selectors_models import creator_ppv_price_suggestion
from huntaze.core.money import money_format
from tests.analytics.test_pricing_selectors import NOW, add_ppvs
from tests.helpers import NBSP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("language_reset")]


@pytest.mark.parametrize(
    ("language", "opening", "tried"),
    [
        ("en", "At ${price}, ", "prices tried $5.00 to $25.00)."),
        (
            "fr",
            f"À {{price}}{NBSP}$US, ",
            f"prix essayés de 5,00{NBSP}$US à 25,00{NBSP}$US).",
        ),
    ],
)
def test_the_explanation_writes_prices_the_languages_way(creator_a, language, opening, tried):
    # Given PPVs sold at $5 to $25
    add_ppvs(creator_a)

    # When the suggestion is asked in a language
    with translation.override(language):
        suggestion = creator_ppv_price_suggestion(
            creator_id=creator_a.id, floor_cents=300, ceiling_cents=5000, now=NOW
        )

    # Then its price and the prices tried are written that language's way
    price = suggestion.price_cents / 100
    price_text = f"{price:.2f}" if language == "en" else f"{price:.2f}".replace(".", ",")
    assert opening.format(price=price_text) in suggestion.explanation
    assert suggestion.explanation.endswith(tried)


def test_the_pricing_page_is_cached_per_language(client_a, creator_a):
    # Given PPV history, and the pricing page already seen in French
    add_ppvs(creator_a, sent_at=datetime.now(UTC) - timedelta(days=10))
    french = client_a.get("/analytics/pricing", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    # When it is opened in English within the same hour
    english = client_a.get("/analytics/pricing", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Then each shows the explanation and figures in its own language
    assert f"prix essayés de 5,00{NBSP}$US à 25,00{NBSP}$US" in french
    assert "prices tried $5.00 to $25.00" in english
    assert "prix essayés" not in english


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_ppv_page_shows_the_suggested_price_in_the_language(client_a, creator_a, language):
    # Given PPV history
    add_ppvs(creator_a, sent_at=datetime.now(UTC) - timedelta(days=10))

    # When the PPV page is opened in a language
    response = client_a.get("/onlyfans/ppv", HTTP_ACCEPT_LANGUAGE=language)

    # Then the suggested price is written that language's way, the field's value stays a number
    suggestion = response.context["suggestion"]
    with translation.override(language):
        shown = money_format(suggestion.price_cents, "USD")
    html = response.content.decode()
    assert f"<strong>{shown}</strong>" in html
    assert f'data-price="{suggestion.price_cents / 100:.2f}"' in html
