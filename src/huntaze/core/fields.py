"""Shared choices for creator-owned tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    ONLYFANS = "onlyfans", "OnlyFans"
    FANSLY = "fansly", "Fansly"
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    REDDIT = "reddit", "Reddit"
    X = "x", "X"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")
