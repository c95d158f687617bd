"""PPV writes that do not send: price rules, creating a PPV (one fan's from the inbox, or a
campaign to chosen fans or a segment), and recording a fan's purchase of one.

A campaign reaches only fans its sender may see (`fans_visible`): a chatter whose creator
limits chatters to their assigned fans chooses among those, and their PPV to a segment goes to
the segment's fans assigned to them (the count the PPV page shows them), not to the whole
segment. The role is the one the PPV was created with (kept on the row, so a chatter-role API
key of a manager reaches what a chatter would), never more than the author's role now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from huntaze.commerce.models import PPVAudience, PPVDelivery, PPVItem, PPVPurchase
from huntaze.commerce.rules import PPV_MAX_PRICE_CENTS, PPV_MIN_PRICE_CENTS
from huntaze.commerce.selectors_ppv import (
    ppv_item_exists,
    ppv_message_for_purchase,
    ppvs_visible,
)
from huntaze.content.selectors import vault_missing
from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, ValidationFailed
from huntaze.core.fields import RecordStatus
from huntaze.core.models import Role
from huntaze.core.permissions import Permission, role_within
from huntaze.core.selectors import membership_role
from huntaze.fans.segments import segment_fan_queryset
from huntaze.fans.selectors import fans_visible

MAX_PPV_MEDIA = 20
MAX_CHOSEN_FANS = 1000
MAX_TITLE_LENGTH = 120
MAX_CAPTION_LENGTH = 5_000
MAX_SCHEDULE_AHEAD = timedelta(days=90)


def ppv_price_check(price_cents: object, *, field: str = "price_cents") -> int:
    if isinstance(price_cents, bool) or not isinstance(price_cents, int):
        raise ValidationFailed.on_field(field, "The price is a whole number of cents.")
    if not PPV_MIN_PRICE_CENTS <= price_cents <= PPV_MAX_PRICE_CENTS:
        raise ValidationFailed.on_field(
            field,
            f"A PPV price is between ${PPV_MIN_PRICE_CENTS // 100} "
            f"and ${PPV_MAX_PRICE_CENTS // 100}.",
        )
    return price_cents


def clean_ids(values: Sequence[object], *, field: str, limit: int) -> list[int]:
    cleaned: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
            raise ValidationFailed.on_field(field, f"{field} are positive whole numbers.")
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > limit:
        raise ValidationFailed.on_field(field, f"At most {limit} {field.replace('_ids', '')}s.")
    return cleaned


def ppv_media_check(*, creator_id: int, media_ids: Sequence[object]) -> list[int]:
    """A PPV locks one to 20 items of the creator's own vault."""
    cleaned = clean_ids(media_ids, field="media_ids", limit=MAX_PPV_MEDIA)
    if not cleaned:
        raise ValidationFailed.on_field("media_ids", "A PPV needs media from your vault.")
    missing = vault_missing(creator_id=creator_id, media_ids=cleaned)
    if missing:
        raise ValidationFailed.on_field(
            "media_ids", "Not in your vault: " + ", ".join(str(m) for m in missing) + "."
        )
    return cleaned


def _narrower_role(first: str, second: str) -> str:
    """The one of two roles that has no permission the other lacks; a chatter (the fail-closed
    role for what a campaign reaches) when each has one the other lacks."""
    if role_within(first, second):
        return first
    if role_within(second, first):
        return second
    return Role.CHATTER


def ppv_sender(*, item: PPVItem) -> Actor:
    """Who a campaign is sent for: its creator-side author, with the narrower of the role it
    was created with (`created_by_role`: an API key's role may be below its owner's membership
    role, and what the key sends reaches no more than the key may see) and the author's
    membership role now. A PPV stored before the role was kept has the membership role. An
    author who left the team (or whose account is gone) counts as a chatter, so a creator who
    limits chatters to their assigned fans never has a campaign reach more than its author
    could choose (fail closed: such a PPV to a segment then reaches nobody)."""
    role = None
    if item.created_by_id is not None:
        role = membership_role(user_id=item.created_by_id, creator_id=item.creator_id)
    if role is None:
        role = Role.CHATTER
    elif item.created_by_role:
        role = _narrower_role(item.created_by_role, role)
    return Actor(creator_id=item.creator_id, user_id=item.created_by_id, role=role)


