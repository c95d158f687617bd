"""The inbox live, in two real browsers: the owner and a chatter of one creator have the same
conversation open; what one sends appears in the other's chat; a fan message ingested through
the API appears in both, with its suggestions, and a suggestion clicked goes into the composer;
the facts the fan states reach the other browser's AI memory panel.

Django's live server speaks WSGI only, so the app is served by uvicorn (ASGI: HTTP and the
workspace WebSocket) in a thread of this process, on the live server's test database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from channels.layers import channel_layers

from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # Served over ASGI, WhiteNoise's static files are synchronous iterators: Django warns (once
    # per file) and serves them; the warning is not this test's subject.
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous"),
]

INGEST = """async (body) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const response = await fetch("/api/v1/ingest/messages", {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
    body: JSON.stringify(body),
  });
  return response.status;
}"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def asgi_server(live_server) -> Iterator[str]:
    """The ASGI app under uvicorn in a daemon thread (the live server fixture provides the
    test database shared between threads); yields its base URL."""
    import uvicorn

    from huntaze.config.asgi import application

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    # The server's loop is gone: what it left on the process's channel layer goes with it.
    channel_layers.backends.clear()


@pytest.fixture
def team(live_server):
    """An owner and a chatter of one creator, and a conversation with a fan message."""
    from tests.factories import (
        ConversationFactory,
        CreatorFactory,
        MembershipFactory,
        MessageFactory,
        UserFactory,
    )

    creator = CreatorFactory(name="Live Studio")
    owner = UserFactory(email="live.owner@example.com", language="en", name="Olivia")
    chatter = UserFactory(email="live.chatter@example.com", language="en", name="Chris")
    MembershipFactory(user=owner, creator=creator, role="owner")
    MembershipFactory(user=chatter, creator=creator, role="chatter")
    conversation = ConversationFactory(creator=creator, fan__display_name="Jake")
    MessageFactory(conversation=conversation, text="hey there")
    return {"owner": owner, "chatter": chatter, "conversation": conversation}


def _open(browser, page_problems, base_url: str, email: str, conversation_id: int):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page_problems.attach(page)
    log_in(page, base_url, email)
    page.goto(f"{base_url}/onlyfans/messages/{conversation_id}")
    page.wait_for_selector("#live-status.is-live")
    return context, page


def test_two_browsers_see_each_others_messages_and_the_suggestions(
    browser, asgi_server, team, page_problems
):
    conversation = team["conversation"]
    owner_context, owner = _open(
        browser, page_problems, asgi_server, team["owner"].email, conversation.id
    )
    chatter_context, chatter = _open(
        browser, page_problems, asgi_server, team["chatter"].email, conversation.id
    )
    try:
        # When the owner sends a message
        owner.fill("#composer-text", "Hello from Olivia")
        owner.press("#composer-text", "Enter")
        # Then it appears in the chatter's open chat, without a reload
        chatter.locator("#message-list .message-out", has_text="Hello from Olivia").wait_for()

        # When a fan message comes in through the ingestion API
        status = owner.evaluate(
            INGEST,
            {
                "items": [
                    {
                        "platform_message_id": "live-fan-1",
                        "fan": {
                            "platform_fan_id": conversation.fan.platform_fan_id,
                            "username": conversation.fan.username,
                        },
                        "direction": "in",
                        "text": "aww thanks! I live in Lyon and my dog Rex says hi",
                        "sent_at": datetime.now(UTC).isoformat(),
                    }
                ]
            },
        )
        assert status == 200
        # Then both browsers show it, and the chatter gets its 3 suggestions
        for page in (owner, chatter):
            page.locator("#message-list .message-in", has_text="I live in Lyon").wait_for()
        suggestions = chatter.locator("#suggestion-list .suggestion-use")
        suggestions.first.wait_for()
        assert suggestions.count() == 3
        # And a suggestion clicked goes into the composer, linked to its suggestion
        first = suggestions.first
        text = first.get_attribute("data-text")
        suggestion_id = chatter.locator("#suggestion-list .suggestion").first.get_attribute(
            "data-suggestion-id"
        )
        first.click()
        assert text
        assert chatter.input_value("#composer-text") == text
        assert chatter.input_value("#composer-suggestion") == suggestion_id
        # And the facts the fan stated reach the chatter's open panel
        memory = chatter.locator("#fan-panel .context-memory")
        memory.locator("li", has_text="Lives in Lyon").wait_for()
        assert memory.locator("li", has_text="Has a dog named Rex").count() == 1

        # When the chatter adds a note, the owner's panel shows it
        chatter.fill("#note-new", "Loves his dog Rex")
        chatter.locator("form.note-add button[type=submit]").click()
        owner.locator("#fan-panel .note-text", has_text="Loves his dog Rex").wait_for()
        assert page_problems.messages == []
    finally:
        owner_context.close()
        chatter_context.close()
