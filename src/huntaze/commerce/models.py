"""transactions, PPV items and purchases, offers and their redemptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huntaze.core.fields import Platform, RecordStatus
from huntaze.core.models import Role
from huntaze.core.tenancy import CreatorOwnedModel


class TransactionType(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription")
    TIP = "tip", _("Tip")
    PPV = "ppv", _("Pay-per-view")
    OFFER = "offer", _("Offer")


class TransactionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    COMPLETED = "completed", _("Completed")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Failed")


class Transaction(CreatorOwnedModel):
    """transactions (id, user_id, amount, currency, status, type, platform)."""

    fan = models.ForeignKey(
        "fans.Fan", null=True, blank=True, on_delete=models.SET_NULL, related_name="transactions"
    )
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=10, choices=TransactionStatus.choices)
    type = models.CharField(max_length=14, choices=TransactionType.choices)
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.ONLYFANS)
    platform_transaction_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    occurred_at = models.DateTimeField()

    class Meta:
        db_table = "transactions"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "platform_transaction_id"],
                name="transaction_platform_id_unique",
                condition=models.Q(platform_transaction_id__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["creator", "-occurred_at"], name="tx_creator_time"),
            models.Index(fields=["fan", "-occurred_at"], name="tx_fan_time"),
        ]


class PPVAudience(models.TextChoices):
    FAN = "fan", _("One fan, from the inbox")
    FANS = "fans", _("Chosen fans")
    SEGMENT = "segment", _("A segment")


class PPVItem(CreatorOwnedModel):
    title = models.CharField(max_length=120)
    caption = models.TextField(blank=True)
    price_cents = models.PositiveIntegerField()
    media_ids = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    segment = models.ForeignKey(
        "fans.Segment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Database defaults too: the demo loader writes rows with raw bulk inserts.
    audience = models.CharField(
        max_length=8, choices=PPVAudience.choices, default="fans", db_default="fans"
    )
    fan_ids = models.JSONField(
        default=list, db_default=[], blank=True, help_text="The chosen fans."
    )
    skip_already_sent = models.BooleanField(
        default=True,
        db_default=True,
        help_text="Leave out fans who already received one of the media.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_role = models.CharField(
        max_length=10,
        choices=Role.choices,
        blank=True,
        default="",
        db_default="",
        help_text="The role it was created with (an API key's may be below its owner's).",
    )
    target_count = models.PositiveIntegerField(default=0, db_default=0)
    skipped_count = models.PositiveIntegerField(default=0, db_default=0)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    purchased_count = models.PositiveIntegerField(default=0)
    revenue_cents = models.BigIntegerField(default=0)

    class Meta:
        db_table = "ppv_items"
        indexes = [models.Index(fields=["creator", "-created_at"], name="ppv_creator_created")]


class PPVDelivery(CreatorOwnedModel):
    """The PPV sent to one fan: at most once per (PPV, fan), whatever reruns the send."""

    ppv_item = models.ForeignKey(PPVItem, on_delete=models.CASCADE, related_name="deliveries")
    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_skipped = models.BooleanField(default=False)
    sent_at = models.DateTimeField()

    class Meta:
        db_table = "ppv_deliveries"
        constraints = [
            models.UniqueConstraint(fields=["ppv_item", "fan"], name="ppv_delivery_once")
        ]


class PPVPurchase(CreatorOwnedModel):
    ppv_item = models.ForeignKey(PPVItem, on_delete=models.CASCADE, related_name="purchases")
    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="ppv_purchases")
    message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    price_cents = models.PositiveIntegerField()
    purchased_at = models.DateTimeField()

    class Meta:
        db_table = "ppv_purchases"
        constraints = [
            models.UniqueConstraint(fields=["ppv_item", "fan"], name="ppv_purchase_once")
        ]


class DiscountType(models.TextChoices):
    PERCENT = "percent", _("Percent")
    AMOUNT = "amount", _("Fixed amount")


class Offer(CreatorOwnedModel):
    """offers (id, userId, name, discountType, discountValue, validFrom, validUntil, status)."""

    name = models.CharField(max_length=120)
    discount_type = models.CharField(max_length=8, choices=DiscountType.choices)
    discount_value = models.PositiveIntegerField(help_text="Percent, or cents for an amount.")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.SCHEDULED
    )

    class Meta:
        db_table = "offers"
        indexes = [models.Index(fields=["status", "valid_until"], name="offer_status_until")]


class OfferRedemption(CreatorOwnedModel):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="redemptions")
    fan = models.ForeignKey("fans.Fan", on_delete=models.CASCADE, related_name="+")
    amount_cents = models.PositiveIntegerField()
    redeemed_at = models.DateTimeField()

    class Meta:
        db_table = "offer_redemptions"
