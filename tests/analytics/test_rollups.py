"""Rollups: a rebuild equals the raw sums exactly, on-write increments equal a rebuild, the
beat task is idempotent."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from huntaze.analytics.models import DailyActivity, DailyRevenue
from huntaze.analytics.services import (
    rollup_record_fan,
    rollup_record_message,
    rollup_record_transaction,
    rollups_rebuild,
)
from huntaze.analytics.tasks import rollup_recent
from huntaze.commerce.models import Transaction
from huntaze.core.errors import ValidationFailed
from huntaze.fans.models import Fan
from huntaze.inbox.models import Message
from tests.factories import (
    ConversationFactory,
    FanFactory,
    MessageFactory,
    TransactionFactory,
)

DAY_0 = date(2025, 3, 1)
PLATFORMS = ("onlyfans", "fansly")
TYPES = ("subscription", "tip", "ppv", "offer")
TX_STATUSES = ("completed", "completed", "completed", "refunded", "pending", "failed")
MSG_STATUSES = ("sent", "sent", "delivered", "read", "scheduled", "failed", "cancelled")
COUNTED = {"sent", "delivered", "read"}


def at(day_offset: int, seconds: int) -> datetime:
    return datetime(DAY_0.year, DAY_0.month, DAY_0.day, tzinfo=UTC) + timedelta(
        days=day_offset, seconds=seconds
    )


def revenue_table(creator_id: int) -> dict[tuple[date, str, str], tuple[int, int]]:
    return {
        (row.day, row.platform, row.revenue_type): (row.amount_cents, row.transactions_count)
        for row in DailyRevenue.objects.for_creator(creator_id)
    }


def activity_table(creator_id: int) -> dict[date, tuple[int, int, int, int, int]]:
    return {
        row.day: (
            row.new_fans,
            row.messages_in,
            row.messages_out,
            row.conversations_inbound,
            row.conversations_answered,
        )
        for row in DailyActivity.objects.for_creator(creator_id)
    }


def nonzero(table: dict) -> dict:
    return {key: value for key, value in table.items() if any(value)}


def expected_revenue(creator_id: int, day_from: date, day_to: date) -> dict:
    sums: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for tx in Transaction.objects.for_creator(creator_id):
        day = tx.occurred_at.astimezone(UTC).date()
        if tx.status == "completed" and day_from <= day <= day_to:
            sums[(day, tx.platform, tx.type)][0] += tx.amount_cents
            sums[(day, tx.platform, tx.type)][1] += 1
    return {key: (amount, count) for key, (amount, count) in sums.items()}


def expected_activity(creator_id: int, day_from: date, day_to: date) -> dict:
    rows: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for fan in Fan.objects.for_creator(creator_id):
        day = fan.joined_at.astimezone(UTC).date()
        if day_from <= day <= day_to:
            rows[day][0] += 1
    first_in: dict[tuple[date, int], datetime] = {}
    last_out: dict[tuple[date, int], datetime] = {}
    for message in Message.objects.for_creator(creator_id):
        day = message.sent_at.astimezone(UTC).date()
        if message.status not in COUNTED or not day_from <= day <= day_to:
            continue
        key = (day, message.conversation_id)
        if message.direction == "in":
            rows[day][1] += 1
            first_in[key] = min(first_in.get(key, message.sent_at), message.sent_at)
        else:
            rows[day][2] += 1
            last_out[key] = max(last_out.get(key, message.sent_at), message.sent_at)
    for key, first in first_in.items():
        rows[key[0]][3] += 1
        if key in last_out and last_out[key] > first:
            rows[key[0]][4] += 1
    return {day: tuple(values) for day, values in rows.items()}


def make_dataset(creator, rng: random.Random, *, days: int = 6, record: bool = False) -> None:
    """Fans, conversations, messages and transactions over `days` days, in shuffled order
    (so messages arrive out of order); with `record`, each write is followed by its on-write
    increment, as ingestion code does."""
    fans = []
    for index in range(8):
        fan = FanFactory(
            creator=creator,
            joined_at=at(rng.randrange(-1, days + 1), rng.randrange(86400)),
        )
        if record:
            rollup_record_fan(creator_id=creator.id, joined_at=fan.joined_at)
        fans.append(fan)
        del index
    conversations = [ConversationFactory(creator=creator, fan=fan) for fan in fans[:6]]
    plan = []
    for _ in range(70):
        plan.append(
            (
                "message",
                rng.choice(conversations),
                rng.choice(("in", "in", "out")),
                rng.choice(MSG_STATUSES),
                at(rng.randrange(-1, days + 1), rng.randrange(0, 86400, 600)),
            )
        )
    for _ in range(40):
        plan.append(
            (
                "transaction",
                rng.choice(fans),
                rng.choice(TYPES),
                rng.choice(TX_STATUSES),
                at(rng.randrange(-1, days + 1), rng.randrange(86400)),
            )
        )
    rng.shuffle(plan)
    for kind, target, variant, status, moment in plan:
        if kind == "message":
            message = MessageFactory(
                conversation=target, direction=variant, status=status, sent_at=moment
            )
            if record and status in COUNTED:
                rollup_record_message(
                    creator_id=creator.id,
                    conversation_id=target.id,
                    message_id=message.id,
                    direction=variant,
                    sent_at=moment,
                )
        else:
            tx = TransactionFactory(
                creator=creator,
                fan=target,
                type=variant,
                status=status,
                platform=rng.choice(PLATFORMS),
                amount_cents=rng.randrange(100, 20000),
                occurred_at=moment,
            )
            if record and status == "completed":
                rollup_record_transaction(
                    creator_id=creator.id,
                    occurred_at=moment,
                    platform=tx.platform,
                    transaction_type=tx.type,
                    amount_cents=tx.amount_cents,
                )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuild_equals_raw_sums(creator_a, creator_b, seed):
    # given data for two creators
    make_dataset(creator_a, random.Random(seed))
    make_dataset(creator_b, random.Random(seed + 100))
    day_from, day_to = DAY_0, DAY_0 + timedelta(days=5)

    # when A's rollups are rebuilt for a range
    rollups_rebuild(creator_id=creator_a.id, day_from=day_from, day_to=day_to)

    # then they equal the raw sums of that range exactly, and B has no rows
    assert revenue_table(creator_a.id) == expected_revenue(creator_a.id, day_from, day_to)
    assert activity_table(creator_a.id) == expected_activity(creator_a.id, day_from, day_to)
    assert revenue_table(creator_a.id)  # the dataset is not trivially empty
    assert any(v[4] for v in activity_table(creator_a.id).values())
    assert revenue_table(creator_b.id) == {}
    assert activity_table(creator_b.id) == {}


def test_rebuild_counts_completed_only(creator_a):
    for status in ("completed", "refunded", "pending", "failed"):
        TransactionFactory(
            creator=creator_a, status=status, amount_cents=500, occurred_at=at(0, 60)
        )

    rollups_rebuild(creator_id=creator_a.id, day_from=DAY_0, day_to=DAY_0)

    assert revenue_table(creator_a.id) == {(DAY_0, "onlyfans", "tip"): (500, 1)}


def test_answered_means_an_outbound_message_after_the_first_inbound_that_day(creator_a):
    replied, early_reply_only, next_day_reply = (
        ConversationFactory(creator=creator_a) for _ in range(3)
    )
    MessageFactory(conversation=replied, direction="in", sent_at=at(0, 3600))
    MessageFactory(conversation=replied, direction="out", sent_at=at(0, 7200))
    MessageFactory(conversation=early_reply_only, direction="out", sent_at=at(0, 60))
    MessageFactory(conversation=early_reply_only, direction="in", sent_at=at(0, 3600))
    MessageFactory(conversation=next_day_reply, direction="in", sent_at=at(0, 80000))
    MessageFactory(conversation=next_day_reply, direction="out", sent_at=at(1, 600))
    MessageFactory(conversation=replied, direction="out", status="scheduled", sent_at=at(1, 60))

    rollups_rebuild(creator_id=creator_a.id, day_from=DAY_0, day_to=DAY_0 + timedelta(days=1))

    assert activity_table(creator_a.id) == {
        DAY_0: (0, 3, 2, 3, 1),
        DAY_0 + timedelta(days=1): (0, 0, 1, 0, 0),
    }


def test_rebuild_replaces_its_range_only_and_is_idempotent(creator_a):
    # given stale rows inside the range and a row outside it
    DailyRevenue.objects.create(
        creator=creator_a, day=DAY_0, platform="onlyfans", revenue_type="tip", amount_cents=999
    )
    DailyActivity.objects.create(creator=creator_a, day=DAY_0, messages_in=42)
    outside = DailyActivity.objects.create(
        creator=creator_a, day=DAY_0 - timedelta(days=1), messages_in=7
    )
    TransactionFactory(creator=creator_a, amount_cents=1200, occurred_at=at(0, 10))

    # when rebuilt twice
    rollups_rebuild(creator_id=creator_a.id, day_from=DAY_0, day_to=DAY_0)
    first = (revenue_table(creator_a.id), activity_table(creator_a.id))
    rollups_rebuild(creator_id=creator_a.id, day_from=DAY_0, day_to=DAY_0)

    # then the range holds the raw sums, the day outside is untouched, the rerun changed nothing
    assert revenue_table(creator_a.id) == {(DAY_0, "onlyfans", "tip"): (1200, 1)}
    assert activity_table(creator_a.id) == {outside.day: (0, 7, 0, 0, 0)}
    assert (revenue_table(creator_a.id), activity_table(creator_a.id)) == first


def test_rebuild_rejects_a_reversed_range(creator_a):
    DailyActivity.objects.create(creator=creator_a, day=DAY_0, messages_in=3)

    with pytest.raises(ValidationFailed):
        rollups_rebuild(creator_id=creator_a.id, day_from=DAY_0, day_to=DAY_0 - timedelta(days=1))

    assert activity_table(creator_a.id) == {DAY_0: (0, 3, 0, 0, 0)}


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_on_write_increments_equal_a_rebuild(creator_a, seed):
    # given data written with its on-write increments, messages arriving out of order
    make_dataset(creator_a, random.Random(seed), record=True)
    incremental = (nonzero(revenue_table(creator_a.id)), nonzero(activity_table(creator_a.id)))

    # when the whole span is rebuilt from the raw tables
    rollups_rebuild(
        creator_id=creator_a.id,
        day_from=DAY_0 - timedelta(days=1),
        day_to=DAY_0 + timedelta(days=7),
    )

    # then the increments had produced the same figures
    assert incremental == (revenue_table(creator_a.id), activity_table(creator_a.id))
    assert incremental[0]
    assert any(v[4] for v in incremental[1].values())


def test_a_reversal_takes_a_refunded_transaction_back_out(creator_a):
    for amount in (1500, 700):
        rollup_record_transaction(
            creator_id=creator_a.id,
            occurred_at=at(0, 10),
            platform="onlyfans",
            transaction_type="ppv",
            amount_cents=amount,
        )

    rollup_record_transaction(
        creator_id=creator_a.id,
        occurred_at=at(0, 10),
        platform="onlyfans",
        transaction_type="ppv",
        amount_cents=700,
        is_reversal=True,
    )

    assert revenue_table(creator_a.id) == {(DAY_0, "onlyfans", "ppv"): (1500, 1)}


def test_a_reversal_without_a_row_writes_nothing(creator_a):
    rollup_record_transaction(
        creator_id=creator_a.id,
        occurred_at=at(0, 10),
        platform="onlyfans",
        transaction_type="ppv",
        amount_cents=700,
        is_reversal=True,
    )

    assert revenue_table(creator_a.id) == {}


def test_increments_need_aware_datetimes(creator_a):
    with pytest.raises(ValidationFailed):
        rollup_record_fan(creator_id=creator_a.id, joined_at=datetime(2025, 3, 1, 12))  # noqa: DTZ001

    assert activity_table(creator_a.id) == {}


def test_rollup_recent_rebuilds_the_last_two_days_of_every_creator(
    creator_a, creator_b, monkeypatch
):
    # given raw data today, yesterday and three days ago, and no rollups
    now = at(3, 43200)
    monkeypatch.setattr("huntaze.analytics.tasks.timezone.now", lambda: now)
    for creator, amount in ((creator_a, 1000), (creator_b, 2500)):
        for day_offset in (3, 2, 0):
            TransactionFactory(
                creator=creator, amount_cents=amount, occurred_at=at(day_offset, 100)
            )
        MessageFactory(
            conversation=ConversationFactory(creator=creator), direction="in", sent_at=at(3, 50)
        )

    # when the beat task runs twice
    first = rollup_recent.apply().get()
    tables = {c.id: (revenue_table(c.id), activity_table(c.id)) for c in (creator_a, creator_b)}
    rollup_recent.apply().get()

    # then both creators have today and yesterday only, and the rerun changed nothing
    assert first == {"creators": 2, "day_from": "2025-03-03", "day_to": "2025-03-04"}
    today, yesterday = DAY_0 + timedelta(days=3), DAY_0 + timedelta(days=2)
    for creator, amount in ((creator_a, 1000), (creator_b, 2500)):
        assert revenue_table(creator.id) == {
            (today, "onlyfans", "tip"): (amount, 1),
            (yesterday, "onlyfans", "tip"): (amount, 1),
        }
        assert activity_table(creator.id) == {today: (0, 1, 0, 1, 0)}
    assert tables == {
        c.id: (revenue_table(c.id), activity_table(c.id)) for c in (creator_a, creator_b)
    }


def test_the_cron_route_runs_the_rollup(client, creator_a, monkeypatch):
    now = at(0, 43200)
    monkeypatch.setattr("huntaze.analytics.tasks.timezone.now", lambda: now)
    TransactionFactory(creator=creator_a, amount_cents=4200, occurred_at=at(0, 60))

    response = client.post(
        "/api/cron/analytics/rollup", HTTP_AUTHORIZATION="Bearer test-cron-secret"
    )

    assert response.status_code == 202
    assert response.json()["state"] == "SUCCESS"
    assert revenue_table(creator_a.id) == {(DAY_0, "onlyfans", "tip"): (4200, 1)}
