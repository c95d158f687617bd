"""The composer's static parts (its fields, the AI tools, the vault picker) are rendered once
per language and reused: each page still shows the reader's language, its own conversation and
its own CSRF token."""

from __future__ import annotations

import re

import pytest

from huntaze.core.templatetags.fragment_cache import fragment_cache_clear
from tests.factories import ConversationFactory
from tests.helpers import page_in_language, texts_missing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("language_reset")]

ENGLISH = [
    ">Send</button>",
    ">Rewrite</button>",
    ">Attach selected</button>",
    ">Send again anyway<",
]
FRENCH = [
    ">Envoyer</button>",
    ">Reformuler</button>",
    ">Joindre la sélection</button>",
    ">Renvoyer quand même<",
]


@pytest.fixture(autouse=True)
def _forget_fragments():
    fragment_cache_clear()
    yield
    fragment_cache_clear()


def test_each_page_has_its_language_conversation_and_token(client_a, creator_a):
    # Given two conversations
    first, second = ConversationFactory.create_batch(2, creator=creator_a)

    # When the first is read in English, the second in French, the first in English again
    pages = [
        page_in_language(client_a, f"/onlyfans/messages/{first.id}", "en"),
        page_in_language(client_a, f"/onlyfans/messages/{second.id}/pane", "fr"),
        page_in_language(client_a, f"/onlyfans/messages/{first.id}", "en"),
    ]

    # Then each shows its language's labels only
    assert [texts_missing(html, ENGLISH) for html in pages] == [[], ENGLISH, []]
    assert [texts_missing(html, FRENCH) for html in pages] == [FRENCH, [], FRENCH]
    # and its own conversation on the composer (the AI tools read it from there)
    composer_ids = [re.findall(r'id="composer" data-conversation-id="(\d+)"', h) for h in pages]
    assert composer_ids == [[str(first.id)], [str(second.id)], [str(first.id)]]
    ai_tools = [re.findall(r'<div class="ai-tools" id="ai-tools"[^>]*>', html) for html in pages]
    assert [len(tags) for tags in ai_tools] == [1, 1, 1]
    assert [tags[0] for tags in ai_tools if "data-conversation-id" in tags[0]] == []
    # and a CSRF token of its own, in the composer form
    tokens = [
        re.findall(
            r'id="composer" data-conversation-id="\d+" novalidate>\s*'
            r'<input type="hidden" name="csrfmiddlewaretoken" value="(\w+)">',
            html,
        )
        for html in pages
    ]
    assert [len(found) for found in tokens] == [1, 1, 1]
    assert len({found[0] for found in tokens}) == 3
