"""The composer's send: vault media, a PPV price, and the confirmation before sending media a
fan already received; refused whole otherwise, and never across creators."""

from __future__ import annotations

import pytest

from huntaze.commerce.models import PPVDelivery, PPVItem
from huntaze.content.models import VaultDelivery
from huntaze.inbox.models import Message
from tests.factories import ConversationFactory, MediaAssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation_a(creator_a):
    return ConversationFactory(creator=creator_a)


def _compose(client, conversation, **body):
    return client.post(
        f"/api/v1/inbox/conversations/{conversation.id}/compose",
        data=body,
        content_type="application/json",
    )


def test_a_ppv_message_locks_media_at_a_price(client_a, creator_a, conversation_a):
    photo = MediaAssetFactory(creator=creator_a)
    response = _compose(
        client_a, conversation_a, text="Just for you", media_ids=[photo.id], price_cents=999
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["price_cents"], body["media_ids"]) == (999, [photo.id])
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.id, item.audience, item.sent_count, item.price_cents) == (
        body["ppv_item_id"],
        "fan",
        1,
        999,
    )
    assert PPVDelivery.objects.for_creator(creator_a.id).get().message_id == body["id"]
    assert VaultDelivery.objects.for_creator(creator_a.id).get().asset_id == photo.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x", "price_cents": 1000}, "media_ids"),
        ({"text": "x", "price_cents": 299, "with_media": True}, "price_cents"),
        ({"text": "x", "price_cents": 20001, "with_media": True}, "price_cents"),
        ({"text": "", "media_ids": []}, "text"),
    ],
)
def test_bad_input_is_refused_whole(client_a, creator_a, conversation_a, body, field):
    photo = MediaAssetFactory(creator=creator_a)
    if body.pop("with_media", False):
        body["media_ids"] = [photo.id]
    response = _compose(client_a, conversation_a, **body)
    assert response.status_code == 422
    assert list(response.json()["field_errors"]) == [field]
    assert Message.objects.for_creator(creator_a.id).count() == 0
    assert PPVItem.objects.for_creator(creator_a.id).count() == 0


def test_a_negative_price_is_refused(client_a, creator_a, conversation_a):
    response = _compose(client_a, conversation_a, text="x", price_cents=-5)
    assert response.status_code == 422
    assert Message.objects.for_creator(creator_a.id).count() == 0


def test_media_already_sent_to_the_fan_needs_a_confirmation(client_a, creator_a, conversation_a):
    photo, video = MediaAssetFactory(creator=creator_a), MediaAssetFactory(creator=creator_a)
    assert _compose(client_a, conversation_a, media_ids=[photo.id]).status_code == 201
    # The vault picker shows it as sent to this fan
    vault = client_a.get(f"/api/v1/inbox/conversations/{conversation_a.id}/vault").json()
    marks = {item["id"]: item["sent_to_fan_at"] is not None for item in vault["items"]}
    assert marks == {photo.id: True, video.id: False}
    # Sending it again without confirming is refused, and nothing is stored
    again = _compose(client_a, conversation_a, text="again", media_ids=[video.id, photo.id])
    assert again.status_code == 409
    assert list(again.json()["field_errors"]) == ["media_ids"]
    assert str(photo.id) in again.json()["message"]
    assert Message.objects.for_creator(creator_a.id).count() == 1
    # Confirmed, it goes
    confirmed = _compose(
        client_a, conversation_a, text="again", media_ids=[video.id, photo.id], confirm_resend=True
    )
    assert confirmed.status_code == 201
    assert VaultDelivery.objects.for_creator(creator_a.id).filter(asset=photo).count() == 2


def test_another_fan_has_not_received_it(client_a, creator_a, conversation_a):
    photo = MediaAssetFactory(creator=creator_a)
    other = ConversationFactory(creator=creator_a)
    _compose(client_a, conversation_a, media_ids=[photo.id])
    assert _compose(client_a, other, media_ids=[photo.id]).status_code == 201


def test_b_cannot_send_as_a_nor_with_as_media(
    creator_a, creator_b, owner_b, signed_in, conversation_a
):
    client_b = signed_in(owner_b, creator_b)
    media_a = MediaAssetFactory(creator=creator_a)
    conversation_b = ConversationFactory(creator=creator_b)
    to_a = _compose(client_b, conversation_a, text="hi")
    with_a_media = _compose(client_b, conversation_b, media_ids=[media_a.id], price_cents=500)
    assert to_a.status_code == 404
    assert (with_a_media.status_code, list(with_a_media.json()["field_errors"])) == (
        422,
        ["media_ids"],
    )
    assert client_b.get(f"/api/v1/inbox/conversations/{conversation_a.id}/vault").status_code == 404
    assert client_b.get(f"/onlyfans/messages/vault/{media_a.id}/file").status_code == 404
    assert Message.all_creators.count() == 0
    assert PPVItem.all_creators.count() == 0


def test_an_analyst_cannot_send(creator_a, member_of, signed_in, conversation_a):
    analyst = member_of(creator_a, "analyst")
    response = _compose(signed_in(analyst, creator_a), conversation_a, text="hello")
    assert response.status_code == 403
    assert Message.objects.for_creator(creator_a.id).count() == 0


def test_the_composer_is_on_the_conversation_page(client_a, conversation_a):
    page = client_a.get(f"/onlyfans/messages/{conversation_a.id}").content.decode()
    assert 'id="composer-vault-open"' in page
    assert 'id="script-picker"' in page
    assert "js/inbox_composer.js" in page


def test_an_ingested_purchase_marks_the_ppv_message_bought_once(
    client_a, creator_a, conversation_a
):
    from datetime import timedelta

    from django.utils import timezone

    from huntaze.commerce.models import PPVPurchase
    from huntaze.inbox.services_messages import ppv_purchase_ingest

    photo = MediaAssetFactory(creator=creator_a)
    sent = _compose(client_a, conversation_a, media_ids=[photo.id], price_cents=1200).json()
    later = timezone.now() + timedelta(minutes=1)
    other_price = ppv_purchase_ingest(
        creator_id=creator_a.id,
        fan_id=conversation_a.fan_id,
        amount_cents=1100,
        occurred_at=later,
    )
    assert other_price is None
    for _ in range(2):
        ppv_purchase_ingest(
            creator_id=creator_a.id,
            fan_id=conversation_a.fan_id,
            amount_cents=1200,
            occurred_at=later,
        )
    purchase = PPVPurchase.objects.for_creator(creator_a.id).get()
    assert (purchase.message_id, purchase.ppv_item_id) == (sent["id"], sent["ppv_item_id"])
    item = PPVItem.objects.for_creator(creator_a.id).get()
    assert (item.purchased_count, item.revenue_cents) == (1, 1200)
    states = client_a.get(f"/api/v1/inbox/conversations/{conversation_a.id}/ppv-states").json()
    assert [(s["message_id"], s["is_bought"]) for s in states] == [(sent["id"], True)]
