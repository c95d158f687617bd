"""PPV campaigns: created whole or not at all, sent once per fan, bought once, counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huntaze.commerce.models import PPVDelivery, PPVItem, PPVPurchase
from huntaze.commerce.services_ppv import ppv_purchase_record
from huntaze.commerce.services_ppv_send import ppv_send_batch, ppv_send_due
from huntaze.commerce.tasks import ppv_send
from huntaze.content.models import VaultDelivery
from huntaze.inbox.models import Conversation, Message
from tests.factories import ConversationFactory, FanFactory, MediaAssetFactory, MessageFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/ppv"


def _create(client, **body):
    return client.post(URL, data=body, content_type="application/json")


@pytest.fixture
def vault_a(creator_a):
    return [MediaAssetFactory(creator=creator_a), MediaAssetFactory(creator=creator_a)]


@pytest.fixture
def fans_a(creator_a):
    return [FanFactory(creator=creator_a) for _ in range(3)]


def _body(vault, fans, **extra):
    return {
        "title": "Beach set",
        "caption": "Unlock the full set",
        "price_cents": 1500,
        "media_ids": [asset.id for asset in vault],
        "fan_ids": [fan.id for fan in fans],
        **extra,
    }


def test_a_ppv_goes_to_each_chosen_fan_once(
    client_a, creator_a, vault_a, fans_a, django_capture_on_commit_callbacks
):
    # Given a fan who already has a conversation
    ConversationFactory(creator=creator_a, fan=fans_a[0])
    # When the PPV is created to send now (the task runs on commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client_a, **_body(vault_a, fans_a))
    # Then every fan got one message with the locked media, and the figures say so
    assert response.status_code == 201
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.status, item.sent_count, item.target_count, item.audience) == (
        "completed",
        3,
        3,
        "fans",
    )
    messages = Message.objects.for_creator(creator_a.id).filter(ppv_item=item)
    assert sorted(m.fan_id for m in messages) == sorted(f.id for f in fans_a)
    assert {(m.price_cents, m.text, tuple(m.media_ids)) for m in messages} == {
        (1500, "Unlock the full set", tuple(a.id for a in vault_a))
    }
    assert Conversation.objects.for_creator(creator_a.id).count() == 3
    assert VaultDelivery.objects.for_creator(creator_a.id).count() == 6
    # And a rerun of the task sends nothing twice
    ppv_send.delay(creator_id=creator_a.id, ppv_item_id=item.id)
    item.status = "active"
    item.save(update_fields=["status"])
    ppv_send_batch(creator_id=creator_a.id, ppv_item_id=item.id)
    assert messages.count() == 3
    assert PPVDelivery.objects.for_creator(creator_a.id).count() == 3


def test_sending_in_batches_reports_progress(creator_a, owner_a, vault_a):
    fans = [FanFactory(creator=creator_a) for _ in range(5)]
    item = PPVItem.objects.create(
        creator=creator_a,
        created_by=owner_a,
        title="t",
        price_cents=500,
        media_ids=[vault_a[0].id],
        fan_ids=[fan.id for fan in fans],
        status="active",
    )
    first = ppv_send_batch(creator_id=creator_a.id, ppv_item_id=item.id, batch_size=2)
    assert (first.done, first.target, first.is_finished) == (2, 5, False)
    second = ppv_send_batch(creator_id=creator_a.id, ppv_item_id=item.id, batch_size=2)
    assert (second.done, second.is_finished) == (4, False)
    last = ppv_send_batch(creator_id=creator_a.id, ppv_item_id=item.id, batch_size=2)
    assert (last.done, last.is_finished) == (5, True)
    item.refresh_from_db()
    assert (item.status, item.sent_count) == ("completed", 5)


def test_fans_who_already_have_the_media_are_skipped(
    client_a, creator_a, vault_a, fans_a, django_capture_on_commit_callbacks
):
    received = MessageFactory(
        conversation__creator=creator_a, conversation__fan=fans_a[0], direction="out"
    )
    VaultDelivery.objects.create(
        creator=creator_a,
        fan=fans_a[0],
        asset=vault_a[1],
        message=received,
        sent_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _create(client_a, **_body(vault_a, fans_a))
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.sent_count, item.skipped_count, item.target_count) == (2, 1, 3)
    assert (
        not Message.objects.for_creator(creator_a.id).filter(ppv_item=item, fan=fans_a[0]).exists()
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price_cents": 299}, "price_cents"),
        ({"price_cents": 20001}, "price_cents"),
        ({"media_ids": []}, "media_ids"),
        ({"fan_ids": []}, "fan_ids"),
        ({"title": "  "}, "title"),
        ({"scheduled_at": "2020-01-01T00:00:00+00:00"}, "scheduled_at"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    client_a, creator_a, vault_a, fans_a, change, field
):
    response = _create(client_a, **_body(vault_a, fans_a, **change))
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == [field]
    assert PPVItem.objects.for_creator(creator_a.id).count() == 0


def test_bounds_are_accepted(client_a, creator_a, vault_a, fans_a):
    later = (timezone.now() + timedelta(days=1)).isoformat()
    for price in (300, 20000):
        response = _create(
            client_a, **_body(vault_a, fans_a, price_cents=price, scheduled_at=later)
        )
        assert response.status_code == 201, response.json()
    assert PPVItem.objects.for_creator(creator_a.id).filter(status="scheduled").count() == 2
    assert Message.objects.for_creator(creator_a.id).count() == 0


def test_another_creators_media_or_fans_are_refused(
    client_a, creator_a, creator_b, vault_a, fans_a
):
    foreign_media = MediaAssetFactory(creator=creator_b)
    foreign_fan = FanFactory(creator=creator_b)
    media = _create(client_a, **_body([*vault_a, foreign_media], fans_a))
    fans = _create(client_a, **_body(vault_a, [*fans_a, foreign_fan]))
    assert (media.status_code, list(media.json()["field_errors"])) == (422, ["media_ids"])
    assert (fans.status_code, list(fans.json()["field_errors"])) == (422, ["fan_ids"])
    assert PPVItem.all_creators.count() == 0
    assert Message.all_creators.count() == 0


def test_member_of_b_cannot_see_or_cancel_a_ppv_of_a(
    creator_a, creator_b, owner_b, signed_in, vault_a
):
    item = PPVItem.objects.create(
        creator=creator_a,
        title="A's",
        price_cents=500,
        media_ids=[vault_a[0].id],
        status="scheduled",
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    client_b = signed_in(owner_b, creator_b)
    assert client_b.get(f"{URL}/{item.id}").status_code == 404
    assert client_b.post(f"{URL}/{item.id}/cancel").status_code == 404
    assert client_b.get(URL).json()["items"] == []
    item.refresh_from_db()
    assert item.status == "scheduled"


def test_a_scheduled_ppv_can_be_cancelled_then_never_sends(
    client_a, creator_a, vault_a, fans_a, django_capture_on_commit_callbacks
):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    created = _create(client_a, **_body(vault_a, fans_a, scheduled_at=later)).json()
    cancelled = client_a.post(f"{URL}/{created['id']}/cancel")
    assert cancelled.json()["status"] == "archived"
    with django_capture_on_commit_callbacks(execute=True):
        started = ppv_send_due(now=timezone.now() + timedelta(hours=2))
    assert started == 0
    assert Message.objects.for_creator(creator_a.id).count() == 0


def test_a_scheduled_ppv_starts_when_due(
    client_a, creator_a, vault_a, fans_a, django_capture_on_commit_callbacks
):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    _create(client_a, **_body(vault_a, fans_a, scheduled_at=later))
    assert ppv_send_due(now=timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert ppv_send_due(now=timezone.now() + timedelta(hours=2)) == 1
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.status, item.sent_count) == ("completed", 3)


def test_the_list_shows_the_figures(client_a, creator_a):
    PPVItem.objects.create(
        creator=creator_a,
        title="Sold",
        price_cents=1000,
        sent_count=40,
        purchased_count=10,
        revenue_cents=10000,
        status="completed",
    )
    PPVItem.objects.create(creator=creator_a, title="Unsent", price_cents=1000, status="draft")
    body = client_a.get(URL).json()
    sold = next(row for row in body["items"] if row["title"] == "Sold")
    assert (sold["buy_rate"], sold["revenue_per_recipient_cents"]) == (0.25, 250)
    unsent = next(row for row in body["items"] if row["title"] == "Unsent")
    assert (unsent["buy_rate"], unsent["revenue_per_recipient_cents"]) == (0.0, 0)
    assert body["totals"] == {
        "count": 2,
        "sent_count": 40,
        "purchased_count": 10,
        "revenue_cents": 10000,
        "buy_rate": 0.25,
        "revenue_per_recipient_cents": 250,
    }


def test_a_purchase_marks_the_message_bought_once(
    client_a, creator_a, vault_a, fans_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _create(client_a, **_body(vault_a, fans_a[:1]))
    item = PPVItem.objects.for_creator(creator_a.id).get()
    message = Message.objects.for_creator(creator_a.id).get(ppv_item=item)
    later = timezone.now() + timedelta(minutes=5)
    wrong_price = ppv_purchase_record(
        creator_id=creator_a.id, fan_id=fans_a[0].id, amount_cents=999, occurred_at=later
    )
    assert wrong_price is None
    for _ in range(2):
        ppv_purchase_record(
            creator_id=creator_a.id, fan_id=fans_a[0].id, amount_cents=1500, occurred_at=later
        )
    purchase = PPVPurchase.objects.for_creator(creator_a.id).get()
    assert (purchase.message_id, purchase.ppv_item_id) == (message.id, item.id)
    item.refresh_from_db()
    assert (item.purchased_count, item.revenue_cents) == (1, 1500)
    conversation = Conversation.objects.for_creator(creator_a.id).get()
    states = client_a.get(f"/api/v1/inbox/conversations/{conversation.id}/ppv-states").json()
    assert [(s["message_id"], s["is_bought"]) for s in states] == [(message.id, True)]


def _segment(creator, *, min_spent_cents: int):
    from huntaze.fans.models import Segment

    return Segment.objects.create(
        creator=creator,
        name=f"Spent {min_spent_cents}+",
        rules={
            "match": "all",
            "conditions": [{"field": "spend_cents", "op": "gte", "value": min_spent_cents}],
        },
    )


def test_a_ppv_to_a_segment_reaches_its_fans_at_send_time(
    client_a, creator_a, vault_a, django_capture_on_commit_callbacks
):
    big = [FanFactory(creator=creator_a, total_spent_cents=50_000) for _ in range(3)]
    FanFactory(creator=creator_a, total_spent_cents=100)
    segment = _segment(creator_a, min_spent_cents=10_000)
    body = _body(vault_a, [], segment_id=segment.id)
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client_a, **body)
    assert response.status_code == 201, response.json()
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.audience, item.sent_count, item.target_count) == ("segment", 3, 3)
    reached = set(
        Message.objects.for_creator(creator_a.id)
        .filter(ppv_item=item)
        .values_list("fan_id", flat=True)
    )
    assert reached == {fan.id for fan in big}


def test_another_creators_segment_is_not_found(client_a, creator_a, creator_b, vault_a):
    foreign = _segment(creator_b, min_spent_cents=0)
    response = _create(client_a, **_body(vault_a, [], segment_id=foreign.id))
    assert response.status_code == 404
    both = _create(client_a, **_body(vault_a, [FanFactory(creator=creator_a)], segment_id=1))
    assert (both.status_code, list(both.json()["field_errors"])) == (422, ["segment_id"])
    assert PPVItem.all_creators.count() == 0


def test_without_history_the_suggestion_says_so(client_a):
    body = client_a.get("/api/v1/ppv-price-suggestion").json()
    assert body == {
        "price_cents": None,
        "reason": "not_enough_data",
        "explanation": "",
        "floor_cents": 300,
        "ceiling_cents": 20000,
    }
