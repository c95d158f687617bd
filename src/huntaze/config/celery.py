"""The Celery app: queues default, ai, video, publish; beat runs the cron jobs."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huntaze.config.settings.local")

app = Celery("huntaze")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

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
}
