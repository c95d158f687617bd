"""The tenant (Creator), who works for it (Membership), what happened (AuditLog), and the
transactional outbox (events_outbox)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.tenancy import CreatorOwnedModel


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    CHATTER = "chatter", _("Chatter")
    ANALYST = "analyst", _("Analyst")


class Creator(models.Model):
    """One creator's business: the tenant every creator-owned row belongs to."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    onlyfans_username = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    currency = models.CharField(max_length=3, default="USD")
    persona = models.TextField(blank=True, help_text="How the creator talks to fans.")
    tone = models.CharField(max_length=60, default="warm")
    chatters_see_assigned_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "creators"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "memberships"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "creator"], name="membership_user_creator_unique"
            )
        ]


class AuditLog(CreatorOwnedModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "audit_log"
        indexes = [models.Index(fields=["creator", "-created_at"], name="audit_creator_time")]


class OutboxEvent(models.Model):
    """events_outbox: written in the same transaction as the change, dispatched later."""

    creator = models.ForeignKey(Creator, null=True, blank=True, on_delete=models.CASCADE)
    aggregate_type = models.CharField(max_length=60)
    aggregate_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "events_outbox"
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]
