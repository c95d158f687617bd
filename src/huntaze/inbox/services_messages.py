"""Messages the team sends, marking conversations read, scheduled sends, and the bookkeeping
every stored message does (conversation row, fan, user_stats, rollups, live event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveIntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from huntaze.analytics.services import rollup_record_message
from huntaze.commerce.models import PPVPurchase
from huntaze.commerce.selectors_ppv import ppv_is_bought
from huntaze.commerce.services_ppv import (
    ppv_item_create_for_message,
    ppv_price_check,
    ppv_purchase_record,
    ppv_record_sent,
)
from huntaze.content.selectors import vault_missing, vault_sent_to_fan
from huntaze.content.services import vault_deliveries_record
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, ValidationFailed
from huntaze.core.permissions import Permission
from huntaze.core.services import outbox_add
from huntaze.fans.services import fan_record_message
from huntaze.inbox.events import (
    ConversationData,
    MessageCreated,
    MessageData,
    MessageUpdated,
    publish_on_commit,
)
from huntaze.inbox.models import (
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    UserStats,
)
from huntaze.inbox.selectors import conversations_visible
from huntaze.inbox.services_suggestions import suggestion_review_on_send
from huntaze.inbox.services_team import user_stats_record_ppv_purchase

MAX_TEXT_LENGTH = 10_000
MAX_MEDIA_PER_MESSAGE = 20
MAX_SCHEDULE_AHEAD = timedelta(days=90)
PREVIEW_LENGTH = 140


def check_text(value: str, name: str) -> None:
    """No NUL characters: PostgreSQL text cannot hold them."""
    if "\x00" in (value or ""):
        raise ValidationFailed.on_field(name, f"{name} contains a NUL character.")


# Payloads of the live events --------------------------------------------------------------------


def preview_of(text: str, *, media_count: int = 0, price_cents: int = 0) -> str:
    """The list row's one-line preview of a message."""
    line = " ".join(text.split())
    if not line and media_count:
        line = "📎" * min(media_count, 3)
    if price_cents and not line:
        line = "PPV"
    if len(line) > PREVIEW_LENGTH:
        line = line[: PREVIEW_LENGTH - 1] + "…"
    return line


def message_data(message: Message) -> MessageData:
    return MessageData(
        id=message.id,
        conversation_id=message.conversation_id,
        fan_id=message.fan_id,
        direction=message.direction,  # type: ignore[arg-type]
        sender_id=message.sender_id,
        text=message.text,
        media_ids=[int(media_id) for media_id in message.media_ids or []],
        price_cents=message.price_cents,
        status=message.status,  # type: ignore[arg-type]
        sent_at=message.sent_at,
        read_at=message.read_at,
        scheduled_for=message.scheduled_for,
        cancel_if_fan_replies=message.cancel_if_fan_replies,
    )


def conversation_data(*, creator_id: int, conversation_id: int) -> ConversationData:
    """The list-row fields of a conversation as stored now (after F() updates)."""
    row = (
        Conversation.objects.for_creator(creator_id)
        .filter(id=conversation_id)
        .values(
            "id",
            "fan_id",
            "fan__display_name",
            "fan__username",
            "unread_count",
            "last_message_at",
            "last_message_preview",
            "last_inbound_at",
            "last_outbound_at",
        )
        .get()
    )
    return ConversationData(
        id=row["id"],
        fan_id=row["fan_id"],
        fan_name=row["fan__display_name"] or row["fan__username"],
        unread_count=row["unread_count"],
        last_message_at=row["last_message_at"],
        last_message_preview=row["last_message_preview"],
        last_inbound_at=row["last_inbound_at"],
        last_outbound_at=row["last_outbound_at"],
    )


def publish_message_created(*, message: Message) -> None:
    publish_on_commit(
        creator_id=message.creator_id,
        event=MessageCreated(
            message=message_data(message),
            conversation=conversation_data(
                creator_id=message.creator_id, conversation_id=message.conversation_id
            ),
        ),
    )


def publish_message_updated(*, message: Message) -> None:
    publish_on_commit(
        creator_id=message.creator_id, event=MessageUpdated(message=message_data(message))
    )


# What every stored message changes ------------------------------------------------------------


def _latest(field: str, moment: datetime) -> Greatest:
    """SQL: the later of the column (NULL counts as never) and `moment`."""
    return Greatest(Coalesce(F(field), Value(moment)), Value(moment))


