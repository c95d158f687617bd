"""Conversations, messages, AI suggestions, scripts and user_stats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.fields import Platform
from huntaze.core.tenancy import CreatorOwnedModel


class Conversation(CreatorOwnedModel):
    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="conversations")
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.ONLYFANS)
    last_message_at = models.DateTimeField(null=True, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_outbound_at = models.DateTimeField(null=True, blank=True)
    last_message_preview = models.CharField(max_length=140, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )

    class Meta:
        db_table = "conversations"
        constraints = [
            models.UniqueConstraint(fields=["creator", "fan"], name="conversation_fan_unique")
        ]
        indexes = [
            models.Index(fields=["creator", "-last_message_at"], name="conv_creator_activity"),
            # The inbox list's order (`inbox.selectors.CONVERSATION_ORDER`): pinned first.
            models.Index(
                fields=["creator", "-is_pinned", "-last_message_at", "-id"],
                name="conv_creator_pinned_activity",
            ),
            models.Index(
                fields=["creator", "assigned_to", "-is_pinned", "-last_message_at", "-id"],
                name="conv_assignee_pinned_activity",
            ),
        ]


class Direction(models.TextChoices):
    INBOUND = "in", _("From the fan")
    OUTBOUND = "out", _("To the fan")


class DeliveryStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Message(CreatorOwnedModel):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    media_ids = models.JSONField(default=list, blank=True)
    ppv_item = models.ForeignKey(
        "commerce.PPVItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    price_cents = models.PositiveIntegerField(default=0)
    platform_message_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENT
    )
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    cancel_if_fan_replies = models.BooleanField(default=False)

    class Meta:
        db_table = "messages"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "platform_message_id"],
                name="message_platform_id_unique",
                condition=models.Q(platform_message_id__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "-sent_at"], name="msg_conversation_time"),
            models.Index(fields=["creator", "-sent_at"], name="msg_creator_time"),
        ]


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EDITED = "edited", _("Edited")
    REJECTED = "rejected", _("Rejected")


class Suggestion(CreatorOwnedModel):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="suggestions")
    text = models.TextField()
    source = models.CharField(max_length=32, help_text="model or knowledge_base")
    model = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    final_text = models.TextField(blank=True)

    class Meta:
        db_table = "suggestions"


class Script(CreatorOwnedModel):
    """Saved replies inserted with a shortcode."""

    shortcode = models.SlugField(max_length=40)
    title = models.CharField(max_length=80)
    text = models.TextField()
    media_ids = models.JSONField(default=list, blank=True)
    price_cents = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "scripts"
        constraints = [
            models.UniqueConstraint(fields=["creator", "shortcode"], name="script_shortcode_unique")
        ]


class UserStats(CreatorOwnedModel):
    """user_stats (user_id, messages_sent, response_rate, revenue, active_chats), per workspace."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    messages_sent = models.PositiveIntegerField(default=0)
    response_rate = models.FloatField(default=0.0)
    revenue_cents = models.BigIntegerField(default=0)
    active_chats = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "user_stats"
        constraints = [
            models.UniqueConstraint(fields=["creator", "user"], name="user_stats_unique")
        ]