def target_fan_ids(*, item: PPVItem) -> QuerySet[Any]:
    """The ids of the fans a PPV goes to, as a query (a segment is read at send time): the
    chosen fans or the segment's, narrowed to those its sender may see (`ppv_sender`,
    `fans_visible`: a limited chatter's PPV to a segment reaches only their assigned fans in
    it)."""
    sender = ppv_sender(item=item)
    if item.audience == PPVAudience.SEGMENT:
        if item.segment_id is None:  # the segment was deleted before the PPV went out
            return fans_visible(actor=sender).none().values_list("id", flat=True)
        segment = segment_fan_queryset(creator_id=item.creator_id, segment_id=item.segment_id)
        queryset = fans_visible(actor=sender, queryset=segment)
    else:
        queryset = fans_visible(actor=sender).filter(id__in=item.fan_ids)
    return queryset.order_by("id").values_list("id", flat=True)


def segment_check(*, creator_id: int, segment_id: int) -> None:
    """NotFound unless the segment is one of the creator's."""
    segment_fan_queryset(creator_id=creator_id, segment_id=segment_id)


def _check_text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed.on_field(field, f"{field} is at most {limit} characters.")
    if "\x00" in value:
        raise ValidationFailed.on_field(field, f"{field} contains a NUL character.")
    return value


def _check_schedule(scheduled_at: datetime | None, *, now: datetime) -> None:
    if scheduled_at is None:
        return
    if timezone.is_naive(scheduled_at):
        raise ValidationFailed.on_field("scheduled_at", "Give a time with its time zone.")
    if scheduled_at <= now:
        raise ValidationFailed.on_field("scheduled_at", "Schedule it in the future.")
    if scheduled_at > now + MAX_SCHEDULE_AHEAD:
        raise ValidationFailed.on_field("scheduled_at", "Schedule it at most 90 days ahead.")


def _check_audience(
    *, actor: Actor, fan_ids: Sequence[object], segment_id: int | None
) -> tuple[str, list[int]]:
    """The audience and the chosen fans. A chosen fan `actor` may not see (another
    creator's, a missing one, or one not assigned to a limited chatter) is refused alike,
    naming `fan_ids`; a segment is any of the creator's (what it reaches is narrowed at send
    time, `target_fan_ids`)."""
    if segment_id is not None and fan_ids:
        raise ValidationFailed.on_field("segment_id", "Choose fans or a segment, not both.")
    if segment_id is not None:
        segment_check(creator_id=actor.creator_id, segment_id=segment_id)
        return PPVAudience.SEGMENT, []
    cleaned = clean_ids(fan_ids, field="fan_ids", limit=MAX_CHOSEN_FANS)
    if not cleaned:
        raise ValidationFailed.on_field("fan_ids", "Choose at least one fan or a segment.")
    found = set(fans_visible(actor=actor).filter(id__in=cleaned).values_list("id", flat=True))
    missing = [fan_id for fan_id in cleaned if fan_id not in found]
    if missing:
        raise ValidationFailed.on_field(
            "fan_ids", "Not your fans: " + ", ".join(str(f) for f in missing) + "."
        )
    return PPVAudience.FANS, cleaned


def ppv_create(
    *,
    actor: Actor,
    title: str,
    caption: str = "",
    price_cents: int,
    media_ids: Sequence[int],
    fan_ids: Sequence[int] = (),
    segment_id: int | None = None,
    scheduled_at: datetime | None = None,
    skip_already_sent: bool = True,
) -> PPVItem:
    """A PPV campaign: locked media of the vault at a price, to chosen fans or a segment, now
    (sent by a task, with progress) or at `scheduled_at`. Nothing is stored unless all is valid.

    For a chatter whose creator limits chatters to their assigned fans: a chosen fan not
    assigned to them is refused like another creator's ("Not your fans", on `fan_ids`), and a
    PPV to a segment goes only to the segment's fans assigned to them (the segment stays a
    shared list of the creator's; what the chatter sends through it reaches no one they could
    not message from the inbox). The PPV page shows them that count."""
    actor.require(Permission.MESSAGE)
    now = timezone.now()
    title = _check_text(title, "title", MAX_TITLE_LENGTH)
    if not title:
        raise ValidationFailed.on_field("title", "Give the PPV a title.")
    caption = _check_text(caption, "caption", MAX_CAPTION_LENGTH)
    ppv_price_check(price_cents)
    cleaned_media = ppv_media_check(creator_id=actor.creator_id, media_ids=media_ids)
    _check_schedule(scheduled_at, now=now)
    audience, cleaned_fans = _check_audience(actor=actor, fan_ids=fan_ids, segment_id=segment_id)
    with transaction.atomic():
        item = PPVItem.objects.create(
            creator_id=actor.creator_id,
            created_by_id=actor.user_id,
            created_by_role=actor.role,
            title=title,
            caption=caption,
            price_cents=price_cents,
            media_ids=cleaned_media,
            audience=audience,
            fan_ids=cleaned_fans,
            segment_id=segment_id,
            skip_already_sent=skip_already_sent,
            status=RecordStatus.SCHEDULED if scheduled_at else RecordStatus.ACTIVE,
            scheduled_at=scheduled_at,
        )
        if scheduled_at is None:
            ppv_send_enqueue_on_commit(creator_id=actor.creator_id, ppv_item_id=item.id)
    return item


