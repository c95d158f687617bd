"""Inbox writes. The functions live in sub-modules by sub-domain; import them from here.

- ingestion (`services_ingest`): `messages_ingest`, `purchases_ingest`;
- messages (`services_messages`): `message_send`, `conversation_mark_read`,
  `scheduled_messages_send_due`, `followups_cancel_on_reply`;
- suggestions (`services_suggestions`): `suggestions_generate_for_message`,
  `suggestions_request`, `suggestion_review`.
"""

from __future__ import annotations

from huntaze.inbox.services_ingest import (
    MAX_BATCH_SIZE,
    FanIdentity,
    IncomingMessage,
    IncomingPurchase,
    IngestResult,
    messages_ingest,
    purchases_ingest,
)
from huntaze.inbox.services_messages import (
    conversation_mark_read,
    followups_cancel_on_reply,
    message_send,
    scheduled_messages_send_due,
)
from huntaze.inbox.services_suggestions import (
    suggestion_review,
    suggestions_generate_for_message,
    suggestions_request,
)

__all__ = [
    "MAX_BATCH_SIZE",
    "FanIdentity",
    "IncomingMessage",
    "IncomingPurchase",
    "IngestResult",
    "conversation_mark_read",
    "followups_cancel_on_reply",
    "message_send",
    "messages_ingest",
    "purchases_ingest",
    "scheduled_messages_send_due",
    "suggestion_review",
    "suggestions_generate_for_message",
    "suggestions_request",
]
