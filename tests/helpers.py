"""Small helpers shared by tests of several apps."""

from __future__ import annotations

from collections.abc import Iterable

from django.test import Client

NBSP = "\u00a0"  # the no-break space of French money and dates


def texts_missing(html: str, expected: Iterable[str]) -> list[str]:
    """The expected texts that `html` does not contain (assert it is [] to see them all)."""
    return [text for text in expected if text not in html]


def page_in_language(client: Client, url: str, language: str) -> str:
    """The HTML of page `url` read in `language` (asserting it answered 200)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()
