"""automations and automation_executions."""

from __future__ import annotations

from django.db import models

from huntaze.core.fields import RecordStatus
from huntaze.core.tenancy import CreatorOwnedModel


class Automation(CreatorOwnedModel):
    """automations (id, userId, name, description, steps, status)."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    trigger_type = models.CharField(max_length=40, default="message.created")
    steps = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )

    class Meta:
        db_table = "automations"


class AutomationExecution(CreatorOwnedModel):
    """automation_executions (id, automationId, triggerType, status, stepsExecuted)."""

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="executions")
    trigger_type = models.CharField(max_length=40)
    status = models.CharField(max_length=12, default="running")
    steps_executed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "automation_executions"
        indexes = [models.Index(fields=["automation", "-started_at"], name="autoexec_time")]