def conversation_record_message(
    *,
    creator_id: int,
    conversation_id: int,
    direction: str,
    sent_at: datetime,
    preview: str,
    is_sent_by_team: bool,
) -> None:
    """Move the conversation's activity forward for one message, in one UPDATE.

    `last_message_at` and the preview change only when the message is the newest (messages may
    arrive out of order); an inbound message adds one to `unread_count`; a reply typed in the
    inbox clears it, and a reply made on the platform clears it when it is newer than the fan's
    last message."""
    is_newest = Q(last_message_at__isnull=True) | Q(last_message_at__lte=sent_at)
    changes: dict[str, Any] = {
        "last_message_at": _latest("last_message_at", sent_at),
        "last_message_preview": Case(
            When(is_newest, then=Value(preview)), default=F("last_message_preview")
        ),
    }
    if direction == Direction.INBOUND:
        changes["last_inbound_at"] = _latest("last_inbound_at", sent_at)
        changes["unread_count"] = F("unread_count") + 1
    else:
        changes["last_outbound_at"] = _latest("last_outbound_at", sent_at)
        if is_sent_by_team:
            changes["unread_count"] = Value(0)
        else:
            changes["unread_count"] = Case(
                When(
                    Q(last_inbound_at__isnull=True) | Q(last_inbound_at__lte=sent_at),
                    then=Value(0),
                ),
                default=F("unread_count"),
                output_field=PositiveIntegerField(),
            )
    Conversation.objects.for_creator(creator_id).filter(id=conversation_id).update(**changes)


def user_stats_add_sent(*, creator_id: int, user_id: int, count: int = 1) -> None:
    """user_stats.messages_sent += count, the row created on first use."""
    rows = UserStats.objects.for_creator(creator_id).filter(user_id=user_id)
    if rows.update(messages_sent=F("messages_sent") + count):
        return
    try:
        with transaction.atomic():
            UserStats.objects.create(creator_id=creator_id, user_id=user_id, messages_sent=count)
    except IntegrityError:
        rows.update(messages_sent=F("messages_sent") + count)


def message_went_out(*, message: Message) -> None:
    """Everything an outbound message changes once it really goes out (now, or when its
    scheduled time comes): the conversation, the fan, the sender's stats, the rollups, and the
    outbox event the platform connector delivers it from."""
    conversation_record_message(
        creator_id=message.creator_id,
        conversation_id=message.conversation_id,
        direction=Direction.OUTBOUND,
        sent_at=message.sent_at,
        preview=preview_of(
            message.text, media_count=len(message.media_ids), price_cents=message.price_cents
        ),
        is_sent_by_team=True,
    )
    fan_record_message(
        creator_id=message.creator_id, fan_id=message.fan_id, sent_at=message.sent_at
    )
    if message.sender_id is not None:
        user_stats_add_sent(creator_id=message.creator_id, user_id=message.sender_id)
    vault_deliveries_record(
        creator_id=message.creator_id,
        fan_id=message.fan_id,
        message_id=message.id,
        media_ids=[int(media_id) for media_id in message.media_ids or []],
        sent_at=message.sent_at,
    )
    if message.ppv_item_id is not None:
        ppv_record_sent(
            creator_id=message.creator_id,
            ppv_item_id=message.ppv_item_id,
            fan_id=message.fan_id,
            message_id=message.id,
        )
    rollup_record_message(
        creator_id=message.creator_id,
        conversation_id=message.conversation_id,
        message_id=message.id,
        direction=Direction.OUTBOUND,
        sent_at=message.sent_at,
    )
    outbox_add(
        creator_id=message.creator_id,
        aggregate_type="message",
        aggregate_id=str(message.id),
        event_type="message.sent",
        payload={
            "message_id": message.id,
            "conversation_id": message.conversation_id,
            "fan_id": message.fan_id,
            "text": message.text,
            "media_ids": list(message.media_ids),
            "price_cents": message.price_cents,
        },
    )


# Sending ----------------------------------------------------------------------------------------


def _clean_media_ids(media_ids: Sequence[Any]) -> list[int]:
    cleaned: list[int] = []
    for value in media_ids:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise ValidationFailed.on_field("media_ids", "Media ids are positive whole numbers.")
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_MEDIA_PER_MESSAGE:
        raise ValidationFailed.on_field(
            "media_ids", f"A message carries at most {MAX_MEDIA_PER_MESSAGE} media."
        )
    return cleaned


def _vault_media_check(*, creator_id: int, media_ids: list[int]) -> None:
    """Every media id must be an item of this creator's vault."""
    missing = vault_missing(creator_id=creator_id, media_ids=media_ids)
    if missing:
        raise ValidationFailed.on_field(
            "media_ids",
            "Not in your vault: " + ", ".join(str(media_id) for media_id in missing) + ".",
        )


def _resend_check(*, creator_id: int, fan_id: int, media_ids: list[int]) -> None:
    """Media the fan already received go again only when the sender confirms it."""
    already = vault_sent_to_fan(creator_id=creator_id, fan_id=fan_id, media_ids=media_ids)
    if already:
        ids = ", ".join(str(media_id) for media_id in media_ids if media_id in already)
        text = f"Already sent to this fan: {ids}. Confirm to send again."
        raise Conflict(text, field_errors={"media_ids": [text]})


