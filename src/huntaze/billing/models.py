"""usage_logs and monthly_charges: AI usage metered and billed."""

from __future__ import annotations

from django.db import models

from huntaze.core.tenancy import CreatorOwnedModel


class UsageLog(CreatorOwnedModel):
    """usage_logs (id, creatorId, feature, agentId, model, tokensInput, tokensOutput, costUsd)."""

    feature = models.CharField(max_length=40)
    agent_id = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=80)
    tokens_input = models.PositiveIntegerField()
    tokens_output = models.PositiveIntegerField()
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6)
    latency_ms = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "usage_logs"
        indexes = [models.Index(fields=["creator", "-created_at"], name="usage_creator_time")]


class MonthlyCharge(CreatorOwnedModel):
    """monthly_charges (id, creatorId, month, totalTokensInput, totalTokensOutput, totalCostUsd)."""

    month = models.CharField(max_length=7, help_text="YYYY-MM")
    total_tokens_input = models.BigIntegerField(default=0)
    total_tokens_output = models.BigIntegerField(default=0)
    total_cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)

    class Meta:
        db_table = "monthly_charges"
        constraints = [
            models.UniqueConstraint(fields=["creator", "month"], name="monthly_charge_unique")
        ]
