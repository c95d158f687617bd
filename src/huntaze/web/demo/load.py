"""The generated columns, written table by table through the BulkWriter."""

from __future__ import annotations

import numpy as np

from huntaze.web.demo.commerce import (
    STATUSES,
    TYPE_PPV,
    TYPES,
    PPVCatalog,
    PurchaseData,
    TransactionData,
)
from huntaze.web.demo.fans import (
    PLATFORMS,
    STATES,
    SUB_STATUSES,
    TIERS,
    FanData,
    fan_tags,
)
from huntaze.web.demo.inbox import PREVIEW_LENGTH, InboxData
from huntaze.web.demo.team import Team
from huntaze.web.demo.texts import FAN_TIMEZONES, PPV_CAPTIONS
from huntaze.web.demo.writer import BulkWriter, Column


def _creator_column(teams: list[Team], creator_index: np.ndarray) -> Column:
    return Column.lookup([team.creator_id for team in teams], creator_index)


def _nullable_ts(values: np.ndarray) -> Column:
    return Column.ts(np.maximum(values, 0), null=values < 0)


def _nullable_id(values: np.ndarray) -> Column:
    return Column.int(np.maximum(values, 0), null=values < 0)


def ppv_items_write(
    writer: BulkWriter,
    *,
    teams: list[Team],
    catalog: PPVCatalog,
    inbox: InboxData,
    purchases: PurchaseData,
    anchor: int,
) -> None:
    catalog.ids = writer.next_ids("ppv_items", catalog.count)
    offered = inbox.ppv_item[inbox.ppv_item >= 0]
    sent_count = np.bincount(offered, minlength=catalog.count)
    purchased = np.bincount(purchases.item, minlength=catalog.count)
    revenue = np.rint(
        np.bincount(purchases.item, weights=purchases.price.astype(float), minlength=catalog.count)
    ).astype(np.int64)
    captions = [
        line.format(pet=team.profile.pets[0], creator=team.first_name)
        for team in teams
        for line in PPV_CAPTIONS
    ]
    created = np.where(catalog.is_future, anchor - 3600, catalog.time - 86_400)
    writer.write(
        "ppv_items",
        {
            "id": Column.int(catalog.ids),
            "creator_id": _creator_column(teams, catalog.creator),
            "created_at": Column.ts(created),
            "updated_at": Column.ts(np.where(catalog.is_future, created, catalog.time)),
            "title": Column.text(catalog.title),
            "caption": Column.lookup(
                captions, catalog.creator * len(PPV_CAPTIONS) + catalog.caption_index
            ),
            "price_cents": Column.int(catalog.price),
            "media_ids": Column.const("[]"),
            "status": Column.lookup(["completed", "scheduled"], catalog.is_future.astype(int)),
            "scheduled_at": Column.ts(catalog.time),
            "segment_id": Column.const(None),
            "sent_count": Column.int(sent_count),
            "purchased_count": Column.int(purchased),
            "revenue_cents": Column.int(revenue),
        },
        catalog.count,
    )


def fans_write(writer: BulkWriter, *, teams: list[Team], fans: FanData, anchor: int) -> None:
    assert fans.total_spent is not None
    assert fans.purchases is not None
    assert fans.first_purchase is not None
    assert fans.last_purchase is not None
    assert fans.last_message is not None
    fans.ids = writer.next_ids("fans", fans.count)
    tag_table, tag = fan_tags(fans)
    subscribed = fans.has_subscription
    touched = np.maximum.reduce(
        [fans.joined, fans.last_purchase, fans.last_message, np.full(fans.count, 0)]
    )
    writer.write(
        "fans",
        {
            "id": Column.int(fans.ids),
            "creator_id": _creator_column(teams, fans.creator),
            "created_at": Column.ts(fans.joined),
            "updated_at": Column.ts(np.minimum(touched, anchor)),
            "platform": Column.lookup(PLATFORMS, fans.platform),
            "platform_fan_id": Column.text(fans.platform_fan_id),
            "username": Column.text(fans.username),
            "display_name": Column.text(fans.display_name),
            "timezone": Column.lookup(FAN_TIMEZONES, fans.timezone_index),
            "joined_at": Column.ts(fans.joined),
            "subscription_state": Column.lookup(STATES, fans.state),
            "subscription_expires_at": Column.ts(fans.subscription_expires, null=~subscribed),
            "total_spent_cents": Column.int(fans.total_spent),
            "purchases_count": Column.int(fans.purchases),
            "first_purchase_at": _nullable_ts(fans.first_purchase),
            "last_purchase_at": _nullable_ts(fans.last_purchase),
            "last_message_at": _nullable_ts(fans.last_message),
            "tags": Column.lookup(tag_table, tag),
            "ai_memory": Column.const("[]"),
            "ltv_cents": Column.const(None),
            "churn_risk": Column.const(None),
            "p_alive": Column.const(None),
            "expected_purchases_90d": Column.const(None),
            "scores_updated_at": Column.const(None),
        },
        fans.count,
    )


def subscriptions_write(writer: BulkWriter, *, teams: list[Team], fans: FanData) -> None:
    assert fans.ids is not None
    rows = np.flatnonzero(fans.has_subscription)
    price = np.array([team.profile.subscription_price_cents for team in teams])
    amount = np.where(fans.tier[rows] == 0, price[fans.creator[rows]], 0)
    expires = fans.subscription_expires[rows]
    writer.write(
        "subscriptions",
        {
            "id": Column.int(writer.next_ids("subscriptions", rows.shape[0])),
            "creator_id": _creator_column(teams, fans.creator[rows]),
            "created_at": Column.ts(fans.joined[rows]),
            "updated_at": Column.ts(np.minimum(fans.active_until[rows], expires)),
            "fan_id": Column.int(fans.ids[rows]),
            "platform": Column.lookup(PLATFORMS, fans.platform[rows]),
            "tier": Column.lookup(TIERS, fans.tier[rows]),
            "amount_cents": Column.int(amount),
            "currency": Column.const("USD"),
            "status": Column.lookup(SUB_STATUSES, fans.subscription_status[rows]),
            "started_at": Column.ts(fans.joined[rows]),
            "expires_at": Column.ts(expires),
            "is_auto_renew": Column.bool(fans.auto_renew[rows]),
        },
        rows.shape[0],
    )


