"""The seeded demo is consistent: fan and conversation aggregates match their rows, the
rollups match the raw tables, and the demo owner can sign in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.commerce.models import PPVItem, PPVPurchase, Transaction
from huntaze.core.models import Creator, Membership
from huntaze.fans.models import Fan
from huntaze.inbox.models import Message
from huntaze.web.demo import DEMO_PASSWORD, OWNER_EMAIL, demo_reset, seed_demo

pytestmark = pytest.mark.slow

ANCHOR = datetime(2025, 6, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module and removed after it."""
    with django_db_blocker.unblock():
        summary = seed_demo(size="small", seed=11, anchor=ANCHOR)
        yield summary
        demo_reset()


def _scalar(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def test_fan_totals_equal_the_sum_of_their_completed_transactions(db, seeded):
    mismatched = _scalar(
        """
        SELECT COUNT(*) FROM fans f
        LEFT JOIN (
            SELECT fan_id, SUM(amount_cents) AS spent, COUNT(*) AS purchases,
                   MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at
            FROM transactions WHERE status = 'completed' GROUP BY fan_id
        ) t ON t.fan_id = f.id
        WHERE f.total_spent_cents <> COALESCE(t.spent, 0)
           OR f.purchases_count <> COALESCE(t.purchases, 0)
           OR COALESCE(f.first_purchase_at, '1970-01-01') <> COALESCE(t.first_at, '1970-01-01')
           OR COALESCE(f.last_purchase_at, '1970-01-01') <> COALESCE(t.last_at, '1970-01-01')
        """
    )

    assert mismatched == 0
    assert Fan.all_creators.filter(total_spent_cents__gt=0).count() > 500
    assert Fan.all_creators.filter(total_spent_cents=0).count() > 200


def test_conversation_fields_match_their_messages(db, seeded):
    mismatched = _scalar(
        """
        SELECT COUNT(*) FROM conversations c
        JOIN fans f ON f.id = c.fan_id
        JOIN (
            SELECT conversation_id,
                   MAX(sent_at) AS last_at,
                   MAX(CASE WHEN direction = 'in' THEN sent_at END) AS last_in,
                   MAX(CASE WHEN direction = 'out' THEN sent_at END) AS last_out,
                   SUM(CASE WHEN direction = 'in' AND read_at IS NULL THEN 1 ELSE 0 END) AS unread
            FROM messages GROUP BY conversation_id
        ) m ON m.conversation_id = c.id
        WHERE c.last_message_at <> m.last_at
           OR f.last_message_at <> m.last_at
           OR COALESCE(c.last_inbound_at, '1970-01-01') <> COALESCE(m.last_in, '1970-01-01')
           OR COALESCE(c.last_outbound_at, '1970-01-01') <> COALESCE(m.last_out, '1970-01-01')
           OR c.unread_count <> m.unread
        """
    )
    previews_not_from_last_message = _scalar(
        """
        SELECT COUNT(*) FROM conversations c
        WHERE NOT EXISTS (
            SELECT 1 FROM messages m
            WHERE m.conversation_id = c.id AND m.sent_at = c.last_message_at
              AND SUBSTR(m.text, 1, 140) = c.last_message_preview
        )
        """
    )

    assert mismatched == 0
    assert previews_not_from_last_message == 0
    assert (
        _scalar("SELECT COUNT(*) FROM conversations")
        == Fan.all_creators.filter(last_message_at__isnull=False).count()
    )


def test_pay_per_view_items_count_their_messages_and_purchases(db, seeded):
    for item in PPVItem.all_creators.filter(purchased_count__gt=0)[:20]:
        purchases = PPVPurchase.all_creators.filter(ppv_item=item).aggregate(
            count=Count("id"), revenue=Sum("price_cents")
        )
        assert (item.purchased_count, item.revenue_cents) == (
            purchases["count"],
            purchases["revenue"],
        )
        assert item.sent_count == Message.all_creators.filter(ppv_item=item).count()
    unlinked = PPVPurchase.all_creators.filter(transaction__isnull=True).count()
    assert unlinked == 0


def test_rollups_equal_the_raw_sums_for_a_creator(db, seeded):
    creator = Creator.objects.get(slug="demo-mia-sol")
    completed = Transaction.all_creators.filter(creator=creator, status="completed")
    revenue = DailyRevenue.all_creators.filter(creator=creator)
    activity = DailyActivity.all_creators.filter(creator=creator)
    messages = Message.all_creators.filter(creator=creator)

    raw_by_type = {
        row["type"]: (row["amount"], row["count"])
        for row in completed.values("type").annotate(amount=Sum("amount_cents"), count=Count("id"))
    }
    rollup_by_type = {
        row["revenue_type"]: (row["amount"], row["count"])
        for row in revenue.values("revenue_type").annotate(
            amount=Sum("amount_cents"), count=Sum("transactions_count")
        )
    }

    assert rollup_by_type == raw_by_type
    assert activity.aggregate(
        fans=Sum("new_fans"), incoming=Sum("messages_in"), outgoing=Sum("messages_out")
    ) == {
        "fans": Fan.all_creators.filter(creator=creator).count(),
        "incoming": messages.filter(direction="in").count(),
        "outgoing": messages.filter(direction="out").count(),
    }


def test_the_agency_owner_owns_every_creator_and_each_has_a_team(db, seeded):
    roles = sorted(
        Membership.objects.filter(creator__slug="demo-luna-rivers").values_list("role", flat=True)
    )

    assert set(
        Membership.objects.filter(user__email=OWNER_EMAIL).values_list("role", flat=True)
    ) == {"owner"}
    assert Membership.objects.filter(user__email=OWNER_EMAIL).count() == 3
    assert roles == ["analyst", "chatter", "chatter", "manager", "owner"]


def test_the_demo_owner_can_log_in(db, seeded, client):
    assert client.login(email=OWNER_EMAIL, password=DEMO_PASSWORD) is True
    assert client.login(email=OWNER_EMAIL, password="wrong password") is False


def test_demo_login_prints_where_and_as_whom(db, capsys):
    call_command("demo_login")

    out = capsys.readouterr().out
    assert "http://127.0.0.1:3000/login" in out
    assert OWNER_EMAIL in out
    assert DEMO_PASSWORD in out
    assert out.splitlines()[0].startswith("┌")
