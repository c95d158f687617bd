"""Forecast, churn and pricing pages: one workspace at a time, the models' refusals shown as
'not enough history yet', bad parameters named, tenancy."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from huntaze.analytics.models import DailyFans, DailyRevenue
from huntaze.commerce.models import PPVItem
from tests.factories import FanFactory, MembershipFactory

PAGES = ("forecast", "churn", "pricing")


def today():
    return timezone.now().astimezone(UTC).date()


def daily_sales(creator, days: int, amount=10_000):
    DailyRevenue.objects.bulk_create(
        DailyRevenue(
            creator=creator, day=today() - timedelta(days=n + 1), platform="onlyfans",
            revenue_type="tip", amount_cents=amount + (n % 7) * 1_000, transactions_count=3,
        )
        for n in range(days)
    )  # fmt: skip


def test_forecast_with_history_shows_the_expected_revenue_and_its_interval(client_a, creator_a):
    daily_sales(creator_a, 120)
    response = client_a.get("/analytics/forecast?horizon=30")
    assert response.status_code == 200
    view = response.context["view"]
    assert view.figures[0].label == "Expected revenue, next 30 days"
    rows = view.tables[0].rows
    assert len(rows) == 30
    assert all(row[2].raw <= row[1].raw <= row[3].raw for row in rows)
    assert view.charts[0]["type"] == "forecast"


def test_forecast_without_history_says_not_enough_history(client_a, creator_a):
    daily_sales(creator_a, 10)
    response = client_a.get("/analytics/forecast")
    assert response.status_code == 200
    assert "Not enough history yet" in response.content.decode()
    assert response.context["view"].figures == []


def test_forecast_weekly_has_a_point_per_week(client_a, creator_a):
    daily_sales(creator_a, 120)
    rows = client_a.get("/analytics/forecast?horizon=90&grain=week").context["view"].tables[0].rows
    assert len(rows) == 13


@pytest.mark.parametrize(
    ("query", "field"),
    [("horizon=45", "horizon"), ("grain=month", "grain"), ("floor=abc", "floor")],
)
def test_bad_parameters_are_named(client_a, creator_a, query, field):
    page = "pricing" if field == "floor" else "forecast"
    response = client_a.get(f"/analytics/{page}?{query}")
    assert response.status_code == 400
    assert field in response.context["field_errors"]


def test_pricing_ceiling_below_floor_is_refused(client_a, creator_a):
    response = client_a.get("/analytics/pricing?floor=20&ceiling=5")
    assert response.status_code == 400
    assert response.context["field_errors"]["ceiling"] == "The ceiling must not be below the floor."


@pytest.mark.parametrize("page", PAGES)
def test_several_workspaces_are_refused_politely(page, creator_a, creator_b, owner_a, signed_in):
    MembershipFactory(user=owner_a, creator=creator_b, role="owner")
    response = signed_in(owner_a, creator_a).get(
        f"/analytics/{page}?creator={creator_a.id}&creator={creator_b.id}"
    )
    assert response.status_code == 200
    assert "This page is per workspace" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_another_creators_workspace_is_not_found(page, client_a, creator_b):
    assert client_a.get(f"/analytics/{page}?creator={creator_b.id}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_a_chatter_cannot_open_them(page, creator_a, member_of, signed_in):
    chatter = member_of(creator_a, "chatter")
    assert signed_in(chatter, creator_a).get(f"/analytics/{page}").status_code == 403


def test_churn_lists_scored_fans_at_risk_with_the_reason(client_a, creator_a):
    now = timezone.now()
    FanFactory(
        creator=creator_a, username="gone", churn_risk=0.9, p_alive=0.1, total_spent_cents=50_000,
        purchases_count=4, first_purchase_at=now - timedelta(days=200),
        last_purchase_at=now - timedelta(days=120), scores_updated_at=now,
    )  # fmt: skip
    FanFactory(creator=creator_a, username="fine", churn_risk=0.1, scores_updated_at=now)
    DailyFans.objects.create(creator=creator_a, day=today(), active_fans=50, churned_fans=5)
    response = client_a.get("/analytics/churn")
    view = response.context["view"]
    assert [row[0].raw for row in view.tables[0].rows] == ["gone"]
    assert view.tables[0].rows[0][5].raw == "overdue"
    figures = {f.label: f.value for f in view.figures}
    assert figures["Fans at risk"] == "1"


def test_pricing_without_ppv_says_not_enough_history(client_a, creator_a):
    response = client_a.get("/analytics/pricing")
    assert response.status_code == 200
    assert "Not enough history yet" in response.content.decode()


def test_pricing_shows_bands_of_sent_ppv(client_a, creator_a):
    sent = timezone.now() - timedelta(days=10)
    for price, sends, buys in ((900, 400, 80), (1900, 300, 30)):
        PPVItem.objects.create(
            creator=creator_a, title=f"At {price}", price_cents=price, status="completed",
            sent_at=sent, scheduled_at=sent, sent_count=sends, purchased_count=buys,
            revenue_cents=price * buys,
        )  # fmt: skip
    response = client_a.get("/analytics/pricing")
    rows = response.context["view"].tables[0].rows
    assert [(row[1].raw, row[2].raw) for row in rows] == [(400, 80), (300, 30)]
    assert rows[0][3].display == "20.0 %"
