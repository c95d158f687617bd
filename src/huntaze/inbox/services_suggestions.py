"""AI reply suggestions: asking the router for them, storing them, and recording what the
team did with them (accepted, edited, rejected), which feeds the knowledge base."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import structlog
from django.db import transaction
from django.db.models import Exists, OuterRef

from huntaze.ai.selectors import reply_examples
from huntaze.ai.services import (
    SOURCE_KNOWLEDGE_BASE,
    knowledge_base_example_add,
    reply_suggestions_generate,
)
from huntaze.ai.text_tools import TextChange, composer_text_change
from huntaze.core.context import Actor
from huntaze.core.errors import Conflict, NotFound, ValidationFailed
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.inbox.events import SuggestionCreated, SuggestionData, publish_on_commit
from huntaze.inbox.models import (
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    Suggestion,
    SuggestionStatus,
)
from huntaze.inbox.selectors import conversation_check_access

_log = structlog.get_logger(__name__)

SUGGESTION_COUNT = 3
HISTORY_LENGTH = 10
MAX_FINAL_TEXT_LENGTH = 10_000
REVIEW_STATUSES = (SuggestionStatus.ACCEPTED, SuggestionStatus.EDITED, SuggestionStatus.REJECTED)
_HISTORY_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)


def suggestion_data(suggestion: Suggestion) -> SuggestionData:
    return SuggestionData(
        id=suggestion.id,
        text=suggestion.text,
        source="knowledge_base" if suggestion.source == SOURCE_KNOWLEDGE_BASE else "model",
        model=suggestion.model,
        status=suggestion.status,  # type: ignore[arg-type]
    )


def _history_if_latest(*, creator_id: int, message: Message) -> list[dict[str, str]] | None:
    """The conversation's last messages, oldest first, as chat turns ending with `message`;
    None when a later message exists (a newer fan message, which gets its own suggestions, or
    a reply already sent). One query."""
    rows = list(
        Message.objects.for_creator(creator_id)
        .filter(conversation_id=message.conversation_id, status__in=_HISTORY_STATUSES)
        .order_by("-sent_at", "-id")
        .values_list("id", "direction", "text", "media_ids")[:HISTORY_LENGTH]
    )
    if not rows or rows[0][0] != message.id:
        return None
    turns = []
    for _id, direction, text, media_ids in reversed(rows):
        content = text or ("[media]" if media_ids else "")
        if content:
            role = "user" if direction == Direction.INBOUND else "assistant"
            turns.append({"role": role, "content": content})
    if not turns or turns[-1]["role"] != "user":
        turns.append({"role": "user", "content": message.text or "[media]"})
    return turns


def _fan_context(message: Message) -> dict[str, Any]:
    fan = message.fan
    return {
        "name": fan.display_name or fan.username,
        "username": fan.username,
        "platform": fan.platform,
        "fan_since": fan.joined_at.date().isoformat(),
        "subscription": fan.subscription_state,
        "total_spent_usd": round(fan.total_spent_cents / 100, 2),
        "purchases": fan.purchases_count,
        "last_purchase_at": fan.last_purchase_at.isoformat() if fan.last_purchase_at else None,
        "timezone": fan.timezone or None,
        "tags": list(fan.tags or []),
        "last_message": message.text,
    }


def _persona(creator_id: int) -> dict[str, Any]:
    creator = creator_get(creator_id=creator_id)
    persona: dict[str, Any] = {"name": creator.name, "tone": creator.tone}
    if creator.persona:
        persona["description"] = creator.persona
    return persona


def suggestions_generate_for_message(*, creator_id: int, message_id: int) -> list[Suggestion]:
    """Ask the router for 3 replies to a fan message and store them; idempotent.

    Already suggested: the stored ones are returned. Not a fan message, or no longer the latest
    message of its conversation: nothing is asked. The router call runs outside any
    transaction; the suggestions are stored and `suggestion.created` is sent on commit."""
    suggested = Suggestion.objects.for_creator(creator_id).filter(message_id=OuterRef("id"))
    message = (
        Message.objects.for_creator(creator_id)
        .select_related("fan")
        .annotate(is_suggested=Exists(suggested))
        .filter(id=message_id)
        .first()
    )
    if message is None or message.direction != Direction.INBOUND:
        return []
    if message.is_suggested:  # type: ignore[attr-defined]
        return list(
            Suggestion.objects.for_creator(creator_id).filter(message_id=message_id).order_by("id")
        )
    history = _history_if_latest(creator_id=creator_id, message=message)
    if history is None:
        return []
    answer = reply_suggestions_generate(
        creator_id=creator_id,
        history=history,
        fan=_fan_context(message),
        persona=_persona(creator_id),
        examples=reply_examples(creator_id=creator_id),
        platform=message.fan.platform,
        count=SUGGESTION_COUNT,
    )
    with transaction.atomic():
        # Lock the message so two runs for it cannot both store suggestions.
        Message.objects.for_creator(creator_id).select_for_update().filter(id=message_id).first()
        existing = list(
            Suggestion.objects.for_creator(creator_id).filter(message_id=message_id).order_by("id")
        )
        if existing:
            return existing
        suggestions = Suggestion.objects.for_creator(creator_id).bulk_create(
            [
                Suggestion(
                    creator_id=creator_id,
                    message_id=message_id,
                    text=item.text,
                    source=item.source,
                    model=answer.model[:80],
                )
                for item in answer.items
            ]
        )
        publish_on_commit(
            creator_id=creator_id,
            event=SuggestionCreated(
                conversation_id=message.conversation_id,
                message_id=message_id,
                suggestions=[suggestion_data(suggestion) for suggestion in suggestions],
            ),
        )
    _log.info(
        "inbox.suggestions_stored",
        creator_id=creator_id,
        message_id=message_id,
        count=len(suggestions),
        model=answer.model,
    )
    return suggestions


def suggestions_request(*, actor: Actor, conversation_id: int) -> int:
    """Ask (again) for suggestions for the conversation's latest message, which must be the
    fan's. Already suggested: nothing is asked. Returns the fan message's id; the suggestions
    arrive as `suggestion.created`."""
    from huntaze.inbox.tasks import suggestions_enqueue

    actor.require(Permission.MESSAGE)
    if not Conversation.objects.for_creator(actor.creator_id).filter(id=conversation_id).exists():
        raise NotFound("No such conversation.")
    latest = (
        Message.objects.for_creator(actor.creator_id)
        .filter(conversation_id=conversation_id, status__in=_HISTORY_STATUSES)
        .order_by("-sent_at", "-id")
        .values_list("id", "direction")
        .first()
    )
    if latest is None:
        raise Conflict("There is no fan message to answer yet.")
    message_id, direction = latest
    if direction != Direction.INBOUND:
        raise Conflict("The fan's last message is already answered.")
    if not Suggestion.objects.for_creator(actor.creator_id).filter(message_id=message_id).exists():
        transaction.on_commit(
            partial(suggestions_enqueue, creator_id=actor.creator_id, message_id=message_id),
            robust=True,
        )
    return message_id


# Reviews ----------------------------------------------------------------------------------------


def _as_template(text: str, *, fan_name: str) -> str:
    """The reply with the fan's name turned into `{fan_name}`, so the example fits any fan."""
    if len(fan_name) < 2:
        return text
    return re.sub(rf"\b{re.escape(fan_name)}\b", "{fan_name}", text)


