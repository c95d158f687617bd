"""Log in through the form, land on /home with the sidebar; on a phone the menu button opens
the sidebar."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_log_in_and_see_the_sidebar(page, live_server, member, page_problems):
    log_in(page, live_server.url, member.email)

    sidebar = page.locator("nav#sidebar")
    assert page.url == f"{live_server.url}/home"
    assert sidebar.is_visible()
    assert sidebar.locator("a").count() >= 3
    assert page.locator("nav#sidebar a[aria-current=page]").count() >= 1
    assert page_problems.messages == []


def test_a_wrong_password_stays_on_the_login_page(page, live_server, member):
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", member.email)
    page.fill("input[name=password]", "not the password")
    page.locator("main form button[type=submit]").click()

    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/login")
    assert page.locator("nav#sidebar").count() == 0


def test_on_a_phone_the_menu_button_opens_the_sidebar(
    phone_page, live_server, member, page_problems
):
    log_in(phone_page, live_server.url, member.email)
    sidebar = phone_page.locator("nav#sidebar")
    menu = phone_page.get_by_role("button", name="Menu")
    assert sidebar.is_hidden()
    assert menu.get_attribute("aria-expanded") == "false"

    menu.click()

    sidebar.wait_for(state="visible")
    assert menu.get_attribute("aria-expanded") == "true"
    assert sidebar.locator("a").first.is_visible()
    assert page_problems.messages == []


def test_choosing_another_workspace_switches_to_it(page, live_server, member, page_problems):
    from tests.factories import CreatorFactory, MembershipFactory

    second = CreatorFactory(name="Zeta Agency Client")
    MembershipFactory(user=member, creator=second, role="manager")
    log_in(page, live_server.url, member.email)

    with page.expect_navigation(timeout=5_000):
        page.select_option("#workspace-select", str(second.id))

    assert page.locator("#workspace-select").input_value() == str(second.id)
    assert page_problems.messages == []
