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


class MemoryFact(CreatorOwnedModel):
    """A fact the AI wrote into a fan's memory (`fans.ai_memory`), with the fan message it came
    from. The memory itself is the fan's list; these rows say which entries the AI wrote (an
    entry a person changed no longer matches, so the AI leaves it alone) and where each came
    from. A fact the team deleted keeps its row, so it is not extracted again."""

    fan_id = models.BigIntegerField()
    kind = models.CharField(max_length=16, help_text="birthday, age, location, job, pet, ...")
    text = models.CharField(max_length=200)
    key = models.CharField(max_length=200, help_text="The text, compared loosely.")
    message_id = models.BigIntegerField(null=True, blank=True)
    quote = models.CharField(max_length=300, blank=True, help_text="The fan's words.")
    said_at = models.DateTimeField(null=True, blank=True)
    model = models.CharField(max_length=80, blank=True)

    class Meta:
        db_table = "ai_memory_facts"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "fan_id", "key"], name="ai_memory_fact_unique"
            )
        ]


class MemoryCursor(CreatorOwnedModel):
    """How far the memory extraction read a conversation: the last fan message it saw."""

    conversation_id = models.BigIntegerField()
    last_message_id = models.BigIntegerField(default=0)

    class Meta:
        db_table = "ai_memory_cursors"
        constraints = [
            models.UniqueConstraint(
                fields=["creator", "conversation_id"], name="ai_memory_cursor_unique"
            )
        ]
