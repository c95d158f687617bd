"""The daily AI summary: through the AI router (in-process local engine), metered, idempotent
per period, never made up from an empty week, shown on the overview with its confidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from huntaze.analytics.models import (
    AIInsight,
    DailyActivity,
    DailyRevenue,
    InsightSnapshot,
    InsightSummary,
)
from huntaze.analytics.services_insights import insight_confidence, insight_summary_run
from huntaze.analytics.tasks import insights_summary_daily
from huntaze.billing.models import UsageLog

NOW = datetime(2025, 6, 15, 6, 0, tzinfo=UTC)
YESTERDAY = NOW.date() - timedelta(days=1)


@pytest.fixture(autouse=True)
def _embedded_router(settings):
    settings.AI_ROUTER_URL = ""


def week_of_sales(
    creator, *, days=7, amount=10_000, count=10, platform="onlyfans", last_day=YESTERDAY
):
    for offset in range(days):
        DailyRevenue.objects.create(
            creator=creator, day=last_day - timedelta(days=offset), platform=platform,
            revenue_type="tip", amount_cents=amount, transactions_count=count,
        )  # fmt: skip


def test_a_week_of_sales_is_summarised_stored_and_metered(creator_a):
    week_of_sales(creator_a)
    week_of_sales(creator_a, days=2, platform="fansly", amount=500, count=1)
    DailyActivity.objects.create(creator=creator_a, day=YESTERDAY, new_fans=3, messages_out=9)

    run = insight_summary_run(creator_id=creator_a.id, now=NOW)

    assert (run.status, run.period) == ("created", YESTERDAY.isoformat())
    assert run.confidence == 1.0  # 7 active days, 72 transactions
    insight = AIInsight.objects.for_creator(creator_a.id).get()
    assert (insight.source, insight.type, insight.period) == (
        "ai_summary", "weekly_summary", "2025-06-14",
    )  # fmt: skip
    assert insight.data["metrics"]["revenue"] == {"current": 710.0, "previous": 0.0}
    assert "revenue" in insight.data["summary"]
    platforms = set(
        InsightSummary.objects.for_creator(creator_a.id).values_list("platform", flat=True)
    )
    assert platforms == {"onlyfans", "fansly"}
    assert InsightSnapshot.objects.for_creator(creator_a.id).count() == 3
    # One router call for the business, one per platform: each metered.
    assert (
        UsageLog.all_creators.filter(creator=creator_a, feature="analytics_insight_summary").count()
        == 3
    )


def test_a_rerun_of_the_same_period_changes_nothing_and_bills_nothing(creator_a):
    week_of_sales(creator_a)
    first = insight_summary_run(creator_id=creator_a.id, now=NOW)
    usage = UsageLog.all_creators.filter(creator=creator_a).count()

    again = insight_summary_run(creator_id=creator_a.id, now=NOW + timedelta(hours=5))

    assert again.status == "exists"
    assert again.summary == first.summary
    assert AIInsight.objects.for_creator(creator_a.id).count() == 1
    assert InsightSnapshot.objects.for_creator(creator_a.id).count() == 2
    assert UsageLog.all_creators.filter(creator=creator_a).count() == usage


def test_an_empty_week_is_not_summarised(creator_a):
    run = insight_summary_run(creator_id=creator_a.id, now=NOW)
    assert run.status == "no_data"
    assert AIInsight.objects.for_creator(creator_a.id).count() == 0
    assert UsageLog.all_creators.filter(creator=creator_a).count() == 0


def test_the_router_down_writes_nothing(settings, creator_a):
    settings.AI_ROUTER_URL = "http://127.0.0.1:9"
    settings.AI_ROUTER_MAX_RETRIES = 0
    week_of_sales(creator_a, last_day=timezone.now().astimezone(UTC).date() - timedelta(days=1))
    with pytest.raises(RuntimeError, match="AI summary failed"):
        insights_summary_daily()
    assert AIInsight.objects.for_creator(creator_a.id).count() == 0
    assert InsightSnapshot.objects.for_creator(creator_a.id).count() == 0


@pytest.mark.parametrize(
    ("days", "transactions", "expected"),
    [(7, 50, 1.0), (7, 500, 1.0), (7, 25, 0.5), (1, 50, 0.14), (0, 0, 0.0)],
)
def test_confidence_follows_the_data_behind_it(days, transactions, expected):
    assert insight_confidence(active_days=days, transactions=transactions) == expected


def test_the_overview_shows_the_summary_with_its_confidence(client_a, creator_a):
    week_of_sales(creator_a, days=2, count=5)
    insight_summary_run(creator_id=creator_a.id, now=NOW)
    response = client_a.get("/analytics/?from=2025-06-01&to=2025-06-14")
    text = response.content.decode()
    assert "Period ending 2025-06-14" in text
    assert "Confidence 6%" in text  # 2/7 days x 10/50 transactions = 0.057
    assert "Summary of the figures" in text


def test_the_api_route_runs_the_summary_for_the_callers_workspace(client_a, creator_a, creator_b):
    yesterday = timezone.now().astimezone(UTC).date() - timedelta(days=1)
    week_of_sales(creator_a, last_day=yesterday)
    week_of_sales(creator_b, last_day=yesterday)
    response = client_a.post("/api/v1/analytics/ai/summary/run")
    assert response.status_code == 200
    assert response.json()["status"] == "created"
    assert response.json()["creator_id"] == creator_a.id
    assert AIInsight.objects.for_creator(creator_b.id).count() == 0
