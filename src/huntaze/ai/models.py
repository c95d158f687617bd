"""knowledge_base_items (RAG) and the AI assistant's conversations."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from huntaze.core.tenancy import CreatorOwnedModel


class KnowledgeBaseItem(CreatorOwnedModel):
    """knowledge_base_items (id, creatorId, kind, source, niche, platform, inputText,
    outputText, embedding)."""

    kind = models.CharField(max_length=32, help_text="reply_example, caption, fact")
    source = models.CharField(max_length=32, help_text="accepted_suggestion, edited, manual")
    niche = models.CharField(max_length=60, blank=True)
    platform = models.CharField(max_length=16, blank=True)
    input_text = models.TextField(blank=True)
    output_text = models.TextField()
    embedding = models.JSONField(null=True, blank=True)
    score = models.FloatField(default=0.0)

    class Meta:
        db_table = "knowledge_base_items"
        indexes = [models.Index(fields=["creator", "kind", "-score"], name="kb_creator_kind")]


class AssistantConversation(CreatorOwnedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)

    class Meta:
        db_table = "assistant_conversations"


class AssistantMessage(CreatorOwnedModel):
    conversation = models.ForeignKey(
        AssistantConversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=16)
    content = models.TextField()

    class Meta:
        db_table = "assistant_messages"
