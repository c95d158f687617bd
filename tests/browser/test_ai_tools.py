"""The composer's AI tools in a real browser: they change the draft of the open conversation,
also after another conversation was swapped into the pane (#ai-tools is the same HTML for every
conversation: inbox_ai.js takes the conversation from #composer)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.ai.text_tools import text_shorter
from huntaze.core.models import Membership
from tests.browser.conftest import log_in
from tests.factories import ConversationFactory, FanFactory

pytestmark = pytest.mark.browser

DRAFT = "First sentence here. " * 12


def test_shorter_changes_the_draft_of_the_conversation_swapped_in(
    page, live_server, member, page_problems
):
    # Given Maya's conversation open, and Nora's in the list
    creator = Membership.objects.get(user=member).creator
    now = timezone.now()
    maya = ConversationFactory(
        creator=creator, fan=FanFactory(creator=creator, display_name="Maya"), last_message_at=now
    )
    nora = ConversationFactory(
        creator=creator,
        fan=FanFactory(creator=creator, display_name="Nora"),
        last_message_at=now - timedelta(minutes=5),
    )
    page.goto(f"{live_server.url}/login", timeout=60_000)  # the live server's first page is slow
    log_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/onlyfans/messages/{maya.id}")
    changes: list[str] = []
    page.on(
        "request",
        lambda request: changes.append(request.url) if "/composer/change" in request.url else None,
    )

    # When Nora's row is opened (the pane is swapped) and her draft is made shorter
    page.locator(f'.conversation-row[data-conversation-id="{nora.id}"] a').click()
    page.locator("#chat-title", has_text="Nora").wait_for()
    page.locator("#composer-text").fill(DRAFT)
    page.locator('#ai-tools button[data-action="shorter"]').click()

    # Then the change was asked for Nora's conversation and replaced her draft
    page.locator("#ai-tools-status", has_text="offline rules").wait_for()
    assert changes == [f"{live_server.url}/api/v1/conversations/{nora.id}/composer/change"]
    assert page.locator("#composer-text").input_value() == text_shorter(DRAFT.strip())
    assert page.locator("#ai-undo").is_visible()
    # Django's live server has no WebSocket: the live connection's retries are expected here.
    assert [m for m in page_problems.messages if "WebSocket" not in m and "/ws/" not in m] == []
