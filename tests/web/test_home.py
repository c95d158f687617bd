"""The Home page: exact figures, revenue hidden from chatters, bounded queries, the empty
state, per-creator caching, no inline script, links only to routed pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone

from huntaze.analytics.services import rollups_rebuild
from tests.factories import (
    ConversationFactory,
    FanFactory,
    MembershipFactory,
    MessageFactory,
    TransactionFactory,
    UserFactory,
)


def noon(days_ago: int, hour: int = 12) -> datetime:
    today = timezone.now().astimezone(UTC).date()
    return datetime(today.year, today.month, today.day, hour, tzinfo=UTC) - timedelta(days=days_ago)


def seed_small(creator) -> None:
    TransactionFactory(creator=creator, amount_cents=123456, occurred_at=noon(1))
    TransactionFactory(creator=creator, amount_cents=544, type="ppv", occurred_at=noon(10))
    TransactionFactory(creator=creator, amount_cents=50000, occurred_at=noon(45))
    FanFactory(creator=creator, subscription_state="active", joined_at=noon(3))
    FanFactory(creator=creator, subscription_state="expiring", joined_at=noon(50))
    conversation = ConversationFactory(creator=creator, last_message_at=noon(2, hour=11))
    MessageFactory(conversation=conversation, direction="in", sent_at=noon(2, hour=9))
    MessageFactory(conversation=conversation, direction="out", sent_at=noon(2, hour=11))
    quiet = ConversationFactory(creator=creator, last_message_at=noon(4))
    MessageFactory(conversation=quiet, direction="in", sent_at=noon(4))
    today = timezone.now().astimezone(UTC).date()
    rollups_rebuild(creator_id=creator.id, day_from=today - timedelta(days=90), day_to=today)


def metric(html: str, name: str) -> str:
    match = re.search(
        rf'data-metric="{name}">.*?<span class="value">(.*?)</span>', html, flags=re.DOTALL
    )
    assert match, f"metric {name} not on the page"
    return match.group(1).strip()


def login_as(client, creator, role: str):
    user = UserFactory()
    MembershipFactory(user=user, creator=creator, role=role)
    client.force_login(user)
    session = client.session
    session["creator_id"] = creator.id
    session.save()
    return client


def test_root_redirects_to_home(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/home"


def test_home_needs_sign_in(client, db):
    response = client.get("/home")

    assert response.status_code == 302
    assert response["Location"] == "/login?next=%2Fhome"


def test_owner_sees_exact_figures_and_the_chart_data(client_a, creator_a):
    seed_small(creator_a)

    response = client_a.get("/home")

    html = response.content.decode()
    assert response.status_code == 200
    assert metric(html, "revenue") == "$1,240.00"
    assert "+148% vs previous period" in html  # 1240.00 against 500.00
    assert metric(html, "active-fans") == "2"
    assert metric(html, "new-fans") == "1"
    assert metric(html, "messages-sent") == "1"
    assert metric(html, "response-rate") == "50%"
    assert metric(html, "active-chats") == "2"
    data = json.loads(
        re.search(
            r'<script id="revenue-chart-data" type="application/json">(.*?)</script>', html
        ).group(1)
    )
    assert data["currency"] == "USD"
    assert len(data["days"]) == len(data["amounts"]) == 30
    assert data["amounts"][-2] == "1234.56"
    assert data["amounts"][-11] == "5.44"
    assert sum(float(a) for a in data["amounts"]) == pytest.approx(1240.00)
    assert "js/home.js" in html
    assert "vendor/echarts.min.js" in html


def test_chatter_sees_no_revenue(client, creator_a):
    seed_small(creator_a)
    login_as(client, creator_a, "owner").get("/home")  # an owner warms the cache first
    login_as(client, creator_a, "chatter")

    response = client.get("/home")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-metric="revenue"' not in html
    assert "revenue-chart" not in html
    assert "1,240" not in html
    assert "1234.56" not in html
    assert "echarts" not in html
    assert metric(html, "messages-sent") == "1"


def test_home_makes_a_bounded_number_of_queries(client_a, creator_a, django_assert_max_num_queries):
    seed_small(creator_a)

    with django_assert_max_num_queries(10):
        response = client_a.get("/home")

    assert response.status_code == 200


def test_empty_workspace_shows_the_empty_state(client_a):
    response = client_a.get("/home")

    html = response.content.decode()
    assert response.status_code == 200
    assert "No revenue in the last 30 days yet." in html
    assert "Welcome to Huntaze" in html
    assert 'id="revenue-chart"' not in html
    assert "echarts" not in html
    assert metric(html, "revenue") == "$0.00"
    assert metric(html, "response-rate") == "—"


def test_a_creator_never_sees_another_creators_cached_figures(
    client, client_a, creator_a, creator_b, owner_b
):
    seed_small(creator_a)
    assert metric(client_a.get("/home").content.decode(), "revenue") == "$1,240.00"
    client.logout()
    client.force_login(owner_b)
    session = client.session
    session["creator_id"] = creator_b.id
    session.save()

    html = client.get("/home").content.decode()

    assert metric(html, "revenue") == "$0.00"
    assert metric(html, "active-fans") == "0"
    assert "1234.56" not in html


def test_no_inline_script(client_a, creator_a):
    seed_small(creator_a)

    html = client_a.get("/home").content.decode()

    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    main = re.search(r'<main id="main".*?</main>', html, flags=re.DOTALL).group(0)
    assert re.findall(r"\son[a-z]+=", main) == []


@pytest.mark.parametrize("role", ["owner", "manager", "chatter", "analyst"])
def test_quick_actions_link_only_to_routed_pages(client, creator_a, role):
    login_as(client, creator_a, role)

    html = client.get("/home").content.decode()

    section = re.search(r'<section class="home-actions".*?</section>', html, flags=re.DOTALL)
    hrefs = re.findall(r'href="([^"]+)"', section.group(0)) if section else []
    for href in hrefs:
        try:
            resolve(href)
        except Resolver404:
            pytest.fail(f"quick action links to {href}, which is not routed")
    if role == "chatter":
        assert "/settings/api-keys" not in hrefs
        assert "/settings/team" not in hrefs
        assert "/settings/billing" not in hrefs
    assert ("/onlyfans/messages" in hrefs) == (role != "analyst")
