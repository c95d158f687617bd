"""The OnlyFans Messages page: the fan list, the chat and the fan's context, in 3 columns, and
the HTMX fragments it loads (more rows, one row, older messages). Live updates come over the
workspace WebSocket (`assets/js/inbox.js`); writes go through the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huntaze.core.context import Actor
from huntaze.core.models import Creator
from huntaze.core.money import money_format
from huntaze.core.pages import error_page, workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.fans.models import SubscriptionState
from huntaze.inbox.models import Conversation
from huntaze.inbox.rendering import RowLabels, messages_html, row_html, rows_html
from huntaze.inbox.selectors import (
    CONVERSATION_PAGE_SIZE,
    SPEND_TIERS,
    ConversationRow,
    OpenConversation,
    conversation_check_access,
    conversation_get,
    conversation_open,
    conversation_page,
    message_page,
    spend_tier_of,
    suggestions_pending,
)
from huntaze.inbox.views_context import fan_panel_context

View = Callable[..., HttpResponse]
NEW_FAN_DAYS = 7
CHURN_HIGH = 0.7
CHURN_MEDIUM = 0.4
UNANSWERED_CHOICES = ("1", "4", "12", "24", "48")


# Presentation -----------------------------------------------------------------------------------


def tier_labels() -> dict[str, str]:
    """Spend tiers (fixed bands of total spend, see `inbox.selectors.SPEND_TIERS`)."""
    return {
        "none": _("No spend"),
        "low": _("Low spender"),
        "mid": _("Mid spender"),
        "high": _("Big spender"),
        "whale": _("Whale"),
    }


def churn_level(churn_risk: float | None) -> str:
    if churn_risk is None:
        return ""
    if churn_risk >= CHURN_HIGH:
        return "high"
    return "medium" if churn_risk >= CHURN_MEDIUM else "low"


@dataclass(frozen=True, slots=True)
class Row:
    conversation: Conversation | ConversationRow
    fan_name: str
    spend: str
    tier: str
    tier_label: str
    ltv: str
    churn_level: str
    churn_percent: int | None
    subscription_label: str
    subscription_state: str
    is_new_fan: bool
    is_active: bool
    assignee_name: str


@dataclass(frozen=True, slots=True)
class RowTerms:
    """What every row of one request shares (labels translated once, not once a row)."""

    currency: str
    active_id: int | None
    new_since: datetime
    tier_labels: dict[str, str]
    subscription_labels: dict[str, str]


def _row(c: Conversation | ConversationRow, *, terms: RowTerms) -> Row:
    fan = c.fan
    tier = spend_tier_of(fan.total_spent_cents)
    assignee = c.assigned_to if c.assigned_to_id else None
    currency = terms.currency
    return Row(
        conversation=c,
        fan_name=fan.display_name or fan.username,
        spend=money_format(fan.total_spent_cents, currency, whole=True),
        tier=tier,
        tier_label=terms.tier_labels[tier],
        ltv=money_format(fan.ltv_cents, currency, whole=True) if fan.ltv_cents is not None else "",
        churn_level=churn_level(fan.churn_risk),
        churn_percent=round(fan.churn_risk * 100) if fan.churn_risk is not None else None,
        subscription_label=terms.subscription_labels.get(fan.subscription_state, ""),
        subscription_state=fan.subscription_state,
        is_new_fan=fan.joined_at >= terms.new_since,
        is_active=c.id == terms.active_id,
        assignee_name=(assignee.name or assignee.email) if assignee is not None else "",
    )


def _rows(
    conversations: list[Conversation] | list[ConversationRow],
    *,
    currency: str,
    active_id: int | None,
) -> list[Row]:
    terms = RowTerms(
        currency=currency,
        active_id=active_id,
        new_since=timezone.now() - timedelta(days=NEW_FAN_DAYS),
        tier_labels=tier_labels(),
        subscription_labels={value: str(label) for value, label in SubscriptionState.choices},
    )
    return [_row(c, terms=terms) for c in conversations]


@dataclass(frozen=True, slots=True)
class Filters:
    """The list's filters from the query string; unknown values are ignored, not refused."""

    search: str
    is_unread_only: bool
    tier: str = ""
    is_expiring_only: bool = False
    is_pinned_only: bool = False
    is_mine_only: bool = False
    unanswered_hours: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> Filters:
        checked = ("1", "on", "true")
        tier = request.GET.get("tier", "")
        hours = request.GET.get("unanswered", "")
        return cls(
            search=request.GET.get("q", "").strip()[:100],
            is_unread_only=request.GET.get("unread") in checked,
            tier=tier if tier in SPEND_TIERS else "",
            is_expiring_only=request.GET.get("expiring") in checked,
            is_pinned_only=request.GET.get("pinned") in checked,
            is_mine_only=request.GET.get("mine") in checked,
            unanswered_hours=int(hours) if hours in UNANSWERED_CHOICES else None,
        )

    @property
    def is_any(self) -> bool:
        return bool(self.query())

    def selector_kwargs(self) -> dict[str, Any]:
        return {
            "unread_only": self.is_unread_only,
            "search": self.search,
            "tier": self.tier,
            "expiring_only": self.is_expiring_only,
            "pinned_only": self.is_pinned_only,
            "assigned_to_me": self.is_mine_only,
            "unanswered_hours": self.unanswered_hours,
        }

    def query(self, **extra: Any) -> str:
        values: dict[str, Any] = {}
        if self.search:
            values["q"] = self.search
        for name, is_on in (
            ("unread", self.is_unread_only),
            ("expiring", self.is_expiring_only),
            ("pinned", self.is_pinned_only),
            ("mine", self.is_mine_only),
        ):
            if is_on:
                values[name] = "1"
        if self.tier:
            values["tier"] = self.tier
        if self.unanswered_hours is not None:
            values["unanswered"] = str(self.unanswered_hours)
        values.update(extra)
        return urlencode(values)


