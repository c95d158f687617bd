"""marketing_campaigns."""

from __future__ import annotations

from django.db import models

from huntaze.core.fields import RecordStatus
from huntaze.core.tenancy import CreatorOwnedModel


class Campaign(CreatorOwnedModel):
    """marketing_campaigns (id, user_id, name, status, channel, goal, audience_segment, message)."""

    name = models.CharField(max_length=120)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    channel = models.CharField(max_length=16, help_text="onlyfans_dm, instagram, tiktok, reddit, x")
    goal = models.CharField(max_length=40, blank=True)
    audience_segment = models.ForeignKey(
        "fans.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    conversion_count = models.PositiveIntegerField(default=0)
    revenue_cents = models.BigIntegerField(default=0)

    class Meta:
        db_table = "marketing_campaigns"
        indexes = [models.Index(fields=["creator", "-created_at"], name="campaign_creator_created")]
