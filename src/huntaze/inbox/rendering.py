"""The inbox's repeated fragments (a conversation row, a message bubble) built in Python.

The list shows 50 rows and a conversation 30 messages: one `{% include %}` per item made the
template engine most of the page's cost. These functions write the same HTML the templates
wrote (byte for byte: the live list swaps rows in from `/onlyfans/messages/<id>/row`), with
each label translated once per request instead of once per item."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format, time_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huntaze.core.money import money_format


def escape(value: object) -> str:
    """django.utils.html.escape's output (& < > " ' escaped), without its lazy-string check:
    the list calls it a few hundred times a page."""
    return html.escape(str(value), quote=True)


if TYPE_CHECKING:
    from huntaze.inbox.selectors import Bubble
    from huntaze.inbox.views import Row


def _local(value: datetime) -> datetime:
    return localtime(value) if settings.USE_TZ and is_aware(value) else value


# Named formats of the active language (django.utils.formats): "November 24" / "24 novembre",
# and the time "2:30 p.m." / "14:30".
DAY_FORMAT = "MONTH_DAY_FORMAT"
TIME_FORMAT = "TIME_FORMAT"


@lru_cache(maxsize=4096)
def _formatted(value: datetime, with_time: bool, language: str | None) -> str:
    day = date_format(value, DAY_FORMAT)
    if not with_time:
        return escape(day)
    # Translators: a message's date and time in the inbox, e.g. "November 24, 2:30 p.m.".
    return escape(_("%(day)s, %(time)s") % {"day": day, "time": time_format(value, TIME_FORMAT)})


def _date(value: datetime, *, with_time: bool = False) -> str:
    """The local day (and time) of `value` in the active language's formats, escaped; no
    seconds are shown, so one rendering serves a whole minute."""
    local = _local(value).replace(second=0, microsecond=0, tzinfo=None)  # the key: wall time
    return _formatted(local, with_time, get_language())


def _iso(value: datetime) -> str:
    """`{{ value|date:'c' }}`."""
    return _local(value).isoformat()


# Conversation rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowLabels:
    """The row's fixed texts, translated and escaped once per request."""

    unread_title: str
    unread: str
    total_spend: str
    spend_tier: str
    ltv_title: str
    ltv: str
    churn_title: str
    churn: str  # "Churn %(percent)s%%", not escaped (as {% blocktranslate %} leaves it)
    new: str
    pinned: str
    assigned_to: str

    @classmethod
    def current(cls) -> RowLabels:
        return cls(
            unread_title=escape(_("Unread messages")),
            unread=escape(_("unread")),
            total_spend=escape(_("Total spend")),
            spend_tier=escape(_("Spend tier")),
            ltv_title=escape(_("Predicted lifetime value")),
            ltv=escape(_("LTV")),
            churn_title=escape(_("Churn risk")),
            churn=_("Churn %(percent)s%%"),
            new=escape(_("New")),
            pinned=escape(_("Pinned")),
            assigned_to=escape(_("Assigned to")),
        )


def _row_badges(row: Row, labels: RowLabels) -> str:
    c = row.conversation
    unread = (
        f'<span class="badge badge-unread" title="{labels.unread_title}">{c.unread_count}'
        f'<span class="visually-hidden"> {labels.unread}</span></span>'
        if c.unread_count
        else ""
    )
    ltv = (
        f'<span class="badge badge-ltv" title="{labels.ltv_title}">{labels.ltv} '
        f"{escape(row.ltv)}</span>"
        if row.ltv
        else ""
    )
    churn = (
        f'<span class="badge badge-churn badge-churn-{escape(row.churn_level)}" '
        f'title="{labels.churn_title}">{labels.churn % {"percent": row.churn_percent}}</span>'
        if row.churn_level
        else ""
    )
    subscription = (
        f'<span class="badge badge-sub badge-sub-{escape(row.subscription_state)}">'
        f"{escape(row.subscription_label)}</span>"
        if row.subscription_state != "none"
        else ""
    )
    new = f'<span class="badge badge-new">{labels.new}</span>' if row.is_new_fan else ""
    pinned = f'<span class="badge badge-pinned">{labels.pinned}</span>' if c.is_pinned else ""
    assignee = (
        f'<span class="badge badge-assignee" title="{labels.assigned_to}">'
        f"{escape(row.assignee_name)}</span>"
        if row.assignee_name
        else ""
    )
    return (
        f"      {unread}\n"
        f'      <span class="badge badge-spend" title="{labels.total_spend}">'
        f"{escape(row.spend)}</span>\n"
        f'      <span class="badge badge-tier badge-tier-{escape(row.tier)}" '
        f'title="{labels.spend_tier}">{escape(row.tier_label)}</span>\n'
        f"      {ltv}\n      {churn}\n      {subscription}\n      {new}\n      {pinned}\n"
        f"      {assignee}\n"
    )


