"""Daily rollups that dashboards read, and the AI insight tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class FunnelStage(models.TextChoices):
    VISIT = "visit", _("Visit")
    FOLLOW = "follow", _("Follow")
    SUBSCRIBE = "subscribe", _("Subscribe")
    FIRST_PURCHASE = "first_purchase", _("First purchase")
    REPEAT_PURCHASE = "repeat_purchase", _("Repeat purchase")


# Stages only tracked events (links, platform follow webhooks) can fill; the others are derived
# from fans and transactions by the rollup job.
TRACKED_STAGES = (FunnelStage.VISIT, FunnelStage.FOLLOW)


class DailyFunnel(CreatorOwnedModel):
    """Funnel counts per creator, day, platform and stage.

    Visit and follow: tracked events recorded on the day they happen. Subscribe, first purchase
    and repeat purchase: the fans who joined that day, and of them the ones who bought once and
    at least twice since (a join-day cohort), rebuilt by the job."""

    day = models.DateField()
    platform = models.CharField(max_length=16, choices=Platform.choices)
    stage = models.CharField(max_length=16, choices=FunnelStage.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "daily_funnel"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "day", "platform", "stage"], name="daily_funnel_unique"
            )
        ]


class DailyFans(CreatorOwnedModel):
    """Per creator and day: subscriptions running at the end of the day (active fans) and
    subscriptions that ended that day without renewal (churned fans). Rebuilt by the job."""

    day = models.DateField()
    active_fans = models.PositiveIntegerField(default=0)
    churned_fans = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "daily_fans"
        constraints = [models.UniqueConstraint(fields=["creator", "day"], name="daily_fans_unique")]


class FanCohort(CreatorOwnedModel):
    """Monthly cohort retention: fans who joined in `cohort_month`, and of them the ones who
    paid (a completed transaction) in the month `month_offset` months later."""

    cohort_month = models.DateField(help_text="First day of the month the fans joined.")
    month_offset = models.PositiveSmallIntegerField()
    cohort_size = models.PositiveIntegerField()
    paying_fans = models.PositiveIntegerField()

    class Meta:
        db_table = "fan_cohorts"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "cohort_month", "month_offset"], name="fan_cohort_unique"
            )
        ]


class ContentKind(models.TextChoices):
    POST = "post", _("Post")
    PPV = "ppv", _("Pay-per-view")


class ContentPerformance(CreatorOwnedModel):
    """One row per published post or sent pay-per-view item: its reach and its sales, copied
    from content metrics and PPV counters by the job so the content page reads one table."""

    kind = models.CharField(max_length=8, choices=ContentKind.choices)
    item_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    platform = models.CharField(max_length=16, choices=Platform.choices)
    published_on = models.DateField()
    price_cents = models.PositiveIntegerField(default=0)
    views = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    purchases_count = models.PositiveIntegerField(default=0)
    revenue_cents = models.BigIntegerField(default=0)

    class Meta:
        db_table = "content_performance"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "kind", "item_id"], name="content_performance_unique"
            )
        ]
        indexes = [
            models.Index(fields=["creator", "published_on"], name="content_perf_creator_day"),
        ]
