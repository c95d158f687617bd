"""Ingestion: fan messages and purchases from a platform connector or an import.

Idempotent by the platform's id (message id, transaction id): a replayed item is a no-op that
answers the ids stored the first time. Each item is stored in its own transaction, so a bad
item fails alone, with its error in the per-item results, and nothing of it stays behind.

Fans and conversations are created on first sight. The fans and commerce apps have no write
services yet: the fan aggregates and the transaction row are written here, each in one
function (`_fan_*`, `_transaction_create`), ready to move to those apps' services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Literal

import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone

from huntaze.analytics.services import (
    rollup_record_fan,
    rollup_record_message,
    rollup_record_transaction,
)
from huntaze.commerce.models import Transaction, TransactionStatus, TransactionType
from huntaze.core.context import Actor
from huntaze.core.errors import DomainError, ValidationFailed
from huntaze.core.fields import Platform
from huntaze.core.permissions import Permission
from huntaze.fans.models import Fan
from huntaze.fans.services import fan_record_message, fan_record_purchase
from huntaze.inbox.models import Conversation, DeliveryStatus, Direction, Message
from huntaze.inbox.services_messages import (
    MAX_TEXT_LENGTH,
    check_text,
    conversation_record_message,
    followups_cancel_on_reply,
    ppv_purchase_ingest,
    preview_of,
    publish_message_created,
)

_log = structlog.get_logger(__name__)

MAX_BATCH_SIZE = 500
MAX_ID_LENGTH = 64
MAX_NAME_LENGTH = 120
MAX_PRICE_CENTS = 1_000_000  # $10,000
MAX_AMOUNT_CENTS = 10_000_000  # $100,000
CLOCK_SKEW = timedelta(minutes=10)
EARLIEST_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
# Only recent fan messages get reply suggestions: an import of old history does not call the AI.
SUGGESTION_MAX_AGE = timedelta(hours=48)

ItemStatus = Literal["created", "duplicate", "failed"]


@dataclass(frozen=True, slots=True)
class FanIdentity:
    platform_fan_id: str
    username: str = ""
    display_name: str = ""
    joined_at: datetime | None = None
    timezone: str = ""


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    platform_message_id: str
    fan: FanIdentity
    direction: str
    sent_at: datetime
    text: str = ""
    platform: str = Platform.ONLYFANS
    price_cents: int = 0
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IncomingPurchase:
    platform_transaction_id: str
    fan: FanIdentity
    type: str
    amount_cents: int
    occurred_at: datetime
    currency: str = "USD"
    status: str = TransactionStatus.COMPLETED
    platform: str = Platform.ONLYFANS
    platform_message_id: str = ""  # for a PPV: the message it unlocked, when the platform says


@dataclass(frozen=True, slots=True)
class IngestResult:
    index: int
    status: ItemStatus
    id: int | None = None
    conversation_id: int | None = None
    fan_id: int | None = None
    error: dict[str, Any] | None = None


@dataclass(slots=True)
class _BatchCache:
    """Fans and conversations already resolved in this batch (committed ones only)."""

    fans: dict[tuple[str, str], int] = field(default_factory=dict)
    conversations: dict[int, int] = field(default_factory=dict)


# Validation -------------------------------------------------------------------------------------


def _require_id(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > MAX_ID_LENGTH:
        raise ValidationFailed.on_field(name, f"{name} is 1 to {MAX_ID_LENGTH} characters.")
    check_text(value, name)
    return value


def _require_aware(moment: datetime | None, name: str, *, now: datetime) -> datetime:
    if moment is None or timezone.is_naive(moment):
        raise ValidationFailed.on_field(name, f"{name} needs a time zone (e.g. 'Z').")
    try:
        is_in_range = EARLIEST_MOMENT <= moment <= now + CLOCK_SKEW
    except OverflowError:
        is_in_range = False
    if not is_in_range:
        raise ValidationFailed.on_field(name, f"{name} is before 2000 or in the future.")
    return moment


def _check_platform(platform: str) -> None:
    if platform not in Platform.values:
        raise ValidationFailed.on_field(
            "platform", "platform is one of " + ", ".join(Platform.values) + "."
        )


def _check_fan(identity: FanIdentity, *, now: datetime) -> None:
    _require_id(identity.platform_fan_id, "fan.platform_fan_id")
    for name, value in (
        ("fan.username", identity.username),
        ("fan.display_name", identity.display_name),
    ):
        if len(value or "") > MAX_NAME_LENGTH:
            raise ValidationFailed.on_field(
                name, f"{name} is at most {MAX_NAME_LENGTH} characters."
            )
        check_text(value, name)
    if identity.joined_at is not None:
        _require_aware(identity.joined_at, "fan.joined_at", now=now)
    if len(identity.timezone or "") > 64:
        raise ValidationFailed.on_field("fan.timezone", "fan.timezone is at most 64 characters.")
    check_text(identity.timezone, "fan.timezone")


def _check_message(item: IncomingMessage, *, now: datetime) -> None:
    _require_id(item.platform_message_id, "platform_message_id")
    _check_platform(item.platform)
    _check_fan(item.fan, now=now)
    if item.direction not in Direction.values:
        raise ValidationFailed.on_field("direction", "direction is 'in' (from the fan) or 'out'.")
    _require_aware(item.sent_at, "sent_at", now=now)
    if len(item.text or "") > MAX_TEXT_LENGTH:
        raise ValidationFailed.on_field("text", f"text is at most {MAX_TEXT_LENGTH} characters.")
    check_text(item.text, "text")
    if not 0 <= item.price_cents <= MAX_PRICE_CENTS:
        raise ValidationFailed.on_field(
            "price_cents", f"price_cents is between 0 and {MAX_PRICE_CENTS}."
        )
    if item.read_at is not None:
        _require_aware(item.read_at, "read_at", now=now)


def _check_purchase(item: IncomingPurchase, *, now: datetime) -> None:
    _require_id(item.platform_transaction_id, "platform_transaction_id")
    _check_platform(item.platform)
    _check_fan(item.fan, now=now)
    if item.type not in TransactionType.values:
        raise ValidationFailed.on_field(
            "type", "type is one of " + ", ".join(TransactionType.values) + "."
        )
    if item.status not in TransactionStatus.values:
        raise ValidationFailed.on_field(
            "status", "status is one of " + ", ".join(TransactionStatus.values) + "."
        )
    if not 1 <= item.amount_cents <= MAX_AMOUNT_CENTS:
        raise ValidationFailed.on_field(
            "amount_cents", f"amount_cents is between 1 and {MAX_AMOUNT_CENTS}."
        )
    if len(item.currency) != 3 or not item.currency.isalpha() or not item.currency.isupper():
        raise ValidationFailed.on_field("currency", "currency is a 3-letter code such as USD.")
    _require_aware(item.occurred_at, "occurred_at", now=now)


def _check_batch(items: Sequence[object]) -> None:
    if not items:
        raise ValidationFailed.on_field("items", "Send at least one item.")
    if len(items) > MAX_BATCH_SIZE:
        raise ValidationFailed.on_field("items", f"Send at most {MAX_BATCH_SIZE} items at once.")


# Fans and conversations -------------------------------------------------------------------------


def _fan_resolve(
    *, creator_id: int, platform: str, identity: FanIdentity, seen_at: datetime, cache: _BatchCache
) -> tuple[int, bool]:
    """The fan's id, created on first sight (joined at `identity.joined_at`, or when first
    seen). Returns (fan id, created)."""
    key = (platform, identity.platform_fan_id.strip())
    if key in cache.fans:
        return cache.fans[key], False
    username = (identity.username or "").strip() or key[1]
    display_name = (identity.display_name or "").strip()
    joined_at = identity.joined_at or seen_at
    fan, created = Fan.objects.for_creator(creator_id).get_or_create(
        creator_id=creator_id,
        platform=platform,
        platform_fan_id=key[1],
        defaults={
            "username": username,
            "display_name": display_name,
            "joined_at": joined_at,
            "timezone": identity.timezone or "",
        },
    )
    if created:
        rollup_record_fan(creator_id=creator_id, joined_at=joined_at)
    elif (identity.username and fan.username != username) or (
        display_name and fan.display_name != display_name
    ):
        fan.username = username
        fan.display_name = display_name or fan.display_name
        fan.save(update_fields=["username", "display_name", "updated_at"])
    return fan.id, created


def _conversation_resolve(
    *, creator_id: int, fan_id: int, platform: str, cache: _BatchCache
) -> int:
    if fan_id in cache.conversations:
        return cache.conversations[fan_id]
    conversation, _created = Conversation.objects.for_creator(creator_id).get_or_create(
        creator_id=creator_id, fan_id=fan_id, defaults={"platform": platform}
    )
    return conversation.id


# Messages ---------------------------------------------------------------------------------------


def _error_result(index: int, error: DomainError) -> IngestResult:
    return IngestResult(index=index, status="failed", error=error.as_payload())


def _message_ingest_one(
    *, creator_id: int, index: int, item: IncomingMessage, now: datetime, cache: _BatchCache
) -> tuple[IngestResult, Message | None]:
    _check_message(item, now=now)
    platform_message_id = item.platform_message_id.strip()
    with transaction.atomic():
        existing = (
            Message.objects.for_creator(creator_id)
            .filter(platform_message_id=platform_message_id)
            .values("id", "conversation_id", "fan_id")
            .first()
        )
        if existing is not None:
            return IngestResult(index=index, status="duplicate", **_ids(existing)), None
        fan_id, _ = _fan_resolve(
            creator_id=creator_id,
            platform=item.platform,
            identity=item.fan,
            seen_at=item.sent_at,
            cache=cache,
        )
        conversation_id = _conversation_resolve(
            creator_id=creator_id, fan_id=fan_id, platform=item.platform, cache=cache
        )
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    creator_id=creator_id,
                    conversation_id=conversation_id,
                    fan_id=fan_id,
                    direction=item.direction,
                    text=item.text or "",
                    price_cents=item.price_cents,
                    platform_message_id=platform_message_id,
                    status=DeliveryStatus.READ if item.read_at else DeliveryStatus.SENT,
                    sent_at=item.sent_at,
                    read_at=item.read_at,
                )
        except IntegrityError:
            # The same message arrived concurrently and the other writer won.
            existing = (
                Message.objects.for_creator(creator_id)
                .filter(platform_message_id=platform_message_id)
                .values("id", "conversation_id", "fan_id")
                .first()
            )
            if existing is None:
                raise
            return IngestResult(index=index, status="duplicate", **_ids(existing)), None
        conversation_record_message(
            creator_id=creator_id,
            conversation_id=conversation_id,
            direction=item.direction,
            sent_at=item.sent_at,
            preview=preview_of(message.text, price_cents=message.price_cents),
            is_sent_by_team=False,
        )
        fan_record_message(creator_id=creator_id, fan_id=fan_id, sent_at=item.sent_at)
        rollup_record_message(
            creator_id=creator_id,
            conversation_id=conversation_id,
            message_id=message.id,
            direction=item.direction,
            sent_at=item.sent_at,
        )
        if item.direction == Direction.INBOUND:
            followups_cancel_on_reply(
                creator_id=creator_id, conversation_id=conversation_id, replied_at=item.sent_at
            )
        publish_message_created(message=message)
    cache.fans[(item.platform, item.fan.platform_fan_id.strip())] = fan_id
    cache.conversations[fan_id] = conversation_id
    return (
        IngestResult(
            index=index,
            status="created",
            id=message.id,
            conversation_id=conversation_id,
            fan_id=fan_id,
        ),
        message,
    )


def _ids(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "conversation_id": row.get("conversation_id"), "fan_id": row["fan_id"]}


def _suggestions_enqueue(*, creator_id: int, messages: list[Message], now: datetime) -> None:
    """On commit, ask for suggestions for the newest recent fan message of each conversation."""
    from huntaze.inbox.tasks import suggestions_enqueue

    newest: dict[int, Message] = {}
    for message in messages:
        if message.direction != Direction.INBOUND or message.sent_at < now - SUGGESTION_MAX_AGE:
            continue
        current = newest.get(message.conversation_id)
        if current is None or (message.sent_at, message.id) > (current.sent_at, current.id):
            newest[message.conversation_id] = message
    for message in newest.values():
        transaction.on_commit(
            partial(suggestions_enqueue, creator_id=creator_id, message_id=message.id),
            robust=True,
        )


def messages_ingest(
    *, actor: Actor, items: Sequence[IncomingMessage], suggest: bool = True
) -> list[IngestResult]:
    """Store a batch of up to 500 platform messages; one result per item, in order.

    Each new item: the fan and conversation on first sight, the conversation's activity, the
    fan's last message time, the rollups, `message.created` on commit; for a recent fan message
    (and `suggest`), a task asks the AI router for reply suggestions."""
    actor.require(Permission.MESSAGE)
    _check_batch(items)
    now = timezone.now()
    cache = _BatchCache()
    results: list[IngestResult] = []
    created: list[Message] = []
    for index, item in enumerate(items):
        try:
            result, message = _message_ingest_one(
                creator_id=actor.creator_id, index=index, item=item, now=now, cache=cache
            )
        except DomainError as error:
            result, message = _error_result(index, error), None
        results.append(result)
        if message is not None:
            created.append(message)
    if suggest and created:
        _suggestions_enqueue(creator_id=actor.creator_id, messages=created, now=now)
    _log.info(
        "inbox.messages_ingested",
        creator_id=actor.creator_id,
        created=len(created),
        duplicates=sum(1 for r in results if r.status == "duplicate"),
        failed=sum(1 for r in results if r.status == "failed"),
    )
    return results


# Purchases --------------------------------------------------------------------------------------


def _purchase_ingest_one(
    *, creator_id: int, index: int, item: IncomingPurchase, now: datetime, cache: _BatchCache
) -> IngestResult:
    _check_purchase(item, now=now)
    platform_transaction_id = item.platform_transaction_id.strip()
    with transaction.atomic():
        existing = (
            Transaction.objects.for_creator(creator_id)
            .filter(platform_transaction_id=platform_transaction_id)
            .values("id", "fan_id")
            .first()
        )
        if existing is not None:
            return IngestResult(index=index, status="duplicate", **_ids(existing))
        fan_id, _ = _fan_resolve(
            creator_id=creator_id,
            platform=item.platform,
            identity=item.fan,
            seen_at=item.occurred_at,
            cache=cache,
        )
        try:
            with transaction.atomic():
                row = Transaction.objects.create(
                    creator_id=creator_id,
                    fan_id=fan_id,
                    amount_cents=item.amount_cents,
                    currency=item.currency,
                    status=item.status,
                    type=item.type,
                    platform=item.platform,
                    platform_transaction_id=platform_transaction_id,
                    occurred_at=item.occurred_at,
                )
        except IntegrityError:
            existing = (
                Transaction.objects.for_creator(creator_id)
                .filter(platform_transaction_id=platform_transaction_id)
                .values("id", "fan_id")
                .first()
            )
            if existing is None:
                raise
            return IngestResult(index=index, status="duplicate", **_ids(existing))
        if item.status == TransactionStatus.COMPLETED:
            fan_record_purchase(
                creator_id=creator_id,
                fan_id=fan_id,
                amount_cents=item.amount_cents,
                occurred_at=item.occurred_at,
            )
            rollup_record_transaction(
                creator_id=creator_id,
                occurred_at=item.occurred_at,
                platform=item.platform,
                transaction_type=item.type,
                amount_cents=item.amount_cents,
            )
            if item.type == TransactionType.PPV:
                ppv_purchase_ingest(
                    creator_id=creator_id,
                    fan_id=fan_id,
                    amount_cents=item.amount_cents,
                    occurred_at=item.occurred_at,
                    transaction_id=row.id,
                    platform_message_id=item.platform_message_id.strip(),
                )
    cache.fans[(item.platform, item.fan.platform_fan_id.strip())] = fan_id
    return IngestResult(index=index, status="created", id=row.id, fan_id=fan_id)


def purchases_ingest(*, actor: Actor, items: Sequence[IncomingPurchase]) -> list[IngestResult]:
    """Store a batch of up to 500 platform purchases (tips, PPV, subscriptions, offers); one
    result per item. A completed one adds to the fan's spend and the revenue rollups."""
    actor.require(Permission.MESSAGE)
    _check_batch(items)
    now = timezone.now()
    cache = _BatchCache()
    results: list[IngestResult] = []
    for index, item in enumerate(items):
        try:
            result = _purchase_ingest_one(
                creator_id=actor.creator_id, index=index, item=item, now=now, cache=cache
            )
        except DomainError as error:
            result = _error_result(index, error)
        results.append(result)
    _log.info(
        "inbox.purchases_ingested",
        creator_id=actor.creator_id,
        created=sum(1 for r in results if r.status == "created"),
        duplicates=sum(1 for r in results if r.status == "duplicate"),
        failed=sum(1 for r in results if r.status == "failed"),
    )
    return results
