"""Analytics pages: figures from the rollups, summed over chosen workspaces, CSV export, bad
ranges answered with a message naming the field, no made-up numbers, tenancy."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from huntaze.analytics.models import (
    ContentPerformance,
    DailyActivity,
    DailyFans,
    DailyFunnel,
    DailyRevenue,
    FanCohort,
)
from huntaze.analytics.services import rollups_rebuild
from huntaze.analytics.services_rollups import funnel_event_record
from huntaze.analytics.views import CACHE_HEADER
from huntaze.commerce.models import Transaction
from tests.factories import FanFactory, TransactionFactory

PAGES = ("", "revenue", "content", "fans", "platforms", "funnel")


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def revenue_row(creator, days_ago: int, amount: int, *, kind="tip", platform="onlyfans", count=1):
    return DailyRevenue.objects.create(
        creator=creator,
        day=today() - timedelta(days=days_ago),
        platform=platform,
        revenue_type=kind,
        amount_cents=amount,
        transactions_count=count,
    )


def url(page: str, **query) -> str:
    path = f"/analytics/{page}"
    if not query:
        return path
    parts = []
    for name, value in query.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            parts.append(f"{name}={item}")
    return path + "?" + "&".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_owner_with_data(client_a, creator_a, page):
    revenue_row(creator_a, 3, 12_345)
    response = client_a.get(url(page))
    assert response.status_code == 200
    assert b"analytics-charts" in response.content


@pytest.mark.parametrize("page", PAGES)
def test_a_chatter_cannot_open_analytics(creator_a, member_of, signed_in, page):
    chatter = member_of(creator_a, "chatter")
    response = signed_in(chatter, creator_a).get(url(page))
    assert response.status_code == 403


def test_overview_sums_the_range_and_compares_with_the_previous_one(client_a, creator_a):
    revenue_row(creator_a, 2, 10_000)
    revenue_row(creator_a, 5, 2_500, kind="ppv", count=2)
    revenue_row(creator_a, 40, 5_000)  # in the previous 30 days
    revenue_row(creator_a, 75, 1)  # history starts before the previous period
    DailyActivity.objects.create(creator=creator_a, day=today(), new_fans=4)
    response = client_a.get(url("", days=30))
    text = response.content.decode()
    assert response.status_code == 200
    assert "$125.00" in text  # 100.00 + 25.00
    assert "+150.0 % vs the previous period" in text
    figures = response.context["view"].figures
    assert [f.value for f in figures[:3]] == ["$125.00", "3", "4"]


def test_the_change_is_not_made_up_without_an_earlier_period(client_a, creator_a):
    revenue_row(creator_a, 2, 10_000)
    response = client_a.get(url("", days=30))
    assert "no earlier period to compare" in response.content.decode()


def test_a_range_before_the_first_data_says_not_enough_history(client_a, creator_a):
    revenue_row(creator_a, 3, 10_000)
    start = (today() - timedelta(days=100)).isoformat()
    end = (today() - timedelta(days=50)).isoformat()
    response = client_a.get(url("revenue", **{"from": start, "to": end}))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Not enough history yet" in text
    assert response.context["view"].figures == []
    assert "analytics-charts" not in text


def test_no_data_at_all_says_not_enough_history(client_a):
    response = client_a.get(url("fans"))
    assert "Not enough history yet" in response.content.decode()
    assert response.context["view"].has_figures is False


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2025-02-10", "to": "2025-02-01"}, "from", "on or before the end date"),
        ({"from": "yesterday"}, "from", "YYYY-MM-DD"),
        ({"to": "2999-01-01"}, "to", "cannot be in the future"),
        ({"from": "2020-01-01", "to": "2024-01-01"}, "from", "at most 731 days"),
        ({"days": "12"}, "days", "Choose 7, 30, 90 or 365 days"),
        ({"creator": "abc"}, "creator", "Choose workspaces"),
    ],
)
def test_a_bad_filter_gets_a_clear_message_and_no_figures(
    client_a, creator_a, query, field, message
):
    revenue_row(creator_a, 3, 10_000)
    response = client_a.get(url("revenue", **query))
    assert response.status_code == 400
    assert message in response.context["field_errors"][field]
    assert message in response.content.decode()
    assert "view" not in response.context


def test_another_creators_workspace_is_not_found_and_unchanged(client_a, creator_b):
    revenue_row(creator_b, 3, 99_999)
    before = list(DailyRevenue.objects.for_creator(creator_b.id).values())
    for page in PAGES:
        response = client_a.get(url(page, creator=creator_b.id))
        assert response.status_code == 404
        assert b"999.99" not in response.content
    assert list(DailyRevenue.objects.for_creator(creator_b.id).values()) == before


def test_an_agency_member_sums_the_chosen_workspaces(creator_a, creator_b, member_of, signed_in):
    agency = member_of(creator_a, "analyst")
    from tests.factories import MembershipFactory

    MembershipFactory(user=agency, creator=creator_b, role="manager")
    revenue_row(creator_a, 2, 10_000)
    revenue_row(creator_b, 2, 5_000, platform="fansly")
    client = signed_in(agency, creator_a)
    both = client.get(url("platforms", creator=[creator_a.id, creator_b.id]))
    assert both.status_code == 200
    assert [f.value for f in both.context["view"].figures[:2]] == ["2", "$150.00"]
    only_a = client.get(url("platforms"))
    assert only_a.context["view"].figures[1].value == "$100.00"


def test_a_workspace_where_the_role_cannot_read_analytics_is_refused(
    creator_a, creator_b, member_of, signed_in
):
    from tests.factories import MembershipFactory

    user = member_of(creator_a, "owner")
    MembershipFactory(user=user, creator=creator_b, role="chatter")
    revenue_row(creator_b, 2, 5_000)
    response = signed_in(user, creator_a).get(url("", creator=creator_b.id))
    assert response.status_code == 404


def test_csv_export_has_the_table_with_raw_values(client_a, creator_a):
    revenue_row(creator_a, 1, 1_050, kind="tip")
    revenue_row(creator_a, 1, 2_000, kind="ppv")
    response = client_a.get(url("revenue", days=7, format="csv", table=0))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Type", "Revenue", "Share", "Transactions"]
    assert rows[1:] == [["ppv", "20.00", "65.57", "1"], ["tip", "10.50", "34.43", "1"]]
    assert client_a.get(url("revenue", format="csv", table=9)).status_code == 400


def test_csv_cells_cannot_run_as_formulas(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    ContentPerformance.objects.create(
        creator=creator_a, kind="post", item_id=1, title="=HYPERLINK(1)", platform="tiktok",
        published_on=today(), views=10,
    )  # fmt: skip
    response = client_a.get(url("content", format="csv"))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_content_lists_items_of_the_range_with_buy_rate(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    ContentPerformance.objects.create(
        creator=creator_a, kind="ppv", item_id=7, title="Beach set", platform="onlyfans",
        published_on=today() - timedelta(days=2), price_cents=1500, sent_count=200,
        purchases_count=50, revenue_cents=75_000,
    )  # fmt: skip
    ContentPerformance.objects.create(
        creator=creator_a, kind="post", item_id=8, title="Old post", platform="tiktok",
        published_on=today() - timedelta(days=200), views=5,
    )  # fmt: skip
    response = client_a.get(url("content", days=30))
    rows = response.context["view"].tables[0].rows
    assert [row[0].display for row in rows] == ["Beach set"]
    assert rows[0][10].display == "25.0 %"


def test_funnel_without_tracked_events_says_so_and_starts_at_subscribe(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    DailyFunnel.objects.create(
        creator=creator_a, day=today(), platform="onlyfans", stage="subscribe", count=10
    )
    DailyFunnel.objects.create(
        creator=creator_a, day=today(), platform="onlyfans", stage="first_purchase", count=4
    )
    response = client_a.get(url("funnel"))
    text = response.content.decode()
    assert "Visits and follows are not tracked yet" in text
    stages = [row[0].raw for row in response.context["view"].tables[0].rows]
    assert stages == ["subscribe", "first_purchase", "repeat_purchase"]
    assert response.context["view"].tables[0].rows[1][2].display == "40.0 %"


def test_funnel_with_tracked_visits_starts_at_visit(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    funnel_event_record(
        creator_id=creator_a.id, stage="visit", platform="tiktok", occurred_at=timezone.now(),
        count=250,
    )  # fmt: skip
    response = client_a.get(url("funnel"))
    rows = response.context["view"].tables[0].rows
    assert [row[0].raw for row in rows][:2] == ["visit", "follow"]
    assert rows[0][1].raw == 250
    assert "not tracked yet" not in response.content.decode()


def test_fans_page_reads_active_churned_and_cohorts(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    DailyFans.objects.create(creator=creator_a, day=today() - timedelta(days=29), active_fans=100)
    DailyFans.objects.create(creator=creator_a, day=today(), active_fans=90, churned_fans=12)
    month = today().replace(day=1)
    FanCohort.objects.create(
        creator=creator_a, cohort_month=month, month_offset=0, cohort_size=40, paying_fans=10
    )
    response = client_a.get(url("fans", days=30))
    figures = {f.label: f.value for f in response.context["view"].figures}
    assert figures["Churned fans"] == "12"
    assert figures["Churn rate"] == "12.0 %"
    cohort = response.context["view"].tables[1].rows[0]
    assert cohort[1].raw == 40
    assert cohort[2].display == "25.0 %"


def test_rebuild_fills_the_page_rollups_from_raw_rows(creator_a):
    joined = timezone.now() - timedelta(days=3)
    fan = FanFactory(creator=creator_a, joined_at=joined, purchases_count=2, platform="fansly")
    FanFactory(creator=creator_a, joined_at=joined, purchases_count=0)
    TransactionFactory(creator=creator_a, fan=fan, occurred_at=joined + timedelta(hours=1))
    from huntaze.fans.models import Subscription

    Subscription.objects.create(
        creator=creator_a, fan=fan, amount_cents=999, status="expired",
        started_at=joined, expires_at=joined + timedelta(days=1),
    )  # fmt: skip
    day = joined.astimezone(UTC).date()
    rollups_rebuild(creator_id=creator_a.id, day_from=day - timedelta(days=1), day_to=today())
    funnel = {
        (row.platform, row.stage): row.count
        for row in DailyFunnel.objects.for_creator(creator_a.id)
    }
    assert funnel == {
        ("fansly", "subscribe"): 1,
        ("fansly", "first_purchase"): 1,
        ("fansly", "repeat_purchase"): 1,
        ("onlyfans", "subscribe"): 1,
    }
    fans_days = {
        row.day: (row.active_fans, row.churned_fans)
        for row in DailyFans.objects.for_creator(creator_a.id)
    }
    assert fans_days[day] == (1, 0)
    assert fans_days[day + timedelta(days=1)] == (0, 1)
    cohort = FanCohort.objects.for_creator(creator_a.id).get(month_offset=0)
    assert (cohort.cohort_size, cohort.paying_fans) == (2, 1)
    assert Transaction.objects.for_creator(creator_a.id).count() == 1


def test_cache_header_tells_a_miss_then_a_hit(client_a, creator_a):
    revenue_row(creator_a, 1, 100)
    assert client_a.get(url("revenue"))[CACHE_HEADER] == "miss"
    assert client_a.get(url("revenue"))[CACHE_HEADER] == "hit"
    assert client_a.get(url("revenue", days=7))[CACHE_HEADER] == "miss"


def test_dates_before_history_are_flagged(client_a, creator_a):
    revenue_row(creator_a, 3, 100)
    response = client_a.get(url("", days=30))
    assert "the days before count as zero" in response.content.decode()


def test_long_ranges_have_a_row_per_month(client_a, creator_a):
    revenue_row(creator_a, 0, 100)
    revenue_row(creator_a, 1, 200)
    revenue_row(creator_a, 300, 50)
    response = client_a.get(url("revenue", days=365))
    table = response.context["view"].tables[1]
    assert table.title == "Per month"
    assert 12 <= len(table.rows) <= 13
    assert sum(row[-1].raw for row in table.rows) == Decimal("3.50")
    short = client_a.get(url("revenue", days=30)).context["view"].tables[1]
    assert (short.title, len(short.rows)) == ("Per day", 30)


def test_the_content_page_shows_50_items_and_the_csv_has_them_all(client_a, creator_a):
    revenue_row(creator_a, 0, 100)
    ContentPerformance.objects.bulk_create(
        ContentPerformance(
            creator=creator_a, kind="post", item_id=n, title=f"Post {n}", platform="x",
            published_on=today(), views=n,
        )
        for n in range(60)
    )  # fmt: skip
    response = client_a.get(url("content"))
    table = response.context["view"].tables[0]
    assert (len(table.rows), table.total_rows) == (50, 60)
    assert "The first 50 of 60 items" in response.content.decode()
    exported = client_a.get(url("content", format="csv")).content.decode()
    assert len(list(csv.reader(io.StringIO(exported)))) == 61
