"""Team jobs: user_stats recomputed from the messages and PPV sales (beat, every 30 min)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from huntaze.inbox.services_team import user_stats_recompute_all


@shared_task(name="huntaze.inbox.tasks_team.user_stats_recompute")
def user_stats_recompute() -> Any:
    return user_stats_recompute_all()
