"""The PPV page (/onlyfans/ppv): figures, a chart, the list with sending progress, and the
form that creates a PPV (vault media, price with its suggestion, fans or a segment, now or
scheduled). Writes go through the services; the page's JS is assets/js/ppv.js.

The fan and segment pickers show what the member may see (`fan_list_visible`,
`segment_list_visible`): a chatter whose creator limits chatters to their assigned fans picks
among those, and each segment's count is the number of its fans assigned to them (what a PPV
they send to it reaches)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huntaze.commerce.rules import PPV_MAX_PRICE_CENTS, PPV_MIN_PRICE_CENTS, price_cents_of
from huntaze.commerce.selectors_ppv import (
    PPV_PAGE_SIZE,
    PPVRow,
    ppv_page,
    ppv_price_suggestion,
    ppv_totals,
)
from huntaze.commerce.services_ppv import ppv_cancel, ppv_create
from huntaze.content.selectors import vault_page
from huntaze.core.context import Actor
from huntaze.core.errors import ValidationFailed
from huntaze.core.money import money_format
from huntaze.core.pages import workspace_page
from huntaze.core.permissions import Permission
from huntaze.core.selectors import creator_get
from huntaze.fans.selectors import fan_list_visible
from huntaze.fans.selectors_crm import segment_list_visible

FAN_CHOICES = 200
MEDIA_CHOICES = 60
CHART_POINTS = 25


def _price_cents(value: str) -> int:
    cents = price_cents_of(value)
    if not cents:
        raise ValidationFailed.on_field("price_cents", _("Give the PPV a price."))
    return cents


def _scheduled_at(request: HttpRequest, creator_timezone: str) -> datetime | None:
    """The ISO time the page's JS fills in, or the typed local time in the creator's zone."""
    if request.POST.get("when") != "later":
        return None
    iso = request.POST.get("scheduled_at_iso", "").strip()
    local = request.POST.get("scheduled_at", "").strip()
    try:
        if iso:
            return datetime.fromisoformat(iso)
        if local:
            return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(creator_timezone))
    except ValueError:
        pass
    raise ValidationFailed.on_field("scheduled_at", _("Choose when to send it."))


def _ids(values: list[str], field: str) -> list[int]:
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise ValidationFailed.on_field(field, _("Choose from the list.")) from error


def _create_from_form(request: HttpRequest, actor: Actor, creator_timezone: str) -> None:
    post = request.POST
    audience = post.get("audience", "fans")
    segment = post.get("segment_id", "")
    if audience == "segment" and not segment:
        raise ValidationFailed.on_field("segment_id", _("Choose a segment."))
    ppv_create(
        actor=actor,
        title=post.get("title", ""),
        caption=post.get("caption", ""),
        price_cents=_price_cents(post.get("price", "")),
        media_ids=_ids(post.getlist("media_ids"), "media_ids"),
        fan_ids=_ids(post.getlist("fan_ids"), "fan_ids") if audience == "fans" else [],
        segment_id=(
            _ids([segment], "segment_id")[0] if audience == "segment" and segment else None
        ),
        scheduled_at=_scheduled_at(request, creator_timezone),
        skip_already_sent=post.get("skip_already_sent") == "on",
    )


def _chart(rows: list[PPVRow]) -> dict[str, Any]:
    shown = [row for row in reversed(rows[:CHART_POINTS]) if row.sent_count]
    return {
        "titles": [row.title for row in shown],
        "revenue": [row.revenue_cents / 100 for row in shown],
        "buy_rate": [round(row.buy_rate * 100, 1) for row in shown],
        "labels": {"revenue": _("Revenue"), "buy_rate": _("Buy rate (%)")},
    }


def _context(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    creator = creator_get(creator_id=actor.creator_id)
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        offset = 0
    page = ppv_page(actor=actor, offset=offset, limit=PPV_PAGE_SIZE)
    suggestion = ppv_price_suggestion(creator_id=actor.creator_id, currency=creator.currency)
    return {
        "page": page,
        "offset": offset,
        "previous_offset": max(0, offset - PPV_PAGE_SIZE),
        "totals": ppv_totals(actor=actor),
        "chart": _chart(page.items),
        "currency": creator.currency,
        "suggestion": suggestion,
        "suggestion_dollars": (  # the price field's value: a plain number
            f"{suggestion.price_cents / 100:.2f}" if suggestion.price_cents else ""
        ),
        "suggestion_price": (
            money_format(suggestion.price_cents, creator.currency) if suggestion.price_cents else ""
        ),
        "min_price": PPV_MIN_PRICE_CENTS // 100,
        "max_price": PPV_MAX_PRICE_CENTS // 100,
        "can_send": actor.can(Permission.MESSAGE),
        "vault": vault_page(creator_id=actor.creator_id, limit=MEDIA_CHOICES).items,
        "fans": list(fan_list_visible(actor=actor)[:FAN_CHOICES]),
        "segments": segment_list_visible(actor=actor),
        "values": {},
        "errors": {},
    }


@require_http_methods(["GET", "POST"])
@workspace_page(Permission.READ)
def ppv_page_view(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if request.method == "POST":
        actor.require(Permission.MESSAGE)
        creator = creator_get(creator_id=actor.creator_id)
        try:
            _create_from_form(request, actor, creator.timezone)
        except ValidationFailed as error:
            context = _context(request, actor)
            context["values"] = {
                "title": request.POST.get("title", ""),
                "caption": request.POST.get("caption", ""),
                "price": request.POST.get("price", ""),
                "media_ids": request.POST.getlist("media_ids"),
                "fan_ids": request.POST.getlist("fan_ids"),
                "audience": request.POST.get("audience", "fans"),
                "when": request.POST.get("when", "now"),
                "segment_id": request.POST.get("segment_id", ""),
            }
            context["errors"] = error.field_errors
            return render(request, "commerce/ppv.html", context, status=422)
        return redirect("/onlyfans/ppv")
    return render(request, "commerce/ppv.html", _context(request, actor))


@require_POST
@workspace_page(Permission.MESSAGE)
def ppv_cancel_view(request: HttpRequest, ppv_item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    ppv_cancel(actor=actor, ppv_item_id=ppv_item_id)
    return redirect("/onlyfans/ppv")
