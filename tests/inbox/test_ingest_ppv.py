"""A PPV purchase that comes in through ingestion unlocks its message, counts for the PPV and
for the team member who sent it, once however often it is replayed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from huntaze.commerce.models import PPVItem, PPVPurchase
from huntaze.inbox.models import Conversation, UserStats
from tests.factories import MediaAssetFactory
from tests.inbox.conftest import message_item, purchase_item

MESSAGES_URL = "/api/v1/ingest/messages"
PURCHASES_URL = "/api/v1/ingest/purchases"


def _post(client, url, items):
    return client.post(url, data={"items": items}, content_type="application/json")


def test_an_ingested_ppv_purchase_unlocks_the_message_once(client_a, creator_a, owner_a):
    assert _post(client_a, MESSAGES_URL, [message_item(1, fan="fan-9")]).status_code == 200
    conversation = Conversation.objects.for_creator(creator_a.id).get()
    photo = MediaAssetFactory(creator=creator_a)
    sent = client_a.post(
        f"/api/v1/inbox/conversations/{conversation.id}/compose",
        data={"media_ids": [photo.id], "price_cents": 1500, "text": "for you"},
        content_type="application/json",
    ).json()
    bought = purchase_item(
        7, fan="fan-9", type="ppv", occurred_at=timezone.now() + timedelta(minutes=1)
    )

    for _ in range(2):  # a replay changes nothing
        response = _post(client_a, PURCHASES_URL, [bought])
        assert response.status_code == 200

    purchase = PPVPurchase.objects.for_creator(creator_a.id).get()
    assert (purchase.message_id, purchase.price_cents) == (sent["id"], 1500)
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.purchased_count, item.revenue_cents) == (1, 1500)
    stats = UserStats.objects.for_creator(creator_a.id).get(user=owner_a)
    assert stats.revenue_cents == 1500


def test_a_tip_unlocks_nothing(client_a, creator_a):
    _post(client_a, MESSAGES_URL, [message_item(1, fan="fan-9")])
    conversation = Conversation.objects.for_creator(creator_a.id).get()
    photo = MediaAssetFactory(creator=creator_a)
    client_a.post(
        f"/api/v1/inbox/conversations/{conversation.id}/compose",
        data={"media_ids": [photo.id], "price_cents": 1500},
        content_type="application/json",
    )
    tip = purchase_item(8, fan="fan-9", occurred_at=timezone.now() + timedelta(minutes=1))

    _post(client_a, PURCHASES_URL, [tip])

    assert PPVPurchase.objects.for_creator(creator_a.id).count() == 0
