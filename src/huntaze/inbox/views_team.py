"""The inbox team page (owners and managers): the review log per chatter over a date range,
with its chart; the switch that limits chatters to their assigned conversations; and the split
of conversations among chatters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.money import money_format
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.inbox.selectors_team import (
    ChatterReview,
    assigned_counts,
    review_log,
    team_messaging_members,
    user_stats_list,
)
from huntaze.inbox.services_team import (
    conversations_split,
    creator_set_chatters_see_assigned_only,
)

REVIEW_URL = "/onlyfans/messages/review"
DEFAULT_REVIEW_DAYS = 30


def _parse_day(value: str, default: date, name: str) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.on_field(name, _("Give a date as YYYY-MM-DD.")) from None


def duration_label(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    return _("%(hours)s h %(minutes)s min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _chart(rows: list[ChatterReview]) -> dict[str, Any]:
    return {
        "names": [row.name or _("Former member") for row in rows],
        "messages_sent": [row.messages_sent for row in rows],
        "ppv_bought": [row.ppv_bought for row in rows],
        "earnings_per_message": [
            round((row.earnings_per_message_cents or 0) / 100, 2) for row in rows
        ],
        "labels": {
            "messages_sent": _("Messages sent"),
            "ppv_bought": _("PPV bought"),
            "earnings_per_message": _("Earnings per message"),
        },
    }


def _review_context(*, actor: Actor, request: HttpRequest) -> dict[str, Any]:
    creator = creator_get(creator_id=actor.creator_id)
    today = timezone.localdate()
    error = None
    end = today
    start = today - timedelta(days=DEFAULT_REVIEW_DAYS - 1)
    try:
        end = _parse_day(request.GET.get("end", ""), today, "end")
        start = _parse_day(
            request.GET.get("start", ""), end - timedelta(days=DEFAULT_REVIEW_DAYS - 1), "start"
        )
        log = review_log(actor=actor, start=start, end=end)
    except ValidationFailed as failure:
        error = failure
        end, start = today, today - timedelta(days=DEFAULT_REVIEW_DAYS - 1)
        log = review_log(actor=actor, start=start, end=end)
    stats = user_stats_list(actor=actor)
    assigned = assigned_counts(creator_id=actor.creator_id)
    rows = [
        {
            "review": row,
            "name": row.name or _("Former member"),
            "revenue": money_format(row.ppv_revenue_cents, creator.currency),
            "per_message": (
                money_format(row.earnings_per_message_cents, creator.currency)
                if row.earnings_per_message_cents is not None
                else "—"
            ),
            "median_reply": duration_label(row.median_reply_s),
            "stats": stats.get(row.user_id),
            "assigned": assigned.get(row.user_id, 0),
        }
        for row in log.rows
    ]
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "has_activity": any(row.messages_sent or row.ppv_bought for row in log.rows),
        "error": error,
        "chart": _chart(log.rows),
        "creator": creator,
        "members": team_messaging_members(creator_id=actor.creator_id),
    }


@require_GET
@workspace_page(Permission.MANAGE_TEAM)
def review_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return render(request, "inbox/review.html", _review_context(actor=actor, request=request))


def _back(request: HttpRequest) -> HttpResponse:
    query = {k: request.POST[k] for k in ("start", "end") if request.POST.get(k)}
    return redirect(REVIEW_URL + (f"?{urlencode(query)}" if query else ""))


@require_POST
@workspace_page(Permission.MANAGE_TEAM)
def restriction_set(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    is_enabled = request.POST.get("chatters_see_assigned_only") in ("1", "on", "true")
    creator_set_chatters_see_assigned_only(actor=actor, is_enabled=is_enabled)
    if is_enabled:
        messages.success(request, _("Chatters now see only the conversations assigned to them."))
    else:
        messages.success(request, _("Chatters now see every conversation."))
    return _back(request)


@require_POST
@workspace_page(Permission.MANAGE_TEAM)
def split(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    try:
        user_ids = [int(value) for value in request.POST.getlist("user_ids")]
    except ValueError:
        user_ids = []
    try:
        result = conversations_split(
            actor=actor,
            user_ids=user_ids,
            scope="all" if request.POST.get("scope") == "all" else "unassigned",
            strategy="load" if request.POST.get("strategy") == "load" else "round_robin",
        )
    except ValidationFailed:
        messages.error(request, _("Choose at least one member whose role may message fans."))
        return _back(request)
    messages.success(
        request,
        ngettext("%(count)s conversation shared.", "%(count)s conversations shared.", result.total)
        % {"count": result.total},
    )
    return _back(request)
