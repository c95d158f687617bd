"""The cron jobs as authenticated HTTP routes (the seed's EventBridge → `POST /api/cron/...`).
Each route enqueues the same Celery task that beat runs; the caller sends
`Authorization: Bearer $CRON_SECRET`."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from huntaze.core.api_utils import ErrorOut
from huntaze.core.errors import NotFound

CRON_JOBS: dict[str, str] = {
    "outbox/dispatch": "huntaze.core.tasks.outbox_dispatch",
    "analytics/rollup": "huntaze.analytics.tasks.rollup_recent",
    "inbox/scheduled-messages": "huntaze.inbox.tasks.scheduled_messages_send",
    "inbox/user-stats": "huntaze.inbox.tasks_team.user_stats_recompute",
    "analytics/ai/summary/run": "huntaze.analytics.tasks.insights_summary_daily",
    "analytics/fan-scores": "huntaze.analytics.tasks_scores.fan_scores_refresh_all",
    "ppv/scheduled": "huntaze.commerce.tasks.ppv_send_scheduled",
}


class CronAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        secret = settings.CRON_SECRET
        if secret and hmac.compare_digest(token, secret):
            return "cron"
        return None


router = Router(tags=["cron"], auth=CronAuth())


class CronOut(Schema):
    job: str
    task_id: str
    state: str


@router.post("/{path:job}", response={202: CronOut, 401: ErrorOut, 404: ErrorOut})
def run_job(request: HttpRequest, job: str) -> Status[dict[str, str]]:
    from huntaze.config.celery import app

    task_name = CRON_JOBS.get(job)
    if task_name is None:
        raise NotFound(f"No cron job {job!r}.")
    app.loader.import_default_modules()  # registers the tasks of every installed app
    result = (
        app.send_task(task_name)
        if not settings.CELERY_TASK_ALWAYS_EAGER
        else (app.tasks[task_name].apply())
    )
    return Status(202, {"job": job, "task_id": str(result.id), "state": str(result.state)})