def ppv_send_enqueue_on_commit(*, creator_id: int, ppv_item_id: int) -> None:
    def enqueue() -> None:
        from huntaze.commerce.tasks import ppv_send

        ppv_send.delay(creator_id=creator_id, ppv_item_id=ppv_item_id)

    transaction.on_commit(enqueue)


def ppv_cancel(*, actor: Actor, ppv_item_id: int) -> PPVItem:
    """Cancel a scheduled PPV before it goes out (one already sending or sent is a no-op)."""
    actor.require(Permission.MESSAGE)
    with transaction.atomic():
        item = ppvs_visible(actor=actor).select_for_update().filter(id=ppv_item_id).first()
        if item is None:
            raise NotFound("No such PPV.")
        if item.status == RecordStatus.SCHEDULED:
            item.status = RecordStatus.ARCHIVED
            item.save(update_fields=["status", "updated_at"])
    return item


def ppv_item_create_for_message(
    *,
    creator_id: int,
    user_id: int | None,
    fan_id: int,
    caption: str,
    price_cents: int,
    media_ids: Sequence[int],
) -> PPVItem:
    """The PPV row behind a priced message typed in the inbox (its analytics and purchase)."""
    ppv_price_check(price_cents)
    if not media_ids:
        raise ValidationFailed.on_field("media_ids", "A PPV message needs media to unlock.")
    title = " ".join(caption.split())[:MAX_TITLE_LENGTH] or "PPV message"
    return PPVItem.objects.create(
        creator_id=creator_id,
        created_by_id=user_id,
        title=title,
        caption=caption,
        price_cents=price_cents,
        media_ids=list(media_ids),
        audience=PPVAudience.FAN,
        fan_ids=[fan_id],
        status=RecordStatus.ACTIVE,
        target_count=1,
    )


def ppv_record_sent(*, creator_id: int, ppv_item_id: int, fan_id: int, message_id: int) -> None:
    """A PPV message went out: count it, and note the delivery (once per PPV and fan)."""
    now = timezone.now()
    PPVItem.objects.for_creator(creator_id).filter(id=ppv_item_id).update(
        sent_count=F("sent_count") + 1
    )
    PPVDelivery.objects.for_creator(creator_id).filter(
        ppv_item_id=ppv_item_id, fan_id=fan_id, message_id__isnull=True
    ).update(message_id=message_id)
    PPVDelivery.objects.for_creator(creator_id).bulk_create(
        [
            PPVDelivery(
                creator_id=creator_id,
                ppv_item_id=ppv_item_id,
                fan_id=fan_id,
                message_id=message_id,
                sent_at=now,
            )
        ],
        ignore_conflicts=True,
    )


def ppv_purchase_record(
    *,
    creator_id: int,
    fan_id: int,
    amount_cents: int,
    occurred_at: datetime,
    transaction_id: int | None = None,
    message_id: int | None = None,
    ppv_item_id: int | None = None,
) -> PPVPurchase | None:
    """A fan bought a PPV message: mark it bought and add to its PPV's figures, once.

    With `ppv_item_id` (and the message it came in), that PPV; otherwise the PPV message
    delivered to the fan (`message_id`, or their latest one sent before the purchase at that
    price and not bought yet). None when none matches (a PPV sold outside the inbox); a repeat
    of the same purchase changes nothing."""
    if ppv_item_id is not None:
        if not ppv_item_exists(creator_id=creator_id, ppv_item_id=ppv_item_id):
            raise NotFound("No such PPV.")
        found: tuple[int | None, int] | None = (message_id, ppv_item_id)
    else:
        found = ppv_message_for_purchase(
            creator_id=creator_id,
            fan_id=fan_id,
            amount_cents=amount_cents,
            occurred_at=occurred_at,
            message_id=message_id,
        )
    if found is None:
        return None
    found_message_id, ppv_item_id = found
    try:
        with transaction.atomic():
            purchase = PPVPurchase.objects.create(
                creator_id=creator_id,
                ppv_item_id=ppv_item_id,
                fan_id=fan_id,
                message_id=found_message_id,
                transaction_id=transaction_id,
                price_cents=amount_cents,
                purchased_at=occurred_at,
            )
    except IntegrityError:
        return None
    PPVItem.objects.for_creator(creator_id).filter(id=ppv_item_id).update(
        purchased_count=F("purchased_count") + 1,
        revenue_cents=F("revenue_cents") + amount_cents,
    )
    return purchase
