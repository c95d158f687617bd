"""Sending a PPV campaign: batch by batch, each fan claimed once per PPV (a rerun or a second
worker never sends twice), with progress kept on the PPV row; and the scheduled ones when their
time comes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huntaze.commerce.models import PPVDelivery, PPVItem
from huntaze.commerce.services_ppv import ppv_send_enqueue_on_commit, target_fan_ids
from huntaze.content.selectors import vault_sent_to_fan
from huntaze.core.fields import RecordStatus
from huntaze.inbox.services_messages import ppv_message_deliver

SEND_BATCH_SIZE = 200
_log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class SendProgress:
    done: int
    target: int
    is_finished: bool


def _start(item: PPVItem) -> None:
    """First batch: note when sending began and how many fans it targets."""
    if item.sending_started_at is not None:
        return
    item.sending_started_at = timezone.now()
    item.target_count = target_fan_ids(item=item).count()
    item.save(update_fields=["sending_started_at", "target_count", "updated_at"])


def _claim(*, item: PPVItem, fan_id: int, now: datetime) -> PPVDelivery | None:
    try:
        with transaction.atomic():
            return PPVDelivery.objects.create(
                creator_id=item.creator_id, ppv_item_id=item.id, fan_id=fan_id, sent_at=now
            )
    except IntegrityError:
        return None


def _send_one(*, item: PPVItem, fan_id: int) -> None:
    with transaction.atomic():
        claim = _claim(item=item, fan_id=fan_id, now=timezone.now())
        if claim is None:
            return
        already = item.skip_already_sent and vault_sent_to_fan(
            creator_id=item.creator_id, fan_id=fan_id, media_ids=item.media_ids
        )
        if already:
            claim.is_skipped = True
            claim.save(update_fields=["is_skipped", "updated_at"])
            PPVItem.objects.for_creator(item.creator_id).filter(id=item.id).update(
                skipped_count=F("skipped_count") + 1
            )
            return
        ppv_message_deliver(
            creator_id=item.creator_id,
            fan_id=fan_id,
            ppv_item_id=item.id,
            sender_id=item.created_by_id,
            text=item.caption,
            media_ids=item.media_ids,
            price_cents=item.price_cents,
        )


def ppv_send_batch(
    *, creator_id: int, ppv_item_id: int, batch_size: int = SEND_BATCH_SIZE
) -> SendProgress:
    """Send the PPV to the next `batch_size` fans not reached yet; a PPV that is not sending
    (scheduled, cancelled, done, or another creator's) is left alone."""
    item = PPVItem.objects.for_creator(creator_id).filter(id=ppv_item_id).first()
    if item is None or item.status != RecordStatus.ACTIVE:
        done = (item.sent_count + item.skipped_count) if item else 0
        return SendProgress(done=done, target=item.target_count if item else 0, is_finished=True)
    _start(item)
    reached = PPVDelivery.objects.for_creator(creator_id).filter(ppv_item_id=item.id)
    fan_ids = list(target_fan_ids(item=item).exclude(id__in=reached.values("fan_id"))[:batch_size])
    for fan_id in fan_ids:
        _send_one(item=item, fan_id=fan_id)
    is_finished = len(fan_ids) < batch_size
    item.refresh_from_db(fields=["sent_count", "skipped_count", "target_count"])
    done = item.sent_count + item.skipped_count
    if is_finished:
        PPVItem.objects.for_creator(creator_id).filter(
            id=item.id, status=RecordStatus.ACTIVE
        ).update(
            status=RecordStatus.COMPLETED,
            sent_at=timezone.now(),
            target_count=done,
            updated_at=timezone.now(),
        )
        _log.info("commerce.ppv_sent", creator_id=creator_id, ppv_item_id=item.id, done=done)
    return SendProgress(done=done, target=max(item.target_count, done), is_finished=is_finished)


def ppv_send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Start the scheduled PPVs whose time has come, across creators (a periodic job)."""
    now = now or timezone.now()
    # Deliberately across creators: the job serves every workspace.
    due = list(
        PPVItem.all_creators.filter(status=RecordStatus.SCHEDULED, scheduled_at__lte=now)
        .order_by("scheduled_at", "id")
        .values_list("id", "creator_id")[:limit]
    )
    started = 0
    for ppv_item_id, creator_id in due:
        with transaction.atomic():
            updated = (
                PPVItem.objects.for_creator(creator_id)
                .filter(id=ppv_item_id, status=RecordStatus.SCHEDULED)
                .update(status=RecordStatus.ACTIVE, updated_at=now)
            )
            if updated:
                ppv_send_enqueue_on_commit(creator_id=creator_id, ppv_item_id=ppv_item_id)
                started += 1
    return started
