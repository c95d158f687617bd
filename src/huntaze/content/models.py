"""The media vault, content, content_tasks (publishing), and the AI content plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.fields import Platform
from huntaze.core.tenancy import CreatorOwnedModel


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class MediaAsset(CreatorOwnedModel):
    """An item of the creator's vault."""

    title = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="vault/%Y/%m/", max_length=255)
    kind = models.CharField(max_length=8, choices=MediaKind.choices)
    mime_type = models.CharField(max_length=80)
    size_bytes = models.BigIntegerField()
    duration_s = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to="thumbs/%Y/%m/", max_length=255, blank=True)
    analysis = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "media_assets"
        indexes = [models.Index(fields=["creator", "-created_at"], name="media_creator_created")]


class ContentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class Content(CreatorOwnedModel):
    """content (id, user_id, title, text, type, platform, status, scheduled_at, published_at)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    type = models.CharField(max_length=16, default="post", help_text="post, story, reel, video")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    status = models.CharField(max_length=12, choices=ContentStatus.choices, default="draft")
    media = models.ForeignKey(
        MediaAsset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    metrics = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "content"
        indexes = [models.Index(fields=["creator", "status", "scheduled_at"], name="content_sched")]


class ContentTask(CreatorOwnedModel):
    """content_tasks (id, userId, platform, status, sourceType, sourceUrl, caption, scheduledAt)."""

    content = models.ForeignKey(
        Content, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    social_account = models.ForeignKey(
        "integrations.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL
    )
    platform = models.CharField(max_length=16, choices=Platform.choices)
    status = models.CharField(max_length=12, choices=ContentStatus.choices, default="scheduled")
    source_type = models.CharField(max_length=16, default="upload")
    source_url = models.CharField(max_length=500, blank=True)
    caption = models.TextField(blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    platform_post_id = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "content_tasks"
        indexes = [models.Index(fields=["status", "scheduled_at"], name="ctask_due")]


class AIContentPlan(CreatorOwnedModel):
    """ai_plan (id, source, account_id, created_at, raw): a content plan the AI drafted."""

    source = models.CharField(max_length=40)
    social_account = models.ForeignKey(
        "integrations.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL
    )
    raw = models.JSONField(default=dict)

    class Meta:
        db_table = "ai_plan"


class AIContentPlanItem(CreatorOwnedModel):
    plan = models.ForeignKey(AIContentPlan, on_delete=models.CASCADE, related_name="items")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    scheduled_at = models.DateTimeField()
    content = models.TextField()
    status = models.CharField(max_length=12, default="proposed")

    class Meta:
        db_table = "ai_plan_item"


class VaultDelivery(CreatorOwnedModel):
    """One vault item sent to one fan in one message: the vault's "already sent to this fan"."""

    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="+")
    asset = models.ForeignKey(MediaAsset, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey("inbox.Message", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "vault_deliveries"
        constraints = [
            models.UniqueConstraint(fields=["fan", "asset", "message"], name="vault_delivery_once")
        ]
        indexes = [models.Index(fields=["creator", "fan", "asset"], name="vault_delivery_fan")]
