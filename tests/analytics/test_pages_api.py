"""The analytics API: page data as JSON (cents, one value per day), the same validation and
tenancy as the pages, tracked funnel events."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.utils import timezone

from huntaze.analytics.models import DailyFunnel, DailyRevenue


def today():
    return timezone.now().astimezone(UTC).date()


def sale(creator, days_ago, amount):
    DailyRevenue.objects.create(
        creator=creator, day=today() - timedelta(days=days_ago), platform="onlyfans",
        revenue_type="ppv", amount_cents=amount, transactions_count=1,
    )  # fmt: skip


def test_revenue_data_has_a_value_per_day(client_a, creator_a):
    sale(creator_a, 0, 700)
    sale(creator_a, 6, 300)
    response = client_a.get("/api/v1/analytics/pages/revenue?days=7")
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["revenue_cents"] == 1000
    assert body["series"]["revenue"] == [300, 0, 0, 0, 0, 0, 700]
    assert len(body["days"]) == 7
    assert body["groups"]["revenue_by_type"] == {"ppv": 1000}


def test_a_range_before_the_data_is_refused_with_not_enough_history(client_a, creator_a):
    sale(creator_a, 0, 700)
    end = (today() - timedelta(days=10)).isoformat()
    response = client_a.get(f"/api/v1/analytics/pages/overview?to={end}")
    assert response.status_code == 422
    assert response.json()["field_errors"]["to"][0].startswith("Not enough history yet")


def test_an_inverted_range_names_the_field(client_a, creator_a):
    response = client_a.get("/api/v1/analytics/pages/fans?from=2025-03-02&to=2025-03-01")
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["from"]


def test_another_creators_id_is_not_found(client_a, creator_b):
    sale(creator_b, 0, 999)
    response = client_a.get(f"/api/v1/analytics/pages/revenue?creator={creator_b.id}")
    assert response.status_code == 404
    assert "999" not in response.content.decode()


def test_a_chatter_is_refused(creator_a, member_of, signed_in):
    chatter = member_of(creator_a, "chatter")
    response = signed_in(chatter, creator_a).get("/api/v1/analytics/pages/overview")
    assert response.status_code == 403


def test_tracked_visits_are_recorded_for_the_callers_workspace(client_a, creator_a):
    moment = timezone.now().isoformat()
    response = client_a.post(
        "/api/v1/analytics/funnel/events",
        {"stage": "visit", "platform": "tiktok", "occurred_at": moment, "count": 3},
        content_type="application/json",
    )
    assert response.status_code == 201
    row = DailyFunnel.objects.for_creator(creator_a.id).get()
    assert (row.stage, row.platform, row.count) == ("visit", "tiktok", 3)


def test_a_derived_stage_cannot_be_recorded(client_a, creator_a):
    response = client_a.post(
        "/api/v1/analytics/funnel/events",
        {"stage": "subscribe", "platform": "tiktok", "occurred_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert DailyFunnel.objects.for_creator(creator_a.id).count() == 0


def test_an_unknown_platform_names_the_field(client_a, creator_a):
    response = client_a.post(
        "/api/v1/analytics/funnel/events",
        {"stage": "visit", "platform": "myspace", "occurred_at": timezone.now().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == ["platform"]
    assert DailyFunnel.objects.for_creator(creator_a.id).count() == 0