def conversations_write(
    writer: BulkWriter, *, teams: list[Team], fans: FanData, inbox: InboxData
) -> None:
    assert fans.ids is not None
    inbox.conversation_ids = writer.next_ids("conversations", inbox.conversation_count)
    previews = [text[:PREVIEW_LENGTH] for text in inbox.text_table.texts]
    writer.write(
        "conversations",
        {
            "id": Column.int(inbox.conversation_ids),
            "creator_id": _creator_column(teams, inbox.conversation_creator),
            "created_at": Column.ts(inbox.first_message),
            "updated_at": Column.ts(inbox.last_message),
            "fan_id": Column.int(fans.ids[inbox.conversation_fan]),
            "platform": Column.lookup(PLATFORMS, fans.platform[inbox.conversation_fan]),
            "last_message_at": Column.ts(inbox.last_message),
            "last_inbound_at": _nullable_ts(inbox.last_inbound),
            "last_outbound_at": _nullable_ts(inbox.last_outbound),
            "last_message_preview": Column.lookup(previews, inbox.preview_text),
            "unread_count": Column.int(inbox.unread_count),
            "is_pinned": Column.bool(inbox.is_pinned),
            "assigned_to_id": _nullable_id(inbox.assigned_to),
        },
        inbox.conversation_count,
    )


def messages_write(
    writer: BulkWriter, *, teams: list[Team], fans: FanData, catalog: PPVCatalog, inbox: InboxData
) -> None:
    assert fans.ids is not None
    assert inbox.conversation_ids is not None
    assert catalog.ids is not None
    inbox.message_ids = writer.next_ids("messages", inbox.message_count)
    sent = Column.ts(inbox.sent)
    has_read = inbox.read >= 0
    writer.write(
        "messages",
        {
            "id": Column.int(inbox.message_ids),
            "creator_id": Column.lookup(
                [team.creator_id for team in teams],
                inbox.conversation_creator[inbox.conversation],
            ),
            "created_at": sent,
            "updated_at": sent,
            "conversation_id": Column.lookup(inbox.conversation_ids, inbox.conversation),
            "fan_id": Column.lookup(fans.ids[inbox.conversation_fan], inbox.conversation),
            "direction": Column.lookup(["out", "in"], inbox.is_inbound.astype(np.int64)),
            "sender_id": _nullable_id(inbox.sender),
            "text": Column.lookup(inbox.text_table.texts, inbox.text),
            "media_ids": Column.const("[]"),
            "ppv_item_id": Column.lookup(
                catalog.ids, np.maximum(inbox.ppv_item, 0), null=inbox.ppv_item < 0
            ),
            "price_cents": Column.int(inbox.price),
            "platform_message_id": Column.const(None),
            "status": Column.lookup(["delivered", "read"], has_read.astype(np.int64)),
            "sent_at": sent,
            "read_at": _nullable_ts(inbox.read),
            "scheduled_for": Column.const(None),
            "cancel_if_fan_replies": Column.const(False),
        },
        inbox.message_count,
    )


def transactions_write(
    writer: BulkWriter, *, teams: list[Team], fans: FanData, transactions: TransactionData
) -> None:
    assert fans.ids is not None
    transactions.ids = writer.next_ids("transactions", transactions.count)
    occurred = Column.ts(transactions.occurred)
    writer.write(
        "transactions",
        {
            "id": Column.int(transactions.ids),
            "creator_id": _creator_column(teams, transactions.creator),
            "created_at": occurred,
            "updated_at": occurred,
            "fan_id": Column.lookup(fans.ids, transactions.fan),
            "amount_cents": Column.int(transactions.amount),
            "currency": Column.const("USD"),
            "status": Column.lookup(STATUSES, transactions.status),
            "type": Column.lookup(TYPES, transactions.type),
            "platform": Column.lookup(PLATFORMS, fans.platform[transactions.fan]),
            "platform_transaction_id": Column.const(None),
            "occurred_at": occurred,
        },
        transactions.count,
    )


def purchases_write(
    writer: BulkWriter,
    *,
    teams: list[Team],
    fans: FanData,
    catalog: PPVCatalog,
    inbox: InboxData,
    transactions: TransactionData,
    purchases: PurchaseData,
) -> None:
    assert fans.ids is not None
    assert catalog.ids is not None
    assert transactions.ids is not None
    assert inbox.message_ids is not None
    assert purchases.message is not None
    assert np.all(transactions.type[purchases.transaction] == TYPE_PPV)
    purchased = Column.ts(purchases.purchased)
    writer.write(
        "ppv_purchases",
        {
            "id": Column.int(writer.next_ids("ppv_purchases", purchases.count)),
            "creator_id": _creator_column(teams, fans.creator[purchases.fan]),
            "created_at": purchased,
            "updated_at": purchased,
            "ppv_item_id": Column.lookup(catalog.ids, purchases.item),
            "fan_id": Column.lookup(fans.ids, purchases.fan),
            "message_id": Column.lookup(inbox.message_ids, purchases.message),
            "transaction_id": Column.lookup(transactions.ids, purchases.transaction),
            "price_cents": Column.int(purchases.price),
            "purchased_at": purchased,
        },
        purchases.count,
    )
