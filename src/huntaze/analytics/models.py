"""Daily rollups that dashboards read, and the AI insight tables."""

from __future__ import annotations

from django.db import models

from huntaze.core.fields import Platform
from huntaze.core.tenancy import CreatorOwnedModel


class DailyRevenue(CreatorOwnedModel):
    """Revenue per creator, day, platform and revenue type; kept on write and by a job."""

    day = models.DateField()
    platform = models.CharField(max_length=16, choices=Platform.choices)
    revenue_type = models.CharField(max_length=14)
    amount_cents = models.BigIntegerField(default=0)
    transactions_count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "daily_revenue"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "day", "platform", "revenue_type"], name="daily_revenue_unique"
            )
        ]


class DailyActivity(CreatorOwnedModel):
    """Per creator and day: fans and messages, for Home and the fans pages."""

    day = models.DateField()
    new_fans = models.PositiveIntegerField(default=0)
    messages_in = models.PositiveIntegerField(default=0)
    messages_out = models.PositiveIntegerField(default=0)
    conversations_answered = models.PositiveIntegerField(default=0)
    conversations_inbound = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "daily_activity"
        constraints = [
            models.UniqueConstraint(fields=["creator", "day"], name="daily_activity_unique")
        ]


class AIInsight(CreatorOwnedModel):
    """ai_insights (id, creatorId, source, type, confidence, data)."""

    source = models.CharField(max_length=40)
    type = models.CharField(max_length=40)
    confidence = models.FloatField()
    data = models.JSONField(default=dict)
    period = models.CharField(max_length=20, blank=True)

    class Meta:
        db_table = "ai_insights"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "source", "type", "period"], name="ai_insight_period_unique"
            )
        ]


class InsightSnapshot(CreatorOwnedModel):
    """insight_snapshot (id, platform, account_id, period_start, period_end, raw)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    social_account = models.ForeignKey(
        "integrations.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL
    )
    period_start = models.DateField()
    period_end = models.DateField()
    raw = models.JSONField(default=dict)

    class Meta:
        db_table = "insight_snapshot"


class InsightSummary(CreatorOwnedModel):
    """insight_summary (id, platform, account_id, period, summary)."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    social_account = models.ForeignKey(
        "integrations.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL
    )
    period = models.CharField(max_length=20)
    summary = models.TextField()

    class Meta:
        db_table = "insight_summary"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "platform", "period"], name="insight_summary_period_unique"
            )
        ]
