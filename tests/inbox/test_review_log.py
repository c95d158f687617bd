"""The managers' review log on a hand-built day of messages with known answers, the review
page and API (roles, tenancy, bad ranges), and user_stats (on write and recomputed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from huntaze.commerce.models import PPVItem, PPVPurchase
from huntaze.inbox.models import Message, UserStats
from huntaze.inbox.selectors_team import review_log
from huntaze.inbox.services_team import (
    conversation_assign,
    user_stats_recompute,
    user_stats_record_ppv_purchase,
)
from tests.factories import ConversationFactory, FanFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def at(hour: int, minute: int = 0, *, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def message(conversation, direction, when, sender=None, **extra):
    return Message.objects.create(
        creator=conversation.creator,
        conversation=conversation,
        fan=conversation.fan,
        direction=direction,
        sender=sender,
        text="x",
        sent_at=when,
        **extra,
    )


@pytest.fixture
def team(creator_a, member_of):
    return {
        "first": member_of(creator_a, "chatter", "first@example.com"),
        "second": member_of(creator_a, "chatter", "second@example.com"),
        "analyst": member_of(creator_a, "analyst", "analyst@example.com"),
    }


@pytest.fixture
def day_of_work(creator_a, team):
    """Conversation 1: fan writes 10:00 and 10:05, first answers 10:20 (20 min), fan 11:00,
    second answers 11:30 (30 min) and again 11:31 (not a reply).
    Conversation 2: fan 09:00, first answers 09:10 (10 min) then sends a $15 PPV at 09:11,
    bought at 12:00. Conversation 3: fan writes the day before at 23:50, second answers at
    00:10 (20 min, counted: the reply is in the range).
    Not counted: a scheduled and a failed message, a message the next day."""
    first, second = team["first"], team["second"]
    one = ConversationFactory(creator=creator_a)
    two = ConversationFactory(creator=creator_a)
    three = ConversationFactory(creator=creator_a)
    message(one, "in", at(10))
    message(one, "in", at(10, 5))
    message(one, "out", at(10, 20), first)
    message(one, "in", at(11))
    message(one, "out", at(11, 30), second)
    message(one, "out", at(11, 31), second)
    message(two, "in", at(9))
    message(two, "out", at(9, 10), first)
    item = PPVItem(creator=creator_a, title="Beach", price_cents=1500, media_ids=[])
    item.save()
    ppv = message(two, "out", at(9, 11), first, price_cents=1500, ppv_item=item)
    message(three, "in", at(23, 50, day=DAY - timedelta(days=1)))
    message(three, "out", at(0, 10), second)
    message(two, "out", at(13), second, status="scheduled", scheduled_for=at(13))
    message(two, "out", at(14), second, status="failed")
    message(one, "out", at(8, day=DAY + timedelta(days=1)), first)
    purchase = PPVPurchase(
        creator=creator_a,
        ppv_item=item,
        fan=two.fan,
        message=ppv,
        price_cents=1500,
        purchased_at=at(12),
    )
    purchase.save()
    return {"one": one, "two": two, "three": three, "ppv": ppv}


def test_the_review_log_of_a_known_day(actor_a, team, day_of_work):
    log = review_log(actor=actor_a, start=DAY, end=DAY)

    rows = {row.user_id: row for row in log.rows}
    first, second = rows[team["first"].id], rows[team["second"].id]
    assert (first.messages_sent, first.ppv_sent, first.ppv_bought) == (3, 1, 1)
    assert first.ppv_revenue_cents == 1500
    assert first.earnings_per_message_cents == 500
    assert first.replies == 2
    assert first.median_reply_s == 15 * 60  # median of 20 and 10 minutes
    assert (second.messages_sent, second.ppv_sent, second.ppv_bought) == (3, 0, 0)
    assert second.earnings_per_message_cents == 0
    assert second.replies == 2
    assert second.median_reply_s == 25 * 60  # median of 30 and 20 minutes
    # The owner appears with nothing; the analyst (cannot message) does not appear
    assert rows[actor_a.user_id].messages_sent == 0
    assert rows[actor_a.user_id].median_reply_s is None
    assert team["analyst"].id not in rows


def test_the_next_day_counts_only_its_own_messages(actor_a, team, day_of_work):
    log = review_log(actor=actor_a, start=DAY + timedelta(days=1), end=DAY + timedelta(days=1))

    rows = {row.user_id: row for row in log.rows}
    assert rows[team["first"].id].messages_sent == 1
    assert rows[team["first"].id].replies == 0  # the fan had not written since
    assert rows[team["first"].id].ppv_bought == 0
    assert rows[team["second"].id].messages_sent == 0


def test_another_creators_messages_are_not_counted(actor_b, team, day_of_work):
    log = review_log(actor=actor_b, start=DAY, end=DAY)

    assert [row.user_id for row in log.rows] == [actor_b.user_id]
    assert log.rows[0].messages_sent == 0


def test_the_review_api(signed_in, creator_a, owner_a, team, day_of_work):
    client = signed_in(owner_a, creator_a)

    response = client.get(f"/api/v1/team/review?start={DAY}&end={DAY}")

    assert response.status_code == 200
    items = {item["user_id"]: item for item in response.json()["items"]}
    assert items[team["first"].id]["earnings_per_message_cents"] == 500
    assert items[team["first"].id]["median_reply_s"] == 900


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-03-10&end=2026-03-01", "end"),
        ("start=2025-01-01&end=2026-03-01", "end"),
        ("start=nope&end=2026-03-01", "start"),
        ("start=9999-12-31&end=9999-12-31", "start"),
        ("start=0001-01-01&end=0001-01-02", "start"),
    ],
)
def test_a_bad_range_is_refused_naming_the_field(signed_in, creator_a, owner_a, query, field):
    response = signed_in(owner_a, creator_a).get(f"/api/v1/team/review?{query}")

    assert response.status_code == 422
    assert field in str(response.json())


def test_chatters_cannot_read_the_review(signed_in, creator_a, team):
    client = signed_in(team["first"], creator_a)

    assert client.get(f"/api/v1/team/review?start={DAY}&end={DAY}").status_code == 403
    assert client.get("/onlyfans/messages/review").status_code == 403


def test_the_review_page_shows_the_figures_and_the_chart(
    signed_in, creator_a, owner_a, team, day_of_work
):
    response = signed_in(owner_a, creator_a).get(f"/onlyfans/messages/review?start={DAY}&end={DAY}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="review-chart"' in html
    assert "review-chart-data" in html
    assert "15 min" in html
    assert "25 min" in html
    assert "$15.00" in html
    assert "$5.00" in html


def test_the_review_page_with_a_bad_range_falls_back_and_says_so(signed_in, creator_a, owner_a):
    response = signed_in(owner_a, creator_a).get(
        "/onlyfans/messages/review?start=2026-03-10&end=2026-03-01"
    )

    assert response.status_code == 200
    assert "Showing the last 30 days." in response.content.decode()


def test_the_review_page_without_activity_has_no_chart(signed_in, creator_a, owner_a, team):
    html = signed_in(owner_a, creator_a).get("/onlyfans/messages/review").content.decode()

    assert 'id="review-chart"' not in html
    assert "Nobody sent a message in these days." in html


# user_stats -------------------------------------------------------------------------------------


def test_user_stats_recompute_from_the_data(actor_a, creator_a, team, day_of_work):
    first, second = team["first"], team["second"]
    day_of_work["one"].assigned_to = first
    day_of_work["one"].save()
    day_of_work["three"].assigned_to = second
    day_of_work["three"].save()

    written = user_stats_recompute(creator_id=creator_a.id, now=at(23))

    assert written == 2
    stats = {row.user_id: row for row in UserStats.objects.for_creator(creator_a.id)}
    assert (stats[first.id].messages_sent, stats[first.id].revenue_cents) == (4, 1500)
    assert stats[first.id].active_chats == 1
    # Conversation one had 2 fan turns, both answered; three had 1, answered
    assert stats[first.id].response_rate == 1.0
    assert (stats[second.id].messages_sent, stats[second.id].active_chats) == (3, 1)


def test_response_rate_counts_unanswered_turns(actor_a, creator_a, team):
    first = team["first"]
    answered = ConversationFactory(creator=creator_a, assigned_to=first)
    waiting = ConversationFactory(creator=creator_a, assigned_to=first)
    message(answered, "in", at(9))
    message(answered, "out", at(9, 5), first)
    message(waiting, "in", at(9))

    user_stats_recompute(creator_id=creator_a.id, now=at(23))

    row = UserStats.objects.for_creator(creator_a.id).get(user_id=first.id)
    assert row.response_rate == 0.5
    assert row.active_chats == 2


def test_a_bought_ppv_adds_to_its_senders_revenue(creator_a, team, day_of_work):
    user_stats_record_ppv_purchase(
        creator_id=creator_a.id, message_id=day_of_work["ppv"].id, price_cents=1500
    )
    user_stats_record_ppv_purchase(
        creator_id=creator_a.id, message_id=day_of_work["ppv"].id, price_cents=500
    )

    row = UserStats.objects.for_creator(creator_a.id).get(user_id=team["first"].id)
    assert row.revenue_cents == 2000


def test_a_ppv_purchase_for_another_creators_message_changes_nothing(creator_b, team, day_of_work):
    user_stats_record_ppv_purchase(
        creator_id=creator_b.id, message_id=day_of_work["ppv"].id, price_cents=1500
    )

    assert not UserStats.objects.for_creator(creator_b.id).exists()


def test_sending_a_message_counts_it_in_user_stats(signed_in, creator_a, team):
    conversation = ConversationFactory(creator=creator_a)
    client = signed_in(team["first"], creator_a)

    response = client.post(
        f"/api/v1/conversations/{conversation.id}/messages",
        {"text": "hello"},
        content_type="application/json",
    )

    assert response.status_code == 201
    row = UserStats.objects.for_creator(creator_a.id).get(user_id=team["first"].id)
    assert row.messages_sent == 1


def test_assigning_keeps_active_chats_current(actor_a, creator_a, team):
    first, second = team["first"], team["second"]
    conversation = ConversationFactory(creator=creator_a, fan=FanFactory(creator=creator_a))

    conversation_assign(actor=actor_a, conversation_id=conversation.id, assignee_id=first.id)
    stats = {r.user_id: r.active_chats for r in UserStats.objects.for_creator(creator_a.id)}
    assert stats == {first.id: 1}

    conversation_assign(actor=actor_a, conversation_id=conversation.id, assignee_id=second.id)
    stats = {r.user_id: r.active_chats for r in UserStats.objects.for_creator(creator_a.id)}
    assert stats == {first.id: 0, second.id: 1}


def test_recompute_all_creators(creator_a, creator_b, owner_a, owner_b, team, day_of_work):
    from huntaze.inbox.services_team import user_stats_recompute_all

    assert user_stats_recompute_all(now=at(23)) >= 2
    assert UserStats.objects.for_creator(creator_a.id).filter(user_id=team["first"].id).exists()
    assert not UserStats.objects.for_creator(creator_b.id).filter(user_id=team["first"].id).exists()
