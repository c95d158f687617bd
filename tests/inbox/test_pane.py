"""The conversation pane (/onlyfans/messages/<id>/pane): the chat and the fan context of one
conversation without the page or the list, with its config, in bounded queries; 404 alike for
another creator's conversation and a limited chatter's unassigned one."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import ConversationFactory, FanFactory
from tests.helpers import thread_with_question

pytestmark = pytest.mark.django_db


def _pane_config(html: str) -> dict:
    start = html.index('id="inbox-pane-config"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


@pytest.fixture
def conversation(creator_a):
    fan = FanFactory(creator=creator_a, display_name="Bella", username="bella")
    conversation = ConversationFactory(creator=creator_a, fan=fan, unread_count=2)
    thread_with_question(conversation)
    return conversation


def test_the_pane_renders_the_chat_and_the_context_without_the_page(
    client_a, creator_a, conversation, django_assert_max_num_queries
):
    # Given 20 other conversations (the pane renders no list: its queries do not grow with them)
    for number in range(20):
        ConversationFactory(creator=creator_a, last_message_preview=f"other {number}")

    # When the pane is asked for, with the list's filters
    with django_assert_max_num_queries(9):
        response = client_a.get(f"/onlyfans/messages/{conversation.id}/pane?unread=1&q=bel")

    # Then it holds the chat and the fan context, and nothing of the page around them
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<section class="inbox-chat"') == 1
    assert html.count('<aside class="inbox-context"') == 1
    assert html.count('class="message message-') == 30  # the latest page
    assert "line 39" in html
    assert "Load older messages" in html
    assert "A suggested answer" in html
    assert 'id="composer"' in html
    assert 'id="chat-team"' in html
    assert 'id="fan-panel"' in html
    assert "Fan since" in html
    assert '<h2 id="chat-title" tabindex="-1">Bella</h2>' in html
    assert 'href="/onlyfans/messages?q=bel&amp;unread=1"' in html  # the chat's way back
    assert "conversation-row" not in html
    assert "<html" not in html
    assert 'id="inbox-config"' not in html
    assert _pane_config(html) == {
        "conversation_id": conversation.id,
        "unread_count": 2,
        "currency": "USD",
        "is_fan_waiting": True,
        "title": "Bella · Messages · Huntaze",
    }


def test_the_pane_and_the_page_render_the_same_columns(client_a, conversation):
    # When the page and the pane of one conversation are rendered
    page = client_a.get(f"/onlyfans/messages/{conversation.id}").content.decode()
    pane = client_a.get(f"/onlyfans/messages/{conversation.id}/pane").content.decode()

    # Then the pane's columns are the page's, byte for byte (CSRF tokens aside)
    def columns(html: str) -> str:
        start = html.index('<section class="inbox-chat"')
        end = html.index("</aside>", start) + len("</aside>")
        return html[start:end]

    def unmasked(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert unmasked(columns(pane)) == unmasked(columns(page))
    assert "inbox-pane-config" not in page


def test_another_creators_conversation_has_no_pane(client_a, creator_b):
    conversation = ConversationFactory(creator=creator_b)

    response = client_a.get(f"/onlyfans/messages/{conversation.id}/pane")

    assert response.status_code == 404
    assert "inbox-chat" not in response.content.decode()


def test_a_limited_chatter_gets_no_pane_of_an_unassigned_conversation(
    signed_in, creator_a, chatter, limited
):
    # Given a chatter limited to their assigned conversations
    mine = ConversationFactory(creator=creator_a, assigned_to=chatter)
    other = ConversationFactory(creator=creator_a)
    client = signed_in(chatter, creator_a)

    # Then their own conversation's pane opens, another's is not found
    assert client.get(f"/onlyfans/messages/{mine.id}/pane").status_code == 200
    response = client.get(f"/onlyfans/messages/{other.id}/pane")
    assert response.status_code == 404
    assert "inbox-chat" not in response.content.decode()


def test_the_pane_of_a_missing_conversation_is_404(client_a):
    assert client_a.get("/onlyfans/messages/999999/pane").status_code == 404


def test_an_analyst_reads_the_pane_without_a_composer(creator_a, member_of, signed_in):
    analyst = member_of(creator_a, "analyst")
    conversation = ConversationFactory(creator=creator_a)

    response = signed_in(analyst, creator_a).get(f"/onlyfans/messages/{conversation.id}/pane")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="composer"' not in html
    assert "composer-readonly" in html
    assert _pane_config(html)["conversation_id"] == conversation.id


def test_signed_out_the_pane_goes_to_login(client, creator_a):
    conversation = ConversationFactory(creator=creator_a)

    response = client.get(f"/onlyfans/messages/{conversation.id}/pane")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")
