"""Opening a conversation from the list swaps in only the chat and the fan context (the pane):
the list keeps its element, rows and scroll, the URL is the conversation's (with the list's
filters), the composer, the "/" scripts, the vault picker and the live suggestions work for the
new conversation over the WebSocket already open, and Back shows the previous conversation.

Served over ASGI (uvicorn, see test_inbox_live.py) for the WebSocket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.browser.test_inbox_live import INGEST, asgi_server  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous"),
]

LIST = "document.getElementById('conversation-list')"


@pytest.fixture
def inbox(live_server):
    """An owner and 40 conversations: Alice's is the newest, Bella's the oldest (the list's
    last row, below the fold)."""
    from tests.factories import (
        ConversationFactory,
        CreatorFactory,
        FanFactory,
        MembershipFactory,
        MessageFactory,
        ScriptFactory,
        UserFactory,
    )

    creator = CreatorFactory(name="Pane Studio")
    owner = UserFactory(email="pane.owner@example.com", language="en", name="Olivia")
    MembershipFactory(user=owner, creator=creator, role="owner")
    ScriptFactory(creator=creator, shortcode="hello", title="Greeting", text="Hi {fan_name}!")
    now = timezone.now()
    names = ["Alice", *[f"Fan {number:02d}" for number in range(38)], "Bella"]
    conversations = []
    for number, name in enumerate(names):
        conversation = ConversationFactory(
            creator=creator,
            fan=FanFactory(creator=creator, display_name=name, username=f"user{number}"),
            last_message_at=now - timedelta(minutes=number),
            last_message_preview=f"hello from {name}",
        )
        MessageFactory(
            conversation=conversation,
            text=f"hello from {name}",
            sent_at=now - timedelta(minutes=number),
        )
        conversations.append(conversation)
    return {"owner": owner, "alice": conversations[0], "bella": conversations[-1]}


def test_a_conversation_opened_from_the_list_swaps_only_the_pane(
    browser,
    asgi_server,  # noqa: F811
    inbox,
    page_problems,
):
    from huntaze.inbox.models import Message

    alice, bella = inbox["alice"], inbox["bella"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page_problems.attach(page)
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    try:
        # Given Alice's conversation open, the list filtered and scrolled to its end
        log_in(page, asgi_server, inbox["owner"].email)
        page.goto(f"{asgi_server}/onlyfans/messages/{alice.id}?q=a")
        page.wait_for_selector("#live-status.is-live")
        assert page.locator(".conversation-row").count() == 40
        page.evaluate(f"{LIST}.dataset.marker = 'kept'")
        page.evaluate(f"{LIST}.scrollTop = {LIST}.scrollHeight")
        scroll_top = page.evaluate(f"{LIST}.scrollTop")
        assert scroll_top > 0

        # When Bella's row is clicked
        bella_row = page.locator(f'.conversation-row[data-conversation-id="{bella.id}"]')
        bella_row.locator("a").click()

        # Then Bella's chat and context show, in place of Alice's
        page.locator("#chat-title", has_text="Bella").wait_for()
        assert page.locator("#message-list .message", has_text="hello from Bella").count() == 1
        assert page.locator("#message-list .message", has_text="hello from Alice").count() == 0
        assert page.locator("#context-title").inner_text() == "Bella"
        assert page.locator("#composer").get_attribute("data-conversation-id") == str(bella.id)
        # And the list is the same element, with its rows and its scroll
        assert page.evaluate(f"{LIST}.dataset.marker") == "kept"
        assert page.locator(".conversation-row").count() == 40
        assert page.evaluate(f"{LIST}.scrollTop") == scroll_top
        # And the URL is Bella's, with the list's filters; her row is the current one
        assert page.url == f"{asgi_server}/onlyfans/messages/{bella.id}?q=a"
        assert page.title() == "Bella · Messages · Huntaze"
        assert bella_row.locator("a").get_attribute("aria-current") == "page"
        assert "is-active" in (bella_row.get_attribute("class") or "")
        alice_row = page.locator(f'.conversation-row[data-conversation-id="{alice.id}"]')
        assert alice_row.locator("a").get_attribute("aria-current") is None
        assert page.evaluate("document.activeElement.id") == "chat-title"

        # When a script is picked with "/" in Bella's composer, it names Bella
        text = page.locator("#composer-text")
        text.click()
        text.press_sequentially("/hel")
        page.locator("#script-picker").wait_for(state="visible")
        text.press("Enter")
        assert text.input_value() == "Hi Bella!"
        # And the vault picker opens and closes
        page.locator("#composer-vault-open").click()
        page.locator("#vault-picker[open]").wait_for()
        page.locator("#vault-close").click()
        page.locator("#vault-picker[open]").wait_for(state="detached")

        # When a message is sent in Bella's conversation
        text.fill("Hello Bella, from the pane")
        text.press("Enter")
        # Then it shows in her chat and is stored in her conversation
        page.locator("#message-list .message-out", has_text="from the pane").wait_for()
        sent = Message.objects.for_creator(bella.creator_id).get(text="Hello Bella, from the pane")
        assert sent.conversation_id == bella.id

        # When Bella writes, her message and its suggestions arrive over the same WebSocket
        status = page.evaluate(
            INGEST,
            {
                "items": [
                    {
                        "platform_message_id": "pane-fan-1",
                        "fan": {
                            "platform_fan_id": bella.fan.platform_fan_id,
                            "username": bella.fan.username,
                        },
                        "direction": "in",
                        "text": "so what are you up to tonight?",
                        "sent_at": datetime.now(UTC).isoformat(),
                    }
                ]
            },
        )
        assert status == 200
        page.locator("#message-list .message-in", has_text="up to tonight").wait_for()
        suggestions = page.locator("#suggestion-list .suggestion-use")
        suggestions.first.wait_for()
        assert suggestions.count() == 3
        suggestions.first.click()
        assert text.input_value() == suggestions.first.get_attribute("data-text")

        # When Back is pressed, Alice's conversation shows again, the list still the same
        page.go_back()
        page.locator("#chat-title", has_text="Alice").wait_for()
        assert page.url == f"{asgi_server}/onlyfans/messages/{alice.id}?q=a"
        assert page.locator("#message-list .message", has_text="hello from Alice").count() == 1
        assert page.evaluate(f"{LIST}.dataset.marker") == "kept"
        assert alice_row.locator("a").get_attribute("aria-current") == "page"
        assert bella_row.locator("a").get_attribute("aria-current") is None
        # And the WebSocket was opened once, never again
        assert sockets == [asgi_server.replace("http", "ws") + "/ws/workspace/"]
        assert page_problems.messages == []
    finally:
        context.close()