def _check_schedule(
    *, scheduled_for: datetime | None, cancel_if_fan_replies: bool, now: datetime
) -> None:
    if scheduled_for is not None:
        if timezone.is_naive(scheduled_for):
            raise ValidationFailed.on_field("scheduled_for", "Give a time with its time zone.")
        if scheduled_for <= now:
            raise ValidationFailed.on_field("scheduled_for", "Schedule it in the future.")
        if scheduled_for > now + MAX_SCHEDULE_AHEAD:
            raise ValidationFailed.on_field("scheduled_for", "Schedule it at most 90 days ahead.")
    elif cancel_if_fan_replies:
        raise ValidationFailed.on_field(
            "cancel_if_fan_replies", "Only a scheduled message can cancel itself."
        )


def _check_content(*, text: str, media_ids: list[int], price_cents: int) -> None:
    if not text and not media_ids:
        raise ValidationFailed.on_field("text", "Write a message or attach media.")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed.on_field(
            "text", f"A message is at most {MAX_TEXT_LENGTH} characters."
        )
    check_text(text, "text")
    if price_cents:
        ppv_price_check(price_cents)
        if not media_ids:
            raise ValidationFailed.on_field("media_ids", "A PPV message needs media to unlock.")


def message_send(
    *,
    actor: Actor,
    conversation_id: int,
    text: str,
    media_ids: Sequence[int] = (),
    scheduled_for: datetime | None = None,
    cancel_if_fan_replies: bool = False,
    suggestion_id: int | None = None,
    price_cents: int = 0,
    confirm_resend: bool = False,
) -> Message:
    """Send a message from the team to the fan of a conversation (or schedule it).

    A conversation of another creator is NotFound; media must come from the creator's vault,
    and media the fan already received go again only with `confirm_resend` (else Conflict).
    With `price_cents`, the message is a PPV: its media are locked until the fan buys it.
    With `suggestion_id`, the suggestion the text came from is recorded as accepted (same text)
    or edited, and the knowledge base learns from it. Nothing is stored unless all is valid."""
    actor.require(Permission.MESSAGE)
    now = timezone.now()
    text = (text or "").strip()
    cleaned_media_ids = _clean_media_ids(media_ids)
    if isinstance(price_cents, bool) or not isinstance(price_cents, int) or price_cents < 0:
        raise ValidationFailed.on_field("price_cents", "The price is a whole number of cents.")
    with transaction.atomic():
        # Visible to the actor: a chatter limited to assigned fans cannot write to the others.
        conversation = (
            conversations_visible(actor).select_for_update().filter(id=conversation_id).first()
        )
        if conversation is None:
            raise NotFound("No such conversation.")
        _check_content(text=text, media_ids=cleaned_media_ids, price_cents=price_cents)
        _check_schedule(
            scheduled_for=scheduled_for, cancel_if_fan_replies=cancel_if_fan_replies, now=now
        )
        _vault_media_check(creator_id=actor.creator_id, media_ids=cleaned_media_ids)
        if not confirm_resend:
            _resend_check(
                creator_id=actor.creator_id,
                fan_id=conversation.fan_id,
                media_ids=cleaned_media_ids,
            )
        ppv_item = (
            ppv_item_create_for_message(
                creator_id=actor.creator_id,
                user_id=actor.user_id,
                fan_id=conversation.fan_id,
                caption=text,
                price_cents=price_cents,
                media_ids=cleaned_media_ids,
            )
            if price_cents
            else None
        )
        message = Message.objects.create(
            creator_id=actor.creator_id,
            conversation_id=conversation.id,
            fan_id=conversation.fan_id,
            direction=Direction.OUTBOUND,
            sender_id=actor.user_id,
            text=text,
            media_ids=cleaned_media_ids,
            ppv_item=ppv_item,
            price_cents=price_cents,
            status=DeliveryStatus.SCHEDULED if scheduled_for else DeliveryStatus.SENT,
            sent_at=scheduled_for or now,
            scheduled_for=scheduled_for,
            cancel_if_fan_replies=cancel_if_fan_replies,
        )
        if suggestion_id is not None:
            suggestion_review_on_send(
                actor=actor,
                suggestion_id=suggestion_id,
                conversation_id=conversation.id,
                final_text=text,
            )
        if scheduled_for is None:
            message_went_out(message=message)
        publish_message_created(message=message)
    return message


def conversation_open(*, creator_id: int, fan_id: int) -> int:
    """The id of the fan's conversation, opened if the team never talked with them."""
    conversation, _created = Conversation.objects.for_creator(creator_id).get_or_create(
        creator_id=creator_id, fan_id=fan_id
    )
    return conversation.id


