"""The inbox's team features in a real browser: moving through the fan list with the keyboard
(j / k and the arrows, Enter opens), then assigning the open conversation to a chatter from the
chat header and pinning it; the rows and the database follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

WEBSOCKET_NOISE = "WebSocket"  # the live server speaks WSGI only: inbox.js's socket cannot open


@pytest.fixture
def workspace(live_server):
    from tests.factories import (
        ConversationFactory,
        CreatorFactory,
        FanFactory,
        MembershipFactory,
        UserFactory,
    )

    creator = CreatorFactory(name="Team Studio")
    owner = UserFactory(email="team.owner@example.com", language="en")
    chatter = UserFactory(email="chloe@example.com", name="Chloe Chatter", language="en")
    MembershipFactory(user=owner, creator=creator, role="owner")
    MembershipFactory(user=chatter, creator=creator, role="chatter")
    now = timezone.now()
    conversations = [
        ConversationFactory(
            creator=creator,
            fan=FanFactory(creator=creator, display_name=name, total_spent_cents=spend),
            last_message_at=now - timedelta(minutes=number),
            last_message_preview=f"hello from {name}",
        )
        for number, (name, spend) in enumerate(
            [("Alice", 150_000), ("Bruno", 6_000), ("Chiara", 0)]
        )
    ]
    return {"owner": owner, "chatter": chatter, "conversations": conversations}


@pytest.fixture
def patient_page(page):
    """The machine is shared: the first load of the static files may be slow."""
    page.set_default_timeout(30_000)
    return page


def test_keyboard_navigation_then_assignment_and_pin(
    patient_page, live_server, workspace, page_problems
):
    page = patient_page
    from huntaze.inbox.models import Conversation

    alice, bruno, _chiara = workspace["conversations"]
    log_in(page, live_server.url, workspace["owner"].email)
    page.goto(f"{live_server.url}/onlyfans/messages")
    focused = "document.activeElement.closest('.conversation-row')?.dataset.conversationId"

    # j moves down from the top, k back up, the arrows too
    page.keyboard.press("j")
    assert page.evaluate(focused) == str(alice.id)
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.evaluate(focused) == str(_chiara.id)
    page.keyboard.press("k")
    assert page.evaluate(focused) == str(bruno.id)
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused) == str(alice.id)
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == str(bruno.id)
    # Enter opens the focused conversation
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/onlyfans/messages/{bruno.id}*")
    assert page.locator("#chat-title").inner_text() == "Bruno"
    # Typing j in the search box types, it does not move
    page.locator("#inbox-search").focus()
    page.keyboard.press("j")
    assert page.locator("#inbox-search").input_value() == "j"
    page.locator("#inbox-search").fill("")

    # Assign Bruno's conversation to the chatter from the chat header
    select = page.locator("#chat-assignee")
    page.wait_for_selector("#chat-assignee[data-loaded=true]")
    select.select_option(label="Chloe Chatter")
    page.locator("#chat-team-status", has_text="Saved").wait_for()
    row = page.locator(f'.conversation-row[data-conversation-id="{bruno.id}"]')
    row.locator(".badge-assignee", has_text="Chloe Chatter").wait_for()
    stored = Conversation.objects.for_creator(bruno.creator_id).get(id=bruno.id)
    assert stored.assigned_to_id == workspace["chatter"].id

    # Pin it
    pin = page.locator("#chat-pin")
    pin.click()
    page.wait_for_selector("#chat-pin[aria-pressed=true]")
    row = page.locator(f'.conversation-row[data-conversation-id="{bruno.id}"]')
    row.locator(".badge-pinned").wait_for()
    assert Conversation.objects.for_creator(bruno.creator_id).get(id=bruno.id).is_pinned
    assert [m for m in page_problems.messages if WEBSOCKET_NOISE not in m] == []


def test_the_pinned_and_tier_filters_narrow_the_list(patient_page, live_server, workspace):
    page = patient_page
    from huntaze.inbox.models import Conversation

    alice, bruno, _chiara = workspace["conversations"]
    Conversation.objects.for_creator(alice.creator_id).filter(id=alice.id).update(is_pinned=True)
    log_in(page, live_server.url, workspace["owner"].email)
    page.goto(f"{live_server.url}/onlyfans/messages")
    rows = page.locator(".conversation-row")
    assert rows.count() == 3

    page.locator(".inbox-more-filters summary").click()
    page.locator("#inbox-tier").select_option("mid")
    page.wait_for_function("document.querySelectorAll('.conversation-row').length === 1")
    assert rows.first.get_attribute("data-conversation-id") == str(bruno.id)

    page.locator("#inbox-tier").select_option("")
    page.locator("#inbox-pinned").check()
    page.wait_for_function(
        f"""(() => {{ const r = document.querySelectorAll('.conversation-row');
        return r.length === 1 && r[0].dataset.conversationId === '{alice.id}'; }})()"""
    )
