"""The Fans CRM in a browser: the table with its filters, then a segment built, previewed and
saved with the rule builder."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def fans(member, live_server, page):
    # The live server's first answer loads every URL module: allow it more than the default.
    page.goto(f"{live_server.url}/login", timeout=60_000)
    from tests.factories import FanFactory

    creator = member.memberships.get().creator
    FanFactory(
        creator=creator,
        username="whale_one",
        display_name="Whale",
        total_spent_cents=80_000,
        tags=["vip"],
    )
    FanFactory(
        creator=creator,
        username="vip_small",
        display_name="Small",
        total_spent_cents=1_500,
        tags=["vip"],
    )
    FanFactory(creator=creator, username="quiet", display_name="Quiet", total_spent_cents=0)
    return creator


def test_filter_the_table_and_save_a_previewed_segment(
    page, live_server, member, fans, page_problems
):
    log_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/onlyfans/fans")

    table = page.locator("table.fan-table tbody")
    assert table.locator("tr").count() == 3
    assert page.locator("nav#sidebar a[aria-current=page]").inner_text() == "Fans"

    page.get_by_label("Search").fill("whale")
    page.wait_for_function("document.querySelectorAll('table.fan-table tbody tr').length === 1")
    assert "@whale_one" in table.inner_text()

    page.locator("#segment-builder summary").click()
    page.get_by_label("amount").fill("100")
    page.get_by_role("button", name="Add a condition").click()
    second = page.locator(".segment-condition").nth(1)
    second.get_by_label("Field").select_option("tags")
    second.get_by_label("Values, separated by commas").fill("vip")
    page.get_by_role("button", name="Preview").click()

    count = page.locator("#segment-count")
    count.wait_for(state="visible")
    assert count.inner_text() == "1 fans match"
    assert page.locator(".segment-sample a").all_inner_texts() == ["Whale"]

    page.get_by_label("Segment name").fill("Big VIPs")
    page.locator("#segment-save").click()
    page.wait_for_url("**/onlyfans/fans?segment=*")
    assert page.locator(".chip[aria-current=true]").inner_text().startswith("Big VIPs")
    assert table.locator("tr").count() == 1
    assert page_problems.messages == []


def test_a_bad_rule_shows_the_servers_message(page, live_server, member, fans, page_problems):
    log_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/onlyfans/fans")
    page.locator("#segment-builder summary").click()
    page.get_by_role("button", name="Preview").click()

    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert alert.inner_text() == "Condition 1: fill in its value."

    page.get_by_label("amount").fill("-5")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_function(
        "document.querySelector('[role=alert]').textContent.includes('rules.conditions.0.value')"
    )
    assert page.locator("#segment-count").is_hidden()
