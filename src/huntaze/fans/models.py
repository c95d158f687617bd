"""Fans, their notes, segments and subscriptions (seed: subscriptions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.fields import Platform
from huntaze.core.tenancy import CreatorOwnedModel


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    NONE = "none", _("Never subscribed")


class Fan(CreatorOwnedModel):
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.ONLYFANS)
    platform_fan_id = models.CharField(max_length=64)
    username = models.CharField(max_length=120)
    display_name = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    joined_at = models.DateTimeField(help_text="Fan since.")
    subscription_state = models.CharField(
        max_length=12, choices=SubscriptionState.choices, default=SubscriptionState.NONE
    )
    subscription_expires_at = models.DateTimeField(null=True, blank=True)
    total_spent_cents = models.BigIntegerField(default=0)
    purchases_count = models.PositiveIntegerField(default=0)
    first_purchase_at = models.DateTimeField(null=True, blank=True)
    last_purchase_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    ai_memory = models.JSONField(default=list, blank=True, help_text="Facts the AI extracted.")
    # Scores kept by the nightly model job (null until a model has enough history).
    ltv_cents = models.BigIntegerField(null=True, blank=True)
    churn_risk = models.FloatField(null=True, blank=True)
    p_alive = models.FloatField(null=True, blank=True)
    expected_purchases_90d = models.FloatField(null=True, blank=True)
    scores_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "fans"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "platform", "platform_fan_id"], name="fan_platform_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["creator", "-total_spent_cents"], name="fan_creator_spend"),
            models.Index(fields=["creator", "-joined_at"], name="fan_creator_joined"),
            models.Index(fields=["creator", "subscription_state"], name="fan_creator_substate"),
            # The fan table's other sorts (fans.selectors_crm.TABLE_SORTS); the "nulls last"
            # ones on PostgreSQL are created by migration 0002 (SQLite cannot index them).
            models.Index(fields=["creator", "username"], name="fan_creator_username"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class FanNote(CreatorOwnedModel):
    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False, help_text="Only owners and managers edit it.")

    class Meta:
        db_table = "fan_notes"
        indexes = [models.Index(fields=["fan", "-is_pinned", "-created_at"], name="note_fan_order")]


class Segment(CreatorOwnedModel):
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=255, blank=True)
    rules = models.JSONField(default=dict, help_text="Rule tree from the segment builder.")
    fan_count = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "segments"
        constraints = [
            models.UniqueConstraint(fields=["creator", "name"], name="segment_name_unique")
        ]


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class Subscription(CreatorOwnedModel):
    """subscriptions (id, user_id, fan_id, platform, tier, amount, status)."""

    fan = models.ForeignKey(Fan, on_delete=models.CASCADE, related_name="subscriptions")
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.ONLYFANS)
    tier = models.CharField(max_length=40, default="standard")
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=12, choices=SubscriptionStatus.choices)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    is_auto_renew = models.BooleanField(default=True)

    class Meta:
        db_table = "subscriptions"
        indexes = [
            models.Index(fields=["creator", "status", "expires_at"], name="sub_creator_status_exp"),
            models.Index(fields=["fan", "-started_at"], name="sub_fan_started"),
        ]
