"""The Fans CRM pages: the table (filters, pages, empty states, CSV, bulk tags), the profile
and its timeline, by role and across creators."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from huntaze.core.context import Actor
from huntaze.fans.models import Fan, FanNote, Segment, Subscription
from huntaze.fans.selectors_crm import PAGE_SIZE
from tests.factories import ConversationFactory, FanFactory, MessageFactory, TransactionFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_table_lists_the_fans_biggest_spenders_first(client_a, creator_a):
    FanFactory(creator=creator_a, username="small", display_name="Small", total_spent_cents=500)
    FanFactory(creator=creator_a, username="big", display_name="Big", total_spent_cents=90_000)

    response = client_a.get("/onlyfans/fans")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("@big") < html.index("@small")
    assert "$900.00" in html
    assert "Fans 1–2 of 2" in html


def test_the_empty_states_tell_no_fans_from_no_match(client_a, creator_a):
    assert "No fans yet" in client_a.get("/onlyfans/fans").content.decode()
    FanFactory(creator=creator_a, username="someone")
    response = client_a.get("/onlyfans/fans?q=nobody")
    assert response.status_code == 200
    assert "No fan matches these filters." in response.content.decode()


def test_pages_are_bounded_and_walk_the_fans(client_a, creator_a):
    for index in range(PAGE_SIZE + 3):
        FanFactory(creator=creator_a, username=f"fan{index:03d}", total_spent_cents=index)

    first = client_a.get("/onlyfans/fans?sort=name").content.decode()
    second = client_a.get("/onlyfans/fans?sort=name&page=2").content.decode()

    assert "@fan000" in first
    assert "@fan049" in first
    assert "@fan050" not in first
    assert "@fan050" in second
    assert "@fan052" in second
    assert "@fan000" not in second
    assert 'href="/onlyfans/fans?sort=name&amp;page=2"' in first
    assert "Page 2 of 2" in second
    far = client_a.get("/onlyfans/fans?page=201")
    assert far.status_code == 422
    assert "page" in far.content.decode()


def test_filters_search_state_platform_tag_and_smart_list(client_a, creator_a):
    FanFactory(
        creator=creator_a,
        username="anna",
        display_name="Anna",
        subscription_state="expired",
        platform="fansly",
        tags=["vip"],
        total_spent_cents=20_000,
    )
    # (a random display name such as "Joanna" would match the search too)
    FanFactory(creator=creator_a, username="bob", display_name="Bob", subscription_state="active")

    def names(query: str) -> set[str]:
        html = client_a.get(f"/onlyfans/fans?{query}").content.decode()
        return {name for name in ("anna", "bob") if f"@{name}" in html}

    assert names("q=ann") == {"anna"}
    assert names("state=active") == {"bob"}
    assert names("platform=fansly") == {"anna"}
    assert names("tag=VIP") == {"anna"}
    assert names("list=big_spenders") == {"anna"}
    assert names("list=never_spent") == {"bob"}


def test_a_bad_filter_gets_a_clear_message_not_a_crash(client_a):
    response = client_a.get("/onlyfans/fans?sort=shoe_size")
    assert response.status_code == 422
    assert "sort: use one of" in response.content.decode()
    assert client_a.get("/onlyfans/fans?segment=abc").status_code == 422
    assert client_a.get("/onlyfans/fans?list=whales").status_code == 422


def test_a_saved_segment_filters_the_table(client_a, creator_a):
    FanFactory(creator=creator_a, username="loyal", tags=["loyal"])
    FanFactory(creator=creator_a, username="other")
    segment = Segment.all_creators.create(
        creator=creator_a,
        name="Loyal",
        rules={"match": "all", "conditions": [{"field": "tags", "op": "has", "value": "loyal"}]},
        fan_count=1,
    )
    html = client_a.get(f"/onlyfans/fans?segment={segment.id}").content.decode()
    assert "@loyal" in html
    assert "@other" not in html


def test_the_csv_export_streams_the_matching_fans(client_a, creator_a, creator_b):
    FanFactory(
        creator=creator_a,
        username="anna",
        display_name="=HYPERLINK(1)",
        total_spent_cents=1234,
        tags=["vip", "new"],
    )
    FanFactory(creator=creator_a, username="bob", subscription_state="expired")
    FanFactory(creator=creator_b, username="theirs")

    response = client_a.get("/onlyfans/fans/export.csv?state=none")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv(response)
    assert rows[0][:4] == ["id", "platform", "username", "display_name"]
    assert [row[2] for row in rows[1:]] == ["anna"]
    anna = dict(zip(rows[0], rows[1], strict=True))
    assert anna["total_spent_cents"] == "1234"
    assert anna["tags"] == "vip, new"
    assert anna["display_name"] == "'=HYPERLINK(1)"  # never run as a formula
    assert anna["ltv_cents"] == ""  # unknown stays empty


def test_the_csv_export_walks_batches(client_a, creator_a, monkeypatch):
    monkeypatch.setattr("huntaze.fans.selectors_crm.EXPORT_BATCH", 2)
    for index in range(5):
        FanFactory(creator=creator_a, username=f"f{index}")
    from huntaze.fans import selectors_crm

    batches = list(
        selectors_crm.fan_export_batches(
            actor=Actor(creator_id=creator_a.id, user_id=None, role="owner"),
            filters=selectors_crm.FanTableFilters(),
            batch_size=2,
        )
    )
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert len(_csv(client_a.get("/onlyfans/fans/export.csv"))) == 6


def test_bulk_tagging_the_selected_fans(client_a, creator_a):
    first = FanFactory(creator=creator_a, tags=["old"])
    second = FanFactory(creator=creator_a, tags=[])
    untouched = FanFactory(creator=creator_a, tags=[])

    response = client_a.post(
        "/onlyfans/fans/tags",
        {
            "action": "add",
            "bulk_tag": "Promo",
            "scope": "selected",
            "fan_ids": [first.id, second.id],
        },
    )

    assert response.status_code == 302
    assert Fan.all_creators.get(id=first.id).tags == ["old", "promo"]
    assert Fan.all_creators.get(id=second.id).tags == ["promo"]
    assert Fan.all_creators.get(id=untouched.id).tags == []


def test_bulk_tagging_all_matching_the_filter(client_a, creator_a, creator_b):
    expired = [FanFactory(creator=creator_a, subscription_state="expired") for _ in range(3)]
    active = FanFactory(creator=creator_a, subscription_state="active")
    theirs = FanFactory(creator=creator_b, subscription_state="expired")

    client_a.post(
        "/onlyfans/fans/tags",
        {"action": "add", "bulk_tag": "winback", "scope": "all", "state": "expired"},
    )

    assert all(Fan.all_creators.get(id=f.id).tags == ["winback"] for f in expired)
    assert Fan.all_creators.get(id=active.id).tags == []
    assert Fan.all_creators.get(id=theirs.id).tags == []


def test_an_analyst_reads_the_table_but_cannot_tag(creator_a, member_of, signed_in):
    fan = FanFactory(creator=creator_a, username="seen", tags=[])
    client = signed_in(member_of(creator_a, "analyst"), creator_a)

    html = client.get("/onlyfans/fans").content.decode()
    response = client.post(
        "/onlyfans/fans/tags",
        {"action": "add", "bulk_tag": "x", "scope": "selected", "fan_ids": [fan.id]},
    )

    assert "@seen" in html
    assert 'name="bulk_tag"' not in html
    assert "Save segment" not in html
    assert response.status_code == 403
    assert Fan.all_creators.get(id=fan.id).tags == []


def test_a_chatter_reads_the_table_and_profile(creator_a, member_of, signed_in):
    fan = FanFactory(creator=creator_a, username="chatty")
    client = signed_in(member_of(creator_a, "chatter"), creator_a)
    assert client.get("/onlyfans/fans").status_code == 200
    assert client.get(f"/onlyfans/fans/{fan.id}").status_code == 200


def test_a_member_of_b_cannot_reach_a_fans(creator_a, creator_b, owner_b, signed_in):
    fan = FanFactory(creator=creator_a, username="private", tags=[])
    client = signed_in(owner_b, creator_b)

    assert client.get(f"/onlyfans/fans/{fan.id}").status_code == 404
    assert client.get(f"/onlyfans/fans/{fan.id}/timeline").status_code == 404
    assert "@private" not in client.get("/onlyfans/fans").content.decode()
    assert (
        "private"
        not in b"".join(client.get("/onlyfans/fans/export.csv").streaming_content).decode()
    )
    response = client.post(
        "/onlyfans/fans/tags",
        {"action": "add", "bulk_tag": "stolen", "scope": "selected", "fan_ids": [fan.id]},
    )
    assert response.status_code == 404
    assert Fan.all_creators.get(id=fan.id).tags == []


def test_signed_out_visitors_go_to_the_login_page(client):
    response = client.get("/onlyfans/fans")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


# Profile ----------------------------------------------------------------------------------------


@pytest.fixture
def profile_fan(creator_a, owner_a):
    fan = FanFactory(
        creator=creator_a,
        username="maya",
        display_name="Maya",
        total_spent_cents=4_500,
        purchases_count=2,
        tags=["vip"],
        subscription_state="active",
    )
    now = timezone.now()
    Subscription.all_creators.create(
        creator=creator_a,
        fan=fan,
        amount_cents=999,
        status="active",
        started_at=now - timedelta(days=20),
        expires_at=now + timedelta(days=10),
    )
    TransactionFactory(
        creator=creator_a,
        fan=fan,
        amount_cents=2_000,
        type="tip",
        occurred_at=now - timedelta(days=5),
    )
    TransactionFactory(
        creator=creator_a,
        fan=fan,
        amount_cents=2_500,
        type="ppv",
        occurred_at=now - timedelta(days=3),
    )
    conversation = ConversationFactory(creator=creator_a, fan=fan)
    MessageFactory(conversation=conversation, text="Hello there", sent_at=now - timedelta(days=1))
    FanNote.all_creators.create(creator=creator_a, fan=fan, author=owner_a, text="Loves cats")
    return fan, conversation


def test_the_profile_shows_header_chart_timeline_and_conversation(client_a, profile_fan):
    fan, conversation = profile_fan

    response = client_a.get(f"/onlyfans/fans/{fan.id}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Maya</h1>" in html
    assert "$45.00" in html
    assert "not known yet" in html  # LTV and churn risk are not made up
    assert f'href="/onlyfans/messages/{conversation.id}"' in html
    assert 'id="fan-spend-data"' in html
    timeline = html[html.index('id="fan-timeline"') :]
    assert timeline.index("Loves cats") < timeline.index("Hello there")
    assert timeline.index("Hello there") < timeline.index("Pay-per-view") < timeline.index("Tip")
    assert timeline.index("Tip") < timeline.index("Subscribed")
    chart = response.context["chart_data"]
    assert {s["type"]: sum(s["cents"]) for s in chart["series"]} == {"ppv": 2_500, "tip": 2_000}


def test_the_timeline_pages_with_a_cursor(client_a, creator_a, owner_a):
    fan = FanFactory(creator=creator_a)
    moment = datetime(2025, 6, 1, tzinfo=UTC)
    for index in range(30):
        note = FanNote.all_creators.create(
            creator=creator_a, fan=fan, author=owner_a, text=f"n{index:02d}"
        )
        FanNote.all_creators.filter(id=note.id).update(
            created_at=moment + timedelta(minutes=index // 2)
        )

    first = client_a.get(f"/onlyfans/fans/{fan.id}").context["timeline"]
    more = client_a.get(f"/onlyfans/fans/{fan.id}/timeline", {"before": first.next_cursor})
    rest = more.context["timeline"]

    seen = [e.detail for e in first.entries] + [e.detail for e in rest.entries]
    assert len(first.entries) == 25
    assert rest.next_cursor is None
    assert sorted(seen) == [f"n{index:02d}" for index in range(30)]  # none lost, none twice
    assert len(set(seen)) == 30


def test_a_bad_timeline_cursor_is_named(client_a, creator_a):
    fan = FanFactory(creator=creator_a)
    response = client_a.get(f"/onlyfans/fans/{fan.id}/timeline", {"before": "yesterday"})
    assert response.status_code == 422
    assert "before" in response.content.decode()


def test_an_empty_profile_has_empty_states(client_a, creator_a):
    fan = FanFactory(creator=creator_a)
    html = client_a.get(f"/onlyfans/fans/{fan.id}").content.decode()
    assert "No purchase in the last 12 months." in html
    assert "Nothing yet" in html
    assert "fan-spend-data" not in html