def row_html(row: Row, *, link_query: str, labels: RowLabels) -> str:
    """One `<li>` of the conversation list (what `inbox/_row.html` wrote)."""
    c = row.conversation
    classes = (" is-active" if row.is_active else "") + (" is-unread" if c.unread_count else "")
    query = f"?{escape(link_query)}" if link_query else ""
    current = 'aria-current="page"' if row.is_active else ""
    time = (
        f'<time class="row-time" datetime="{_iso(c.last_message_at)}">'
        f"{_date(c.last_message_at)}</time>"
        if c.last_message_at
        else ""
    )
    return (
        f'<li class="conversation-row{classes}"\n    data-conversation-id="{c.id}">\n'
        f'  <a href="/onlyfans/messages/{c.id}{query}"\n     {current}>\n'
        f'    <span class="row-top">\n      <span class="row-name">{escape(row.fan_name)}</span>\n'
        f"      {time}\n    </span>\n"
        f'    <span class="row-preview">{escape(c.last_message_preview or "…")}</span>\n'
        f'    <span class="row-badges">\n{_row_badges(row, labels)}    </span>\n  </a>\n</li>\n'
    )


def rows_html(rows: Iterable[Row], *, link_query: str) -> SafeString:
    labels = RowLabels.current()
    return mark_safe(  # noqa: S308 - every value above is escaped
        "".join(row_html(row, link_query=link_query, labels=labels) for row in rows)
    )


# Messages ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MessageLabels:
    media: str
    ppv: str
    statuses: dict[str, str]

    @classmethod
    def current(cls) -> MessageLabels:
        return cls(
            media=escape(_("media")),
            ppv=escape(_("PPV")),
            statuses={
                "scheduled": escape(_("Scheduled")),
                "cancelled": escape(_("Cancelled")),
                "read": escape(_("Read")),
                "sent": escape(_("Sent")),
            },
        )


def _bubble(message: Bubble, *, currency: str, labels: MessageLabels) -> str:
    text = (
        f'<p class="message-text">{linebreaksbr(message.text, autoescape=True)}</p>'
        if message.text
        else ""
    )
    media = (
        f'<p class="message-media">📎 {len(message.media_ids)} {labels.media}</p>'
        if message.media_ids
        else ""
    )
    price = (
        f'<p class="message-price">{labels.ppv} · '
        f"{escape(money_format(message.price_cents, currency, whole=True))}</p>"
        if message.price_cents
        else ""
    )
    return f'  <div class="bubble">\n    {text}\n    {media}\n    {price}\n  </div>\n'


def message_html(message: Bubble, *, currency: str, labels: MessageLabels) -> str:
    """One `<li>` of the chat (what `inbox/_message.html` wrote)."""
    status = message.status
    state = {"scheduled": " is-scheduled", "cancelled": " is-cancelled"}.get(status, "")
    meta_status = (
        f'<span class="message-status" data-status="{escape(status)}">'
        f"{labels.statuses.get(status, labels.statuses['sent'])}</span>"
        if message.direction == "out"
        else ""
    )
    return (
        f'<li class="message message-{escape(message.direction)}{state}" '
        f'data-message-id="{message.id}">\n'
        f"{_bubble(message, currency=currency, labels=labels)}"
        f'  <p class="message-meta">\n'
        f'    <time datetime="{_iso(message.sent_at)}">'
        f"{_date(message.sent_at, with_time=True)}</time>\n"
        f"    {meta_status}\n  </p>\n</li>\n"
    )


def messages_html(messages: Iterable[Bubble], *, currency: str) -> SafeString:
    """The chat's messages; prices in `currency` (the creator's), in the active language."""
    labels = MessageLabels.current()
    return mark_safe(  # noqa: S308 - every value above is escaped
        "".join(message_html(message, currency=currency, labels=labels) for message in messages)
    )