def _record_review(
    *, suggestion: Suggestion, status: str, final_text: str, fan_message: Message
) -> None:
    suggestion.status = status
    suggestion.final_text = final_text
    suggestion.save(update_fields=["status", "final_text", "updated_at"])
    if status in (SuggestionStatus.ACCEPTED, SuggestionStatus.EDITED):
        fan = fan_message.fan
        knowledge_base_example_add(
            creator_id=suggestion.creator_id,
            input_text=fan_message.text,
            output_text=_as_template(final_text, fan_name=fan.display_name or fan.username),
            source="accepted_suggestion" if status == SuggestionStatus.ACCEPTED else "edited",
            platform=fan.platform,
        )


def _locked_suggestion(*, creator_id: int, suggestion_id: int) -> Suggestion:
    suggestion = (
        Suggestion.objects.for_creator(creator_id)
        .select_for_update()
        .select_related("message", "message__fan")
        .filter(id=suggestion_id)
        .first()
    )
    if suggestion is None:
        raise NotFound("No such suggestion.")
    return suggestion


def suggestion_review(
    *, actor: Actor, suggestion_id: int, status: str, final_text: str = ""
) -> Suggestion:
    """Record what the team did with a suggestion: accepted (as is), edited (`final_text`), or
    rejected. Accepted and edited replies become knowledge-base examples (input: the fan's
    message, output: the final text). Reviewing again with the same answer changes nothing."""
    actor.require(Permission.MESSAGE)
    if status not in REVIEW_STATUSES:
        raise ValidationFailed.on_field(
            "status", "status is one of " + ", ".join(REVIEW_STATUSES) + "."
        )
    final_text = (final_text or "").strip()
    if len(final_text) > MAX_FINAL_TEXT_LENGTH:
        raise ValidationFailed.on_field(
            "final_text", f"The text is at most {MAX_FINAL_TEXT_LENGTH} characters."
        )
    if "\x00" in final_text:
        raise ValidationFailed.on_field("final_text", "final_text contains a NUL character.")
    with transaction.atomic():
        suggestion = _locked_suggestion(creator_id=actor.creator_id, suggestion_id=suggestion_id)
        if status == SuggestionStatus.ACCEPTED:
            final_text = suggestion.text
        elif status == SuggestionStatus.EDITED:
            if not final_text:
                raise ValidationFailed.on_field("final_text", "Give the edited text.")
            if final_text == suggestion.text:
                status = SuggestionStatus.ACCEPTED
        else:
            final_text = ""
        if suggestion.status != SuggestionStatus.PENDING:
            if suggestion.status == status and suggestion.final_text == final_text:
                return suggestion
            raise Conflict("This suggestion was already reviewed.")
        _record_review(
            suggestion=suggestion,
            status=status,
            final_text=final_text,
            fan_message=suggestion.message,
        )
    return suggestion