def _list_context(
    *, actor: Actor, filters: Filters, offset: int, currency: str, active_id: int | None
) -> dict[str, Any]:
    page = conversation_page(
        actor=actor, offset=offset, limit=CONVERSATION_PAGE_SIZE, **filters.selector_kwargs()
    )
    link_query = filters.query()
    rows = _rows(page.items, currency=currency, active_id=active_id)
    return {
        "rows_html": rows_html(rows, link_query=link_query),
        "has_more": page.has_more,
        "more_query": filters.query(offset=page.next_offset, active=active_id or ""),
        "filters": filters,
        "link_query": link_query,
        "tier_choices": list(tier_labels().items()),
        "unanswered_choices": UNANSWERED_CHOICES,
    }


def _js_labels() -> dict[str, str]:
    return {
        "from_model": _("AI model"),
        "from_knowledge_base": _("From your past replies"),
        "use": _("Use"),
        "reject": _("Reject"),
        "typing": _("%(name)s is typing…"),
        "live": _("Live"),
        "offline": _("Reconnecting…"),
        "send_failed": _("The message could not be sent."),
        "scheduled_for": _("Scheduled for %(time)s"),
        "cancelled": _("Cancelled"),
        "read": _("Read"),
        "sent": _("Sent"),
        "you": _("Team"),
        "ppv": _("PPV"),
        "media": _("media"),
        "no_suggestions": _("Suggestions appear when the fan writes."),
    }


def _team_context(*, actor: Actor, conversation: OpenConversation) -> dict[str, Any]:
    """The chat header's team controls: assignment (owners, managers) and pinning. The
    select's other members come from /api/v1/team/members (inbox_team.js), so opening a
    conversation costs no query more."""
    return {
        "can_assign": actor.can(Permission.MANAGE_TEAM),
        "can_pin": actor.can(Permission.MESSAGE),
        "assignee_name": conversation.assignee_name,
    }


# Views ------------------------------------------------------------------------------------------