def ppv_message_deliver(
    *,
    creator_id: int,
    fan_id: int,
    ppv_item_id: int,
    sender_id: int | None,
    text: str,
    media_ids: Sequence[int],
    price_cents: int,
) -> Message:
    """Send one fan the message of a PPV campaign (checked when the campaign was created).
    The caller holds the (PPV, fan) claim that makes this happen once."""
    conversation_id = conversation_open(creator_id=creator_id, fan_id=fan_id)
    message = Message.objects.create(
        creator_id=creator_id,
        conversation_id=conversation_id,
        fan_id=fan_id,
        direction=Direction.OUTBOUND,
        sender_id=sender_id,
        text=text,
        media_ids=list(media_ids),
        ppv_item_id=ppv_item_id,
        price_cents=price_cents,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
    )
    message_went_out(message=message)
    publish_message_created(message=message)
    return message


def ppv_purchase_ingest(
    *,
    creator_id: int,
    fan_id: int,
    amount_cents: int,
    occurred_at: datetime,
    transaction_id: int | None = None,
    platform_message_id: str = "",
) -> PPVPurchase | None:
    """A platform reports that a fan bought a PPV: mark the PPV message bought (once) and add
    to its PPV's figures. The message is the one with `platform_message_id` when the platform
    names it; otherwise the fan's latest PPV message at that price, sent before the purchase
    and not bought yet. None when no message matches (a PPV sold outside the inbox)."""
    messages = Message.objects.for_creator(creator_id).filter(
        fan_id=fan_id, direction=Direction.OUTBOUND, ppv_item_id__isnull=False
    )
    if platform_message_id:
        messages = messages.filter(platform_message_id=platform_message_id)
    else:
        messages = messages.filter(
            price_cents=amount_cents,
            sent_at__lte=occurred_at,
            status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ],
        )
    candidates = messages.order_by("-sent_at", "-id").values_list("id", "ppv_item_id")[:20]
    for message_id, ppv_item_id in candidates:
        if ppv_is_bought(creator_id=creator_id, fan_id=fan_id, ppv_item_id=ppv_item_id):
            continue
        purchase = ppv_purchase_record(
            creator_id=creator_id,
            fan_id=fan_id,
            amount_cents=amount_cents,
            occurred_at=occurred_at,
            transaction_id=transaction_id,
            message_id=message_id,
            ppv_item_id=ppv_item_id,
        )
        if purchase is not None:  # the team member who sent it earned it
            user_stats_record_ppv_purchase(
                creator_id=creator_id, message_id=message_id, price_cents=amount_cents
            )
        return purchase
    return None


def conversation_mark_read(*, actor: Actor, conversation_id: int) -> None:
    actor.require(Permission.MESSAGE)
    updated = (
        Conversation.objects.for_creator(actor.creator_id)
        .filter(id=conversation_id)
        .update(unread_count=0)
    )
    if not updated:
        raise NotFound("No such conversation.")


def followups_cancel_on_reply(
    *, creator_id: int, conversation_id: int, replied_at: datetime
) -> int:
    """Cancel the scheduled messages of a conversation set to cancel themselves when the fan
    replies, planned before `replied_at`. Returns how many were cancelled."""
    pending = list(
        Message.objects.for_creator(creator_id)
        .select_for_update()
        .filter(
            conversation_id=conversation_id,
            status=DeliveryStatus.SCHEDULED,
            cancel_if_fan_replies=True,
            created_at__lte=replied_at,
        )
    )
    for message in pending:
        message.status = DeliveryStatus.CANCELLED
        message.save(update_fields=["status", "updated_at"])
        publish_message_updated(message=message)
    return len(pending)


def scheduled_messages_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the scheduled messages whose time has come, across creators (a periodic job).

    Each message is locked and re-checked, so two runs never send one twice. Returns how many
    went out."""
    now = now or timezone.now()
    # Deliberately across creators: the job serves every workspace.
    due = list(
        Message.all_creators.filter(status=DeliveryStatus.SCHEDULED, scheduled_for__lte=now)
        .order_by("scheduled_for", "id")
        .values_list("id", "creator_id")[:limit]
    )
    sent = 0
    for message_id, creator_id in due:
        with transaction.atomic():
            message = (
                Message.objects.for_creator(creator_id)
                .select_for_update()
                .filter(id=message_id, status=DeliveryStatus.SCHEDULED)
                .first()
            )
            if message is None:
                continue
            message.status = DeliveryStatus.SENT
            message.save(update_fields=["status", "updated_at"])
            message_went_out(message=message)
            publish_message_updated(message=message)
            sent += 1
    return sent
