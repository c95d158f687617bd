"""Analytics in the browser: every page draws its ECharts charts without a CSP or script
error; the filter changes the range; a bad range shows its message; the CSV link downloads."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

PAGES = ("", "revenue", "content", "fans", "platforms", "funnel", "forecast", "churn", "pricing")


@pytest.fixture
def analytics_data(member):
    from huntaze.analytics.models import (
        ContentPerformance,
        DailyActivity,
        DailyFans,
        DailyFunnel,
        DailyRevenue,
        FanCohort,
    )

    creator = member.memberships.get().creator
    today = timezone.now().astimezone(UTC).date()
    for n in range(120):
        day = today - timedelta(days=n + 1)
        DailyRevenue.objects.create(
            creator=creator, day=day, platform="onlyfans" if n % 3 else "fansly",
            revenue_type=("tip", "ppv", "subscription")[n % 3], amount_cents=5_000 + 300 * (n % 7),
            transactions_count=4,
        )  # fmt: skip
        DailyActivity.objects.create(creator=creator, day=day, new_fans=n % 5, messages_out=12)
        DailyFans.objects.create(creator=creator, day=day, active_fans=400 - n, churned_fans=n % 4)
        DailyFunnel.objects.create(
            creator=creator, day=day, platform="onlyfans", stage="subscribe", count=3
        )
    FanCohort.objects.create(
        creator=creator, cohort_month=today.replace(day=1), month_offset=0, cohort_size=20,
        paying_fans=7,
    )  # fmt: skip
    ContentPerformance.objects.create(
        creator=creator, kind="ppv", item_id=1, title="Sunset set", platform="onlyfans",
        published_on=today - timedelta(days=3), price_cents=1200, sent_count=300,
        purchases_count=45, revenue_cents=54_000,
    )  # fmt: skip
    return creator


def test_every_page_draws_its_charts(page, live_server, member, analytics_data, page_problems):
    log_in(page, live_server.url, member.email)
    for slug in PAGES:
        page.goto(f"{live_server.url}/analytics/{slug}")
        heading = page.locator("h1")
        assert heading.is_visible()
        charts = page.locator(".analytics-chart .chart")
        for index in range(charts.count()):
            charts.nth(index).locator("svg").first.wait_for(state="attached")
    assert page_problems.messages == []


def test_the_sidebar_leads_to_the_nine_pages(page, live_server, member, analytics_data):
    log_in(page, live_server.url, member.email)
    links = page.locator("nav#sidebar a[href^='/analytics']")
    assert links.count() == 10  # the section and its nine pages


def test_a_preset_changes_the_range_and_a_bad_range_is_explained(
    page, live_server, member, analytics_data, page_problems
):
    log_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/analytics/revenue")
    page.get_by_role("button", name="7 days").click()
    page.wait_for_url("**days=7**")
    assert "(7 days, UTC)" in page.locator("hgroup").inner_text()

    page.fill("input[name=from]", "2025-03-10")
    page.fill("input[name=to]", "2025-03-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert page.locator("[data-error=filter]").inner_text() == (
        "The start date must be on or before the end date."
    )
    assert page.locator(".analytics-chart").count() == 0
    assert page_problems.messages == []


def test_the_csv_link_downloads_the_table(page, live_server, member, analytics_data):
    log_in(page, live_server.url, member.email)
    page.goto(f"{live_server.url}/analytics/content")
    with page.expect_download() as download_info:
        page.locator("[data-csv]").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("analytics-content-")
    assert "Sunset set" in download.path().read_text(encoding="utf-8")
