"""Analytics periodic tasks."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import structlog
from celery import shared_task
from django.utils import timezone

from huntaze.analytics.services import rollups_rebuild
from huntaze.core.models import Creator

_log = structlog.get_logger(__name__)

RECENT_DAYS = 2


@shared_task(name="huntaze.analytics.tasks.rollup_recent")
def rollup_recent() -> dict[str, Any]:
    """Rebuild the rollups of today and yesterday (UTC) for every creator. Idempotent: each
    creator's range is deleted and recomputed in one transaction, so a rerun changes nothing.
    One creator failing does not stop the others; the task fails at the end if any did."""
    day_to = timezone.now().astimezone(UTC).date()
    day_from = day_to - timedelta(days=RECENT_DAYS - 1)
    creator_ids = list(Creator.objects.order_by("id").values_list("id", flat=True))
    failed: list[int] = []
    for creator_id in creator_ids:
        try:
            rollups_rebuild(creator_id=creator_id, day_from=day_from, day_to=day_to)
        except Exception:
            _log.exception("rollups.rebuild_failed", creator_id=creator_id)
            failed.append(creator_id)
    if failed:
        raise RuntimeError(f"Rollup rebuild failed for creators {failed}")
    return {
        "creators": len(creator_ids),
        "day_from": day_from.isoformat(),
        "day_to": day_to.isoformat(),
    }


@shared_task(name="huntaze.analytics.tasks.insights_summary_daily")
def insights_summary_daily() -> dict[str, Any]:
    """The daily AI summary of every creator (seed: `POST /api/analytics/ai/summary/run`).
    Idempotent per period; one creator failing (the router down) does not stop the others."""
    from huntaze.analytics.services_insights import insight_summary_run

    creator_ids = list(Creator.objects.order_by("id").values_list("id", flat=True))
    statuses: dict[str, int] = {}
    failed: list[int] = []
    for creator_id in creator_ids:
        try:
            run = insight_summary_run(creator_id=creator_id)
        except Exception:
            _log.exception("insights.summary_failed", creator_id=creator_id)
            failed.append(creator_id)
            continue
        statuses[run.status] = statuses.get(run.status, 0) + 1
    if failed:
        raise RuntimeError(f"AI summary failed for creators {failed}")
    return {"creators": len(creator_ids), **statuses}
