"""Inbox team API: assignment, split, pinning, the chatter restriction, members and the
review log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from huntaze.core.api_utils import ErrorOut, actor_of
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.inbox.selectors_team import review_log, team_messaging_members
from huntaze.inbox.services_team import (
    conversation_assign,
    conversation_pin,
    conversations_split,
    creator_set_chatters_see_assigned_only,
)

router = Router(tags=["inbox-team"])

WRITE_RESPONSES = {200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AssignIn(Schema):
    assignee_id: int | None = Field(..., description="A member who may message; null: nobody.")


class ConversationTeamOut(Schema):
    id: int
    assigned_to_id: int | None
    is_pinned: bool


class PinIn(Schema):
    is_pinned: bool


class SplitIn(Schema):
    user_ids: Annotated[list[int], Field(min_length=1, max_length=50)]
    scope: Literal["unassigned", "all"] = "unassigned"
    strategy: Literal["round_robin", "load"] = "round_robin"


class SplitShareOut(Schema):
    user_id: int
    conversations: int


class SplitOut(Schema):
    total: int
    shares: list[SplitShareOut]


class MemberOut(Schema):
    user_id: int
    name: str
    role: str


class TeamSettingsIn(Schema):
    chatters_see_assigned_only: bool


class TeamSettingsOut(Schema):
    chatters_see_assigned_only: bool


class ReviewFilters(Schema):
    start: date
    end: date


class ReviewRowOut(Schema):
    user_id: int
    name: str
    role: str
    messages_sent: int
    ppv_sent: int
    ppv_bought: int
    ppv_revenue_cents: int
    earnings_per_message_cents: int | None
    replies: int
    median_reply_s: float | None


class ReviewOut(Schema):
    start: date
    end: date
    items: list[ReviewRowOut]


@router.post(
    "/conversations/{conversation_id}/assign",
    response={**WRITE_RESPONSES, 200: ConversationTeamOut},
)
def assign_conversation(request: HttpRequest, conversation_id: int, payload: AssignIn) -> object:
    """Assign the conversation to a member who may message fans (owners and managers)."""
    return conversation_assign(
        actor=actor_of(request), conversation_id=conversation_id, assignee_id=payload.assignee_id
    )


@router.post(
    "/conversations/{conversation_id}/pin",
    response={**WRITE_RESPONSES, 200: ConversationTeamOut},
)
def pin_conversation(request: HttpRequest, conversation_id: int, payload: PinIn) -> object:
    return conversation_pin(
        actor=actor_of(request), conversation_id=conversation_id, is_pinned=payload.is_pinned
    )


@router.post("/team/split", response={**WRITE_RESPONSES, 200: SplitOut})
def split_conversations(request: HttpRequest, payload: SplitIn) -> dict[str, object]:
    """Share the unassigned (or all) conversations among members, round robin or by load,
    in one transaction (owners and managers)."""
    result = conversations_split(
        actor=actor_of(request),
        user_ids=payload.user_ids,
        scope=payload.scope,
        strategy=payload.strategy,
    )
    return {
        "total": result.total,
        "shares": [
            {"user_id": user_id, "conversations": count}
            for user_id, count in result.per_chatter.items()
        ],
    }


@router.get("/team/members", response={200: list[MemberOut], 401: ErrorOut, 403: ErrorOut})
def messaging_members(request: HttpRequest) -> object:
    """The members who can be assigned conversations."""
    actor = actor_of(request)
    actor.require(Permission.READ)
    return team_messaging_members(creator_id=actor.creator_id)


@router.get("/team/settings", response={200: TeamSettingsOut, 401: ErrorOut, 403: ErrorOut})
def team_settings(request: HttpRequest) -> object:
    actor = actor_of(request)
    actor.require(Permission.MANAGE_TEAM)
    return creator_get(creator_id=actor.creator_id)


@router.put("/team/settings", response={**WRITE_RESPONSES, 200: TeamSettingsOut})
def update_team_settings(request: HttpRequest, payload: TeamSettingsIn) -> object:
    """`chatters_see_assigned_only`: chatters read and answer only the conversations assigned
    to them (owners and managers)."""
    actor = actor_of(request)
    creator_set_chatters_see_assigned_only(
        actor=actor, is_enabled=payload.chatters_see_assigned_only
    )
    return creator_get(creator_id=actor.creator_id)


@router.get("/team/review", response={200: ReviewOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def team_review(request: HttpRequest, filters: Query[ReviewFilters]) -> dict[str, object]:
    """Per member, over [start, end] (days in the creator's time zone): messages sent, PPV
    sent and bought, PPV revenue, earnings per message, median reply time (owners and
    managers)."""
    log = review_log(actor=actor_of(request), start=filters.start, end=filters.end)
    return {
        "start": log.start,
        "end": log.end,
        "items": [
            {
                "user_id": row.user_id,
                "name": row.name,
                "role": row.role,
                "messages_sent": row.messages_sent,
                "ppv_sent": row.ppv_sent,
                "ppv_bought": row.ppv_bought,
                "ppv_revenue_cents": row.ppv_revenue_cents,
                "earnings_per_message_cents": row.earnings_per_message_cents,
                "replies": row.replies,
                "median_reply_s": row.median_reply_s,
            }
            for row in log.rows
        ],
    }
