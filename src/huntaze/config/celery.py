"""The Celery app: queues default, ai, video, publish; beat runs the cron jobs."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huntaze.config.settings.local")

app = Celery("huntaze")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules not called `tasks`, which autodiscovery would miss.
app.conf.imports = ("huntaze.analytics.tasks_scores", "huntaze.inbox.tasks_team")

app.conf.beat_schedule = {
    "outbox-dispatch": {"task": "huntaze.core.tasks.outbox_dispatch", "schedule": 300.0},
    "inbox-scheduled-messages": {
        "task": "huntaze.inbox.tasks.scheduled_messages_send",
        "schedule": 60.0,
    },
    "analytics-rollup": {
        "task": "huntaze.analytics.tasks.rollup_recent",
        "schedule": crontab(minute=5),
    },
    "analytics-ai-summary": {
        "task": "huntaze.analytics.tasks.insights_summary_daily",
        "schedule": crontab(hour=3, minute=15),
    },
    "analytics-fan-scores": {
        "task": "huntaze.analytics.tasks_scores.fan_scores_refresh_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "commerce-ppv-scheduled": {
        "task": "huntaze.commerce.tasks.ppv_send_scheduled",
        "schedule": 60.0,
    },
    "inbox-user-stats": {
        "task": "huntaze.inbox.tasks_team.user_stats_recompute",
        "schedule": crontab(minute="*/30"),
    },
}
