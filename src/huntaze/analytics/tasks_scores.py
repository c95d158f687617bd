"""The nightly fan scores job (LTV, churn risk, P(alive), expected purchases)."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task

from huntaze.analytics.services_scores import fan_scores_refresh
from huntaze.core.models import Creator

_log = structlog.get_logger(__name__)


@shared_task(name="huntaze.analytics.tasks_scores.fan_scores_refresh_all")
def fan_scores_refresh_all(full: bool = False) -> dict[str, Any]:
    """Refresh the stored fan scores of every creator (incremental; `full` refits and rewrites
    all). Idempotent. One creator failing does not stop the others; the task fails at the end
    if any did."""
    creator_ids = list(Creator.objects.order_by("id").values_list("id", flat=True))
    failed: list[int] = []
    written = 0
    without_model = 0
    for creator_id in creator_ids:
        try:
            result = fan_scores_refresh(creator_id=creator_id, full=full)
        except Exception:
            _log.exception("fan_scores.refresh_failed", creator_id=creator_id)
            failed.append(creator_id)
            continue
        written += result.written
        without_model += int(result.params is None)
    if failed:
        raise RuntimeError(f"Fan scores refresh failed for creators {failed}")
    return {"creators": len(creator_ids), "fans_written": written, "without_model": without_model}


@shared_task(name="huntaze.analytics.tasks_scores.fan_scores_refresh_creator")
def fan_scores_refresh_creator(creator_id: int, full: bool = False) -> dict[str, Any]:
    """Refresh one creator's fan scores (for example after a bulk import)."""
    result = fan_scores_refresh(creator_id=creator_id, full=full)
    return {
        "creator_id": creator_id,
        "buyers": result.buyers,
        "fans_written": result.written,
        "cleared": result.cleared,
        "is_refit": result.is_refit,
        "not_enough_data": result.not_enough_data,
    }