def suggestion_review_on_send(
    *, actor: Actor, suggestion_id: int, conversation_id: int, final_text: str
) -> Suggestion:
    """A message was sent from a suggestion: accepted when the text is unchanged, edited
    otherwise. Called inside the send's transaction."""
    suggestion = _locked_suggestion(creator_id=actor.creator_id, suggestion_id=suggestion_id)
    if suggestion.message.conversation_id != conversation_id:
        raise ValidationFailed.on_field(
            "suggestion_id", "This suggestion belongs to another conversation."
        )
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationFailed.on_field("suggestion_id", "This suggestion was already used.")
    status = SuggestionStatus.ACCEPTED if final_text == suggestion.text else SuggestionStatus.EDITED
    _record_review(
        suggestion=suggestion, status=status, final_text=final_text, fan_message=suggestion.message
    )
    return suggestion


# On-demand changes to the composer's text ------------------------------------------------------


def composer_text_change_request(
    *,
    actor: Actor,
    conversation_id: int,
    action: str,
    text: str,
    tone: str = "",
    language: str = "",
) -> TextChange:
    """The composer's `text` rewritten, shortened, in another `tone` or translated into
    `language`, for a conversation the member may answer. Nothing is stored; the router call
    is metered. ValidationFailed names the field at fault (an empty or too long text)."""
    actor.require(Permission.MESSAGE)
    conversation_check_access(actor=actor, conversation_id=conversation_id)
    return composer_text_change(
        creator_id=actor.creator_id, action=action, text=text, tone=tone, language=language
    )