def _conversation_context(
    *, actor: Actor, creator: Creator, conversation_id: int, can_message: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The chat and the fan context of one conversation, and their part of the JS config:
    what the full page and the pane (`conversation_pane`) both render. 404 (`NotFound`) for a
    conversation the actor may not see."""
    conversation = conversation_open(actor=actor, conversation_id=conversation_id)
    history = message_page(actor=actor, conversation_id=conversation_id)
    pending = suggestions_pending(actor=actor, conversation_id=conversation_id, latest_page=history)
    fan = conversation.fan
    fan_name = fan.display_name or fan.username
    last_purchase = conversation.last_purchase
    context: dict[str, Any] = {
        "conversation": conversation,
        "fan": fan,
        "fan_name": fan_name,
        "messages_html": messages_html(history.items, currency=creator.currency),
        "has_older": history.has_older,
        "oldest_id": history.oldest_id,
        "suggestions": pending.items,
        "can_suggest": pending.message_id is not None and can_message,
        "total_spent": money_format(fan.total_spent_cents, creator.currency),
        "last_purchase": last_purchase,
        "last_purchase_amount": (
            money_format(last_purchase.amount_cents, last_purchase.currency)
            if last_purchase
            else ""
        ),
        "subscription_label": dict(SubscriptionState.choices).get(fan.subscription_state, ""),
        **_team_context(actor=actor, conversation=conversation),
        **fan_panel_context(actor=actor, fan=fan),
    }
    config = {
        "conversation_id": conversation.id,
        "unread_count": conversation.unread_count,
        "currency": creator.currency,
        "is_fan_waiting": pending.message_id is not None,
        # The page's <title> after a switch (web/base.html's pattern).
        "title": f"{fan_name} · {_('Messages')} · Huntaze",
    }
    return context, config


@require_GET
@workspace_page(Permission.READ)
def messages_page(request: HttpRequest, conversation_id: int | None = None) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    creator = creator_get(creator_id=actor.creator_id)
    filters = Filters.of(request)
    can_message = actor.can(Permission.MESSAGE)
    context: dict[str, Any] = {
        "can_message": can_message,
        "conversation": None,
        **_list_context(
            actor=actor,
            filters=filters,
            offset=0,
            currency=creator.currency,
            active_id=conversation_id,
        ),
    }
    config: dict[str, Any] = {
        "conversation_id": conversation_id,
        "user_id": actor.user_id,
        "can_message": can_message,
        "list_query": filters.query(),
        "labels": _js_labels(),
    }
    if conversation_id is not None:
        pane, pane_config = _conversation_context(
            actor=actor, creator=creator, conversation_id=conversation_id, can_message=can_message
        )
        context.update(pane)
        pane_config.pop("title")
        config.update(pane_config)
    context["config"] = config
    return render(request, "inbox/messages.html", context)


@require_GET
@workspace_page(Permission.READ)
def conversation_pane(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The chat and the fan context of one conversation, without the page around them or the
    list: what inbox.js swaps in when a row of the list is opened. Its config (the pane's part
    of "inbox-config") is the json_script "inbox-pane-config" of the fragment."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    creator = creator_get(creator_id=actor.creator_id)
    can_message = actor.can(Permission.MESSAGE)
    context, pane_config = _conversation_context(
        actor=actor, creator=creator, conversation_id=conversation_id, can_message=can_message
    )
    context.update(
        can_message=can_message,
        link_query=Filters.of(request).query(),
        pane_config=pane_config,
    )
    return render(request, "inbox/_pane.html", context)


@require_GET
@workspace_page(Permission.READ)
def conversation_rows(request: HttpRequest) -> HttpResponse:
    """More rows of the list (search, unread filter, "load more")."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    creator = creator_get(creator_id=actor.creator_id)
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
        active_id = int(request.GET["active"]) if request.GET.get("active") else None
    except ValueError:
        offset, active_id = 0, None
    context = _list_context(
        actor=actor,
        filters=Filters.of(request),
        offset=offset,
        currency=creator.currency,
        active_id=active_id,
    )
    return render(request, "inbox/_rows.html", context)


@require_GET
@workspace_page(Permission.READ)
def conversation_row(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """One row, fresh, for the live list."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    creator = creator_get(creator_id=actor.creator_id)
    conversation = conversation_get(actor=actor, conversation_id=conversation_id)
    active = request.GET.get("active", "")
    [row] = _rows(
        [conversation],
        currency=creator.currency,
        active_id=int(active) if active.isdigit() else None,
    )
    link_query = Filters.of(request).query()
    return HttpResponse(row_html(row, link_query=link_query, labels=RowLabels.current()))


@require_GET
@workspace_page(Permission.READ)
def older_messages(request: HttpRequest, conversation_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    before = request.GET.get("before", "")
    if not before.isdigit():
        return error_page(request, 400, _("Say which message to load before."))
    conversation_check_access(actor=actor, conversation_id=conversation_id)
    creator = creator_get(creator_id=actor.creator_id)
    history = message_page(
        actor=actor, conversation_id=conversation_id, before_message_id=int(before)
    )
    return render(
        request,
        "inbox/_older.html",
        {
            "conversation_id": conversation_id,
            "messages_html": messages_html(history.items, currency=creator.currency),
            "has_older": history.has_older,
            "oldest_id": history.oldest_id,
        },
    )
