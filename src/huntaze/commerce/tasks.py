"""Commerce tasks. They take ids, call one service, and are idempotent."""

from __future__ import annotations

from celery import shared_task

from huntaze.commerce.services_ppv_send import ppv_send_batch, ppv_send_due


@shared_task(name="huntaze.commerce.tasks.ppv_send", acks_late=True)
def ppv_send(*, creator_id: int, ppv_item_id: int) -> int:
    """Send a PPV campaign to all its fans, batch by batch (progress on the PPV row). A rerun
    after a crash carries on: each (PPV, fan) is sent once."""
    while True:
        progress = ppv_send_batch(creator_id=creator_id, ppv_item_id=ppv_item_id)
        if progress.is_finished:
            return progress.done


@shared_task(name="huntaze.commerce.tasks.ppv_send_scheduled")
def ppv_send_scheduled() -> int:
    """Beat job: start the scheduled PPVs whose time has come."""
    return ppv_send_due()
