"""Content tasks. They take ids, call one service, and are idempotent."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from huntaze.content.services_thumbnails import DEFAULT_BATCH_SIZE
from huntaze.content.services_thumbnails import (
    vault_thumbnails_backfill as _vault_thumbnails_backfill,
)


@shared_task(name="huntaze.content.tasks.vault_thumbnails_backfill")
def vault_thumbnails_backfill(
    *, creator_id: int | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> dict[str, int]:
    """Maintenance job, run by hand (no schedule): the missing thumbnails of vault images, one
    creator's or every creator's; returns the counts. A rerun makes nothing."""
    return asdict(_vault_thumbnails_backfill(creator_id=creator_id, batch_size=batch_size))
