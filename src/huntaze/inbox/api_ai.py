"""Inbox AI API: changes to the composer's text on demand (rewrite, shorter, tone,
translate)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from huntaze.ai.text_tools import MAX_TEXT_LENGTH
from huntaze.core.api_utils import ErrorOut, actor_of
from huntaze.inbox.services_suggestions import composer_text_change_request

router = Router(tags=["inbox-ai"])


class TextChangeIn(Schema):
    action: Literal["rewrite", "shorter", "tone", "translate"]
    text: str = Field(..., description=f"The composer's text, at most {MAX_TEXT_LENGTH} chars.")
    tone: Literal["", "playful", "sweet", "neutral"] = Field("", description="For `tone`.")
    language: Literal["", "en", "fr", "es", "de", "it", "pt"] = Field(
        "", description="For `translate`: the target language."
    )


class TextChangeOut(Schema):
    text: str
    model: str
    method: Literal["model", "rules"] = Field(
        ..., description="rules: the offline engine's fixed rules (no AI provider is set up)."
    )


CHANGE_RESPONSES: dict[int, type] = {
    200: TextChangeOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    503: ErrorOut,
}


@router.post(
    "/conversations/{conversation_id}/composer/change",
    response=CHANGE_RESPONSES,
    summary="Rewrite, shorten, change the tone of or translate a draft reply",
)
def composer_change(
    request: HttpRequest, conversation_id: int, payload: TextChangeIn
) -> TextChangeOut:
    """Nothing is stored; the AI call is metered. 422 names the field at fault (an empty or
    too long text, a missing tone or language); 503 when no AI provider can do it (the
    offline engine does `shorter` and `tone` by rules, not `rewrite` or `translate`)."""
    change = composer_text_change_request(
        actor=actor_of(request),
        conversation_id=conversation_id,
        action=payload.action,
        text=payload.text,
        tone=payload.tone,
        language=payload.language,
    )
    return TextChangeOut(text=change.text, model=change.model, method=change.method)  # type: ignore[arg-type]
