"""List endpoints build their bodies from `.values()` rows: the same JSON as the schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from huntaze.commerce.api import TransactionOut, TransactionPage
from huntaze.commerce.models import Transaction
from huntaze.core.api_utils import page, schema_lookups, values_page
from huntaze.fans.api import FanOut, FanPage
from huntaze.fans.models import Fan
from huntaze.inbox.api import ConversationOut, ConversationPage, MessageOut, MessagePage
from huntaze.inbox.models import Conversation, Message
from tests.factories import ConversationFactory, FanFactory, MessageFactory, TransactionFactory


def _both(queryset, item_schema, page_schema, *, limit=2):
    fast = json.loads(values_page(queryset, item_schema, limit=limit, offset=0).content)
    rows = list(queryset[: limit + 1])
    slow = page_schema.model_validate(page(rows, limit=limit, offset=0)).model_dump(mode="json")
    return fast, slow


def test_nested_schemas_read_related_columns():
    assert "fan__username" in schema_lookups(ConversationOut)
    assert "fan" not in schema_lookups(ConversationOut)


def test_conversations_messages_and_transactions_match_their_schema(creator_a):
    fan = FanFactory(creator=creator_a, display_name="Zoé", tags=["vip"])
    conversations = [ConversationFactory(creator=creator_a, fan=fan)]
    other = FanFactory(creator=creator_a)
    conversations.append(ConversationFactory(creator=creator_a, fan=other))
    for index in range(3):
        MessageFactory(
            creator=creator_a,
            conversation=conversations[0],
            fan=fan,
            text=f"hello {index} ✨",
            media_ids=[index, 7],
            sent_at=datetime(2026, 1, 2, 3, 4, 5, 123456 * index, tzinfo=UTC),
        )
    TransactionFactory(creator=creator_a, fan=fan)
    TransactionFactory(creator=creator_a, fan=None)

    cases = [
        (Fan.objects.for_creator(creator_a.id).order_by("id"), FanOut, FanPage),
        (
            Conversation.objects.for_creator(creator_a.id).order_by("id"),
            ConversationOut,
            ConversationPage,
        ),
        (Message.objects.for_creator(creator_a.id).order_by("id"), MessageOut, MessagePage),
        (
            Transaction.objects.for_creator(creator_a.id).order_by("id"),
            TransactionOut,
            TransactionPage,
        ),
    ]
    for queryset, item_schema, page_schema in cases:
        fast, slow = _both(queryset, item_schema, page_schema)
        assert fast == slow, item_schema.__name__
        assert fast["items"], item_schema.__name__


def test_an_empty_page(creator_a):
    queryset = Transaction.objects.for_creator(creator_a.id)
    fast, slow = _both(queryset, TransactionOut, TransactionPage)
    assert fast == slow == {"items": [], "limit": 2, "offset": 0, "has_more": False, "total": None}
