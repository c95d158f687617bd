"""Ingestion matches fans, messages and purchases by their platform ids within the calling
creator only: platform ids that creator B already has never attach A's data to B's rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from huntaze.accounts.services import api_key_create
from huntaze.commerce.models import Transaction
from huntaze.core.context import Actor
from huntaze.fans.models import Fan
from huntaze.inbox.models import Message
from tests.factories import creator_owned_rows
from tests.test_tenancy_api import _snapshot_of


@pytest.fixture
def rows_b(creator_b, owner_b):
    return creator_owned_rows(creator=creator_b, user=owner_b, marker="bsecret")


@pytest.fixture
def api_a(creator_a, owner_a):
    key = api_key_create(
        actor=Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner"), name="ingest"
    )
    return Client(headers={"Authorization": f"Bearer {key.raw_key}"})


def test_ingesting_a_message_with_bs_platform_ids_creates_as_own_rows(
    api_a, rows_b, creator_a, creator_b
):
    fan_b, message_b = rows_b[Fan], rows_b[Message]
    before = _snapshot_of(creator_b)

    response = api_a.post(
        "/api/v1/ingest/messages",
        data={
            "items": [
                {
                    "platform_message_id": message_b.platform_message_id,
                    "platform": fan_b.platform,
                    "fan": {"platform_fan_id": fan_b.platform_fan_id, "username": "copycat"},
                    "direction": "in",
                    "text": "hello from A's side",
                    "sent_at": timezone.now().isoformat(),
                }
            ],
            "suggest": False,
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    item = response.json()["items"][0]
    fan_a = Fan.objects.for_creator(creator_a.id).get(platform_fan_id=fan_b.platform_fan_id)
    assert item["fan_id"] == fan_a.id != fan_b.id
    assert Message.objects.for_creator(creator_a.id).get(id=item["id"]).text == (
        "hello from A's side"
    )
    assert _snapshot_of(creator_b) == before


def test_ingesting_a_purchase_with_bs_platform_ids_creates_as_own_rows(
    api_a, rows_b, creator_a, creator_b
):
    fan_b, transaction_b = rows_b[Fan], rows_b[Transaction]
    before = _snapshot_of(creator_b)

    response = api_a.post(
        "/api/v1/ingest/purchases",
        data={
            "items": [
                {
                    "platform_transaction_id": transaction_b.platform_transaction_id,
                    "platform": fan_b.platform,
                    "fan": {"platform_fan_id": fan_b.platform_fan_id},
                    "type": "tip",
                    "amount_cents": 1500,
                    "occurred_at": timezone.now().isoformat(),
                }
            ]
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    transaction_a = Transaction.objects.for_creator(creator_a.id).get(
        platform_transaction_id=transaction_b.platform_transaction_id
    )
    assert transaction_a.amount_cents == 1500
    assert transaction_a.fan_id != fan_b.id
    assert _snapshot_of(creator_b) == before
