"""Browser tests: the app served by Django's live server (a thread of this process, on the
test database), driven by Playwright on Debian's Chromium. Skipped only when Chromium is
not installed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


# Package scope: Playwright's sync API keeps an event loop running in this thread while it
# lives, which would break the async tests of other packages run after these.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; while it lives, Django would
    # refuse the ORM calls of the tests themselves (creating users, reading rows) as if they
    # came from async code. Allowed here only, not for the rest of the session.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """What the page complained about: console errors (CSP violations among them) and
    uncaught script errors."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    IGNORED_PATHS = ("/favicon.ico",)  # asked for by the browser itself

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed load is reported with its URL by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.messages.append(message.text)

    def _response(self, response) -> None:
        if (
            response.status >= 400
            and not response.url.endswith(self.IGNORED_PATHS)
            and response.request.resource_type != "document"  # a page may answer 4xx on purpose
        ):
            self.messages.append(f"{response.status} {response.url}")


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, page_problems):
    page = context.new_page()
    page_problems.attach(page)
    return page


@pytest.fixture
def phone_page(browser, page_problems):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-US"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page_problems.attach(page)
    yield page
    context.close()


@pytest.fixture
def member(live_server):
    """A signed-up owner of one workspace, with the factories' password."""
    from tests.factories import CreatorFactory, MembershipFactory, UserFactory

    user = UserFactory(email="browser.owner@example.com", language="en")
    MembershipFactory(user=user, creator=CreatorFactory(name="Browser Studio"), role="owner")
    return user


def log_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/home")
