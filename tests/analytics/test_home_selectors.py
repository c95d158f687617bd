"""Home figures: exact on a small dataset, from rollups only, cached per creator."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.analytics.selectors import home_metrics
from huntaze.analytics.services import rollups_rebuild
from huntaze.core.context import Actor
from tests.factories import ConversationFactory, FanFactory, MessageFactory, TransactionFactory

NOW = datetime(2025, 6, 30, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


def days_ago(days: int, hour: int = 12) -> datetime:
    return datetime(TODAY.year, TODAY.month, TODAY.day, hour, tzinfo=UTC) - timedelta(days=days)


def actor(creator, role: str = "owner") -> Actor:
    return Actor(creator_id=creator.id, user_id=None, role=role)


def small_dataset(creator) -> None:
    """30-day window: 2025-06-01..2025-06-30; previous window: 2025-05-02..2025-05-31."""
    # revenue: 100.00 + 25.50 + 4.50 in the window, 80.00 in the previous one
    TransactionFactory(creator=creator, amount_cents=10000, occurred_at=days_ago(0))
    TransactionFactory(creator=creator, amount_cents=2550, type="ppv", occurred_at=days_ago(29))
    TransactionFactory(
        creator=creator, amount_cents=450, platform="fansly", occurred_at=days_ago(29)
    )
    TransactionFactory(creator=creator, amount_cents=8000, occurred_at=days_ago(30))
    TransactionFactory(creator=creator, amount_cents=7000, occurred_at=days_ago(60))
    TransactionFactory(
        creator=creator, amount_cents=9999, status="refunded", occurred_at=days_ago(1)
    )
    # fans: 3 active or expiring, 2 joined in the window
    FanFactory(creator=creator, subscription_state="active", joined_at=days_ago(2))
    FanFactory(creator=creator, subscription_state="expiring", joined_at=days_ago(29))
    FanFactory(creator=creator, subscription_state="active", joined_at=days_ago(30))
    FanFactory(creator=creator, subscription_state="expired", joined_at=days_ago(90))
    # conversations: answered on day 3, unanswered on day 5, one outbound only, one old
    answered = ConversationFactory(creator=creator, last_message_at=days_ago(3))
    MessageFactory(conversation=answered, direction="in", sent_at=days_ago(3, hour=9))
    MessageFactory(conversation=answered, direction="out", sent_at=days_ago(3, hour=10))
    MessageFactory(conversation=answered, direction="out", sent_at=days_ago(3, hour=11))
    unanswered = ConversationFactory(creator=creator, last_message_at=days_ago(5))
    MessageFactory(conversation=unanswered, direction="in", sent_at=days_ago(5))
    outbound_only = ConversationFactory(creator=creator, last_message_at=days_ago(20))
    MessageFactory(conversation=outbound_only, direction="out", sent_at=days_ago(20))
    old = ConversationFactory(creator=creator, last_message_at=days_ago(40))
    MessageFactory(conversation=old, direction="in", sent_at=days_ago(40))
    rollups_rebuild(creator_id=creator.id, day_from=TODAY - timedelta(days=90), day_to=TODAY)


def test_home_numbers_are_exact(creator_a):
    small_dataset(creator_a)

    metrics = home_metrics(actor=actor(creator_a), now=NOW)

    assert (metrics.day_from, metrics.day_to) == (date(2025, 6, 1), TODAY)
    assert metrics.revenue is not None
    assert metrics.revenue.currency == "USD"
    assert metrics.revenue.total_cents == 13000
    assert metrics.revenue.previous_total_cents == 8000
    assert metrics.revenue.change_pct == 62.5
    assert len(metrics.revenue.series) == 30
    assert metrics.revenue.series[0].day == date(2025, 6, 1)
    assert metrics.revenue.series[0].amount_cents == 3000
    assert metrics.revenue.series[-1].day == TODAY
    assert metrics.revenue.series[-1].amount_cents == 10000
    assert sum(1 for point in metrics.revenue.series if point.amount_cents) == 2
    assert metrics.active_fans == 3
    assert metrics.new_fans == 2
    assert metrics.messages_sent == 3
    assert (metrics.conversations_inbound, metrics.conversations_answered) == (2, 1)
    assert metrics.response_rate == 0.5
    assert metrics.active_chats == 2
    assert metrics.is_empty is False


def test_an_empty_workspace_has_zeros_and_no_response_rate(creator_a):
    metrics = home_metrics(actor=actor(creator_a), now=NOW)

    assert metrics.revenue is not None
    assert metrics.revenue.total_cents == 0
    assert metrics.revenue.change_pct is None
    assert [p.amount_cents for p in metrics.revenue.series] == [0] * 30
    assert metrics.response_rate is None
    assert metrics.is_empty is True


@pytest.mark.parametrize(
    ("role", "sees_revenue"),
    [("owner", True), ("manager", True), ("analyst", True), ("chatter", False)],
)
def test_revenue_only_for_roles_that_view_billing(creator_a, role, sees_revenue):
    small_dataset(creator_a)
    home_metrics(actor=actor(creator_a, "owner"), now=NOW)  # warm the cache as an owner

    metrics = home_metrics(actor=actor(creator_a, role), now=NOW)

    assert (metrics.revenue is not None) is sees_revenue
    assert metrics.messages_sent == 3


def test_reads_rollups_and_indexed_counts_only(creator_a):
    small_dataset(creator_a)

    with CaptureQueriesContext(connection) as queries:
        home_metrics(actor=actor(creator_a), now=NOW)

    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert len(queries.captured_queries) == 5
    assert '"messages"' not in tables
    assert '"transactions"' not in tables


def test_cached_for_a_minute_per_creator(creator_a, creator_b, django_assert_num_queries):
    small_dataset(creator_a)
    first = home_metrics(actor=actor(creator_a), now=NOW)
    DailyRevenue.objects.for_creator(creator_a.id).update(amount_cents=1)

    # A again: from the cache, no query, same figures
    with django_assert_num_queries(0):
        again = home_metrics(actor=actor(creator_a), now=NOW)
    # B: its own figures, never A's
    other = home_metrics(actor=actor(creator_b), now=NOW)

    assert again == first
    assert other.revenue is not None
    assert other.revenue.total_cents == 0
    assert other.active_fans == 0
    assert other.messages_sent == 0


def test_works_with_the_dummy_cache(creator_a, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    small_dataset(creator_a)
    first = home_metrics(actor=actor(creator_a), now=NOW)
    DailyActivity.objects.for_creator(creator_a.id).update(messages_out=0)

    second = home_metrics(actor=actor(creator_a), now=NOW)

    assert first.messages_sent == 3
    assert second.messages_sent == 0
