"""Small helpers shared by tests of several apps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

NBSP = "\u00a0"  # the no-break space of French money and dates


def texts_missing(html: str, expected: Iterable[str]) -> list[str]:
    """The expected texts that `html` does not contain (assert it is [] to see them all)."""
    return [text for text in expected if text not in html]


def page_in_language(client: Client, url: str, language: str) -> str:
    """The HTML of page `url` read in `language` (asserting it answered 200)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def thread_with_question(conversation: Any) -> Any:
    """40 messages alternating fan and team ("line 0" to "line 39", a minute apart), then the
    fan's question with a pending model suggestion "A suggested answer". Returns the question."""
    from huntaze.inbox.models import Suggestion
    from tests.factories import MessageFactory

    for number in range(40):
        MessageFactory(
            conversation=conversation,
            direction="in" if number % 2 else "out",
            text=f"line {number}",
            sent_at=timezone.now() - timedelta(minutes=40 - number),
        )
    question = MessageFactory(conversation=conversation, text="the fan's question")
    Suggestion.all_creators.create(
        creator=conversation.creator,
        message=question,
        text="A suggested answer",
        source="model",
        model="m1",
    )
    return question
