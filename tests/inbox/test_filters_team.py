"""The fan list's filters (tier, expiring, pinned, assigned to me, unanswered for N hours) by
page and API, its badges (spend tier, LTV, churn risk, pinned, assignee), and bounded
queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.core.context import Actor
from huntaze.inbox.selectors import SPEND_TIERS, conversation_list, spend_tier_of
from tests.factories import ConversationFactory, FanFactory

pytestmark = pytest.mark.django_db


def conversation(creator, name, *, minutes_ago=0, **fan_and_conversation):
    fan_fields = {
        key: fan_and_conversation.pop(key)
        for key in ("total_spent_cents", "subscription_state", "ltv_cents", "churn_risk")
        if key in fan_and_conversation
    }
    fan = FanFactory(creator=creator, display_name=name, **fan_fields)
    return ConversationFactory(
        creator=creator,
        fan=fan,
        last_message_at=timezone.now() - timedelta(minutes=minutes_ago),
        **fan_and_conversation,
    )


def names(client, query):
    items = client.get(f"/api/v1/conversations?{query}").json()["items"]
    return [item["fan"]["display_name"] for item in items]


def test_spend_tiers_are_fixed_bands():
    assert [spend_tier_of(cents) for cents in (0, 1, 4_999, 5_000, 24_999, 25_000)] == [
        "none",
        "low",
        "low",
        "mid",
        "mid",
        "high",
    ]
    assert spend_tier_of(99_999) == "high"
    assert spend_tier_of(100_000) == spend_tier_of(10**9) == "whale"
    assert list(SPEND_TIERS) == ["none", "low", "mid", "high", "whale"]


def test_the_tier_filter(client_a, creator_a):
    conversation(creator_a, "Zero", total_spent_cents=0, minutes_ago=1)
    conversation(creator_a, "Small", total_spent_cents=2_000, minutes_ago=2)
    conversation(creator_a, "Whale", total_spent_cents=150_000, minutes_ago=3)
    conversation(creator_a, "Big", total_spent_cents=25_000, minutes_ago=4)

    assert names(client_a, "tier=whale") == ["Whale"]
    assert names(client_a, "tier=high") == ["Big"]
    assert names(client_a, "tier=none") == ["Zero"]
    page = client_a.get("/onlyfans/messages/rows?tier=low").content.decode()
    assert "Small" in page
    assert "Whale" not in page


def test_a_bad_tier_is_refused_by_the_api_and_ignored_by_the_page(client_a, creator_a):
    conversation(creator_a, "Someone")

    response = client_a.get("/api/v1/conversations?tier=gold")

    assert response.status_code == 422
    assert response.json()["field_errors"] == {
        "tier": ["tier is one of none, low, mid, high, whale."]
    }
    assert "Someone" in client_a.get("/onlyfans/messages/rows?tier=gold").content.decode()


def test_expiring_pinned_and_mine(client_a, creator_a, owner_a, member_of):
    other = member_of(creator_a, "chatter")
    conversation(creator_a, "Expiring", subscription_state="expiring", minutes_ago=1)
    conversation(creator_a, "Pinned", is_pinned=True, minutes_ago=2)
    conversation(creator_a, "Mine", assigned_to=owner_a, minutes_ago=3)
    conversation(creator_a, "Theirs", assigned_to=other, minutes_ago=4)

    assert names(client_a, "expiring_only=true") == ["Expiring"]
    assert names(client_a, "pinned_only=true") == ["Pinned"]
    assert names(client_a, "assigned_to_me=true") == ["Mine"]
    page = client_a.get("/onlyfans/messages/rows?pinned=1&mine=1").content.decode()
    assert "conversation-empty" in page  # both at once: none
    page = client_a.get("/onlyfans/messages/rows?expiring=1").content.decode()
    assert "Expiring" in page
    assert "Pinned" not in page


def test_unanswered_for_n_hours(client_a, creator_a):
    now = timezone.now()
    conversation(creator_a, "Waiting 5h", last_inbound_at=now - timedelta(hours=5), minutes_ago=300)
    conversation(
        creator_a,
        "Answered",
        last_inbound_at=now - timedelta(hours=6),
        last_outbound_at=now - timedelta(hours=5, minutes=30),
        minutes_ago=330,
    )
    conversation(
        creator_a,
        "Waiting 30h after an old answer",
        last_inbound_at=now - timedelta(hours=30),
        last_outbound_at=now - timedelta(hours=40),
        minutes_ago=1800,
    )
    conversation(creator_a, "Waiting 10 min", last_inbound_at=now - timedelta(minutes=10))
    conversation(creator_a, "Never wrote")

    assert names(client_a, "unanswered_hours=4") == [
        "Waiting 5h",
        "Waiting 30h after an old answer",
    ]
    assert names(client_a, "unanswered_hours=24") == ["Waiting 30h after an old answer"]
    assert names(client_a, "unanswered_hours=0") == [
        "Waiting 10 min",
        "Waiting 5h",
        "Waiting 30h after an old answer",
    ]
    page = client_a.get("/onlyfans/messages/rows?unanswered=12").content.decode()
    assert "Waiting 30h" in page
    assert "Waiting 5h" not in page


def test_a_bad_unanswered_hours_is_refused(client_a):
    response = client_a.get("/api/v1/conversations?unanswered_hours=-1")

    assert response.status_code == 422
    assert "unanswered_hours" in response.json()["field_errors"]


def test_assigned_to_me_for_b_never_shows_a(creator_a, creator_b, owner_b):
    conversation(creator_a, "A's", assigned_to=owner_b)
    actor = Actor(creator_id=creator_b.id, user_id=owner_b.id, role="owner")

    assert list(conversation_list(actor=actor, assigned_to_me=True)) == []


def test_the_badges(client_a, creator_a, owner_a):
    conversation(
        creator_a,
        "Known",
        total_spent_cents=120_000,
        ltv_cents=250_000,
        churn_risk=0.82,
        is_pinned=True,
        assigned_to=owner_a,
    )
    conversation(creator_a, "Unknown", total_spent_cents=6_000, minutes_ago=5)

    html = client_a.get("/onlyfans/messages").content.decode()
    known, unknown = html.split('data-conversation-id="')[1:3]

    assert "badge-tier-whale" in known
    assert "Whale" in known
    assert "LTV $2,500" in known
    assert "badge-churn-high" in known
    assert "Churn 82%" in known
    assert "badge-pinned" in known
    assert owner_a.name in known
    assert "badge-tier-mid" in unknown
    assert "badge-ltv" not in unknown
    assert "badge-churn" not in unknown
    assert "badge-pinned" not in unknown
    assert "badge-assignee" not in unknown


def test_the_filtered_list_keeps_its_queries_bounded(
    client_a, creator_a, owner_a, django_assert_max_num_queries
):
    for number in range(40):
        conversation(
            creator_a,
            f"Fan {number}",
            total_spent_cents=30_000,
            assigned_to=owner_a,
            is_pinned=True,
            minutes_ago=number,
        )

    with django_assert_max_num_queries(8):
        response = client_a.get("/onlyfans/messages?tier=high&pinned=1&mine=1")

    assert response.content.decode().count('class="conversation-row') == 40


def test_the_filters_carry_over_to_load_more_and_links(client_a, creator_a):
    for number in range(55):
        conversation(creator_a, f"Fan {number}", is_pinned=True, minutes_ago=number)

    html = client_a.get("/onlyfans/messages?pinned=1&tier=none").content.decode()

    assert "pinned=1" in html
    assert "tier=none" in html
    assert "offset=50" in html
