"""Tracked funnel events of the demo: visits of the creators' tracked links and new follows on
their social accounts, per day and platform. The later stages (subscribe, first and repeat
purchase) come from the fans and transactions, through the rollup job."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from huntaze.analytics.models import DailyFunnel, FunnelStage
from huntaze.web.demo.fans import FanData
from huntaze.web.demo.team import Team
from huntaze.web.demo.timeline import DAY_S

SOCIAL_PLATFORMS = ("tiktok", "instagram", "reddit", "x")
# Per new subscriber that day: this many link visits and follows, spread over the platforms.
VISITS_PER_SUBSCRIBER = (20.0, 50.0)
FOLLOWS_PER_SUBSCRIBER = (3.0, 5.0)


def funnel_tracked_write(
    rng: np.random.Generator,
    *,
    teams: list[Team],
    fans: FanData,
    anchor: int,
    window_days: int,
) -> int:
    """Writes the visit and follow rows; returns how many."""
    first_day = anchor // DAY_S - window_days
    days = window_days + 1
    share = rng.dirichlet(np.ones(len(SOCIAL_PLATFORMS)) * 4, size=len(teams))
    rows: list[DailyFunnel] = []
    for index, team in enumerate(teams):
        joined_day = fans.joined[fans.creator == index] // DAY_S - first_day
        new_fans = np.bincount(joined_day[joined_day >= 0], minlength=days)[:days]
        base = np.maximum(new_fans, 1).astype(float)  # a quiet day still has visitors
        for stage, (low, high) in (
            (FunnelStage.VISIT, VISITS_PER_SUBSCRIBER),
            (FunnelStage.FOLLOW, FOLLOWS_PER_SUBSCRIBER),
        ):
            per_day = base * rng.uniform(low, high, days)
            for platform_index, platform in enumerate(SOCIAL_PLATFORMS):
                counts = rng.poisson(per_day * share[index, platform_index])
                for offset in np.flatnonzero(counts):
                    day = datetime.fromtimestamp((first_day + int(offset)) * DAY_S, UTC).date()
                    rows.append(
                        DailyFunnel(
                            creator_id=team.creator_id,
                            day=day,
                            platform=platform,
                            stage=stage,
                            count=int(counts[offset]),
                        )
                    )
    DailyFunnel.all_creators.bulk_create(rows, batch_size=2000)
    return len(rows)
