"""The few rows around the big tables: segments, campaigns, knowledge-base reply examples,
saved scripts and content (posts without media: the demo ships no files)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import numpy as np

from huntaze.web.demo.fans import STATE_EXPIRED, FanData
from huntaze.web.demo.team import Team
from huntaze.web.demo.texts import CAMPAIGNS, CONTENT_IDEAS, REPLY_EXAMPLES, SCRIPTS
from huntaze.web.demo.timeline import DAY_S, HOUR_S
from huntaze.web.demo.writer import BulkWriter, Column

SEGMENTS = (
    # key, name, description, rules
    (
        "spenders",
        "Big spenders",
        "Fans who spent $500 or more",
        {"all": [{"field": "total_spent_cents", "op": "gte", "value": 50_000}]},
    ),
    (
        "expired",
        "Expired subscribers",
        "Fans whose subscription expired",
        {"all": [{"field": "subscription_state", "op": "eq", "value": "expired"}]},
    ),
    (
        "new",
        "New this month",
        "Fans who joined in the last 30 days",
        {"all": [{"field": "joined_at", "op": "within_days", "value": 30}]},
    ),
)


def _rows(writer: BulkWriter, table: str, rows: Sequence[Mapping[str, object]]) -> np.ndarray:
    """Write a few rows given as dicts (same keys); returns their ids."""
    ids = writer.next_ids(table, len(rows))
    if not rows:
        return ids
    columns: dict[str, Column] = {"id": Column.int(ids)}
    for name in rows[0]:
        values = [row[name] for row in rows]
        if name.endswith("_at"):
            moments = np.array([-1 if v is None else v for v in values], dtype=np.int64)
            columns[name] = Column.ts(np.maximum(moments, 0), null=moments < 0)
        else:
            columns[name] = Column.lookup(values, np.arange(len(rows)))
    writer.write(table, columns, len(rows))
    return ids


def extras_write(
    rng: np.random.Generator,
    writer: BulkWriter,
    *,
    teams: list[Team],
    fans: FanData,
    anchor: int,
) -> None:
    assert fans.total_spent is not None
    for team in teams:
        mine = fans.creator == team.index
        sizes = {
            "spenders": int(np.count_nonzero(mine & (fans.total_spent >= 50_000))),
            "expired": int(np.count_nonzero(mine & (fans.state == STATE_EXPIRED))),
            "new": int(np.count_nonzero(mine & (fans.joined >= anchor - 30 * DAY_S))),
        }
        base = {"creator_id": team.creator_id}
        created = anchor - 200 * DAY_S
        segment_ids = _rows(
            writer,
            "segments",
            [
                {
                    **base,
                    "created_at": created,
                    "updated_at": anchor - HOUR_S,
                    "name": name,
                    "description": description,
                    "rules": json.dumps(rules),
                    "fan_count": sizes[key],
                    "counted_at": anchor - HOUR_S,
                }
                for key, name, description, rules in SEGMENTS
            ],
        )
        segment_of = {key: int(segment_ids[n]) for n, (key, *_rest) in enumerate(SEGMENTS)}
        pet = team.profile.pets[0]

        campaigns = []
        for n, (name, channel, goal, status, audience, message) in enumerate(CAMPAIGNS):
            started = anchor - (120 - 25 * n) * DAY_S
            sent = sizes.get(audience, 0) if status in ("completed", "active") else 0
            if channel != "onlyfans_dm" and status != "draft":
                sent = int(rng.integers(2_000, 40_000))
            conversions = int(sent * rng.uniform(0.02, 0.09)) if sent else 0
            campaigns.append(
                {
                    **base,
                    "created_at": started - 3 * DAY_S,
                    "updated_at": min(started + 5 * DAY_S, anchor - HOUR_S),
                    "name": name,
                    "status": status,
                    "channel": channel,
                    "goal": goal,
                    "audience_segment_id": segment_of.get(audience),
                    "message": message.format(pet=pet),
                    "scheduled_at": anchor + 10 * DAY_S if status == "scheduled" else started,
                    "sent_count": sent,
                    "conversion_count": conversions,
                    "revenue_cents": conversions * int(rng.integers(8, 30)) * 100,
                }
            )
        _rows(writer, "marketing_campaigns", campaigns)

        _rows(
            writer,
            "knowledge_base_items",
            [
                {
                    **base,
                    "created_at": anchor - (90 - 5 * n) * DAY_S,
                    "updated_at": anchor - (90 - 5 * n) * DAY_S,
                    "kind": "reply_example",
                    "source": ("manual", "accepted_suggestion", "edited")[n % 3],
                    "niche": team.profile.niche,
                    "platform": "onlyfans",
                    "input_text": fan_line,
                    "output_text": reply.format(pet=team.profile.pets[n % 3]),
                    "embedding": None,
                    "score": round(float(rng.uniform(0.5, 1.0)), 3),
                }
                for n, (fan_line, reply) in enumerate(REPLY_EXAMPLES)
            ],
        )
        _rows(
            writer,
            "scripts",
            [
                {
                    **base,
                    "created_at": anchor - 150 * DAY_S,
                    "updated_at": anchor - 150 * DAY_S,
                    "shortcode": shortcode,
                    "title": title,
                    "text": text.format(pet=pet),
                    "media_ids": "[]",
                    "price_cents": 0,
                }
                for shortcode, title, text in SCRIPTS
            ],
        )
        content = []
        for n, (title, kind, platform, text) in enumerate(CONTENT_IDEAS):
            status = ("published", "published", "published", "scheduled", "draft", "failed")[n]
            when = anchor + 2 * DAY_S if status == "scheduled" else anchor - (12 - 2 * n) * DAY_S
            views = int(rng.lognormal(9.0, 1.0)) if status == "published" else 0
            metrics = (
                {"views": views, "likes": views // 12, "comments": views // 150}
                if status == "published"
                else {}
            )
            content.append(
                {
                    **base,
                    "created_at": anchor - (20 - n) * DAY_S,
                    "updated_at": min(when, anchor - HOUR_S),
                    "author_id": team.manager_id,
                    "title": title,
                    "text": text,
                    "type": kind,
                    "platform": platform,
                    "status": status,
                    "media_id": None,
                    "scheduled_at": when if status != "draft" else None,
                    "published_at": when if status == "published" else None,
                    "metrics": json.dumps(metrics),
                }
            )
        _rows(writer, "content", content)
