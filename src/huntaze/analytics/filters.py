"""What an analytics page shows: which workspaces (one or several, summed) and which days.

Parsed from the query string of the pages and of the API (`from`, `to` as YYYY-MM-DD, `days`
as a preset, `creator` repeated). A workspace the user is not a member of with a role that may
read analytics is refused with NotFound, whether it exists or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from huntaze.core.context import Actor
from huntaze.core.errors import NotFound, PermissionDenied, ValidationFailed
from huntaze.core.models import Creator
from huntaze.core.permissions import Permission, role_has
from huntaze.core.selectors import WorkspaceSummary, workspaces_of_user

DEFAULT_DAYS = 30
PRESET_DAYS = (7, 30, 90, 365)
MAX_DAYS = 731


@dataclass(frozen=True, slots=True)
class AnalyticsFilter:
    creator_ids: tuple[int, ...]
    day_from: date
    day_to: date
    currency: str

    @property
    def days(self) -> int:
        return (self.day_to - self.day_from).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        """The range of the same length just before this one."""
        return self.day_from - timedelta(days=self.days), self.day_from - timedelta(days=1)

    def day_list(self) -> list[date]:
        return [self.day_from + timedelta(days=n) for n in range(self.days)]


def analytics_workspaces(*, actor: Actor) -> list[WorkspaceSummary]:
    """The workspaces whose analytics the actor may read: with an API key, only the key's;
    signed in, every membership with a role that may read analytics."""
    if actor.via_api_key or actor.user_id is None:
        if not actor.can(Permission.VIEW_ANALYTICS):
            return []
        creator = Creator.objects.get(id=actor.creator_id)
        return [
            WorkspaceSummary(
                creator_id=creator.id, name=creator.name, slug=creator.slug, role=actor.role
            )
        ]
    return [
        workspace
        for workspace in workspaces_of_user(user_id=actor.user_id)
        if role_has(workspace.role, Permission.VIEW_ANALYTICS)
    ]


def _parse_day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed.on_field(field, _("Enter a date as YYYY-MM-DD.")) from None


def _parse_creators(values: Sequence[str], allowed: dict[int, str], actor: Actor) -> list[int]:
    if not values:
        return [actor.creator_id]
    chosen: list[int] = []
    for value in values:
        try:
            creator_id = int(value)
        except (TypeError, ValueError):
            raise ValidationFailed.on_field(
                "creator", _("Choose workspaces from the list.")
            ) from None
        if creator_id not in allowed:
            raise NotFound(_("No workspace %(id)s among yours.") % {"id": creator_id})
        if creator_id not in chosen:
            chosen.append(creator_id)
    return chosen


def _parse_days(*, start: str, end: str, preset: str, today: date) -> tuple[date, date]:
    if preset and not (start or end):
        try:
            days = int(preset)
        except ValueError:
            days = 0
        if days not in PRESET_DAYS:
            raise ValidationFailed.on_field(
                "days", _("Choose 7, 30, 90 or 365 days, or enter dates.")
            )
        return today - timedelta(days=days - 1), today
    day_to = _parse_day(end, "to") if end else today
    day_from = _parse_day(start, "from") if start else day_to - timedelta(days=DEFAULT_DAYS - 1)
    if day_to > today:
        raise ValidationFailed.on_field("to", _("The end date cannot be in the future."))
    if day_from > day_to:
        raise ValidationFailed.on_field(
            "from", _("The start date must be on or before the end date.")
        )
    if (day_to - day_from).days + 1 > MAX_DAYS:
        raise ValidationFailed.on_field(
            "from", _("Choose at most %(days)s days at once.") % {"days": MAX_DAYS}
        )
    return day_from, day_to


def analytics_filter_parse(
    *,
    actor: Actor,
    creators: Sequence[str] = (),
    start: str = "",
    end: str = "",
    preset: str = "",
    now: datetime | None = None,
    workspaces: Sequence[WorkspaceSummary] | None = None,
) -> AnalyticsFilter:
    """The filter from raw query values; raises ValidationFailed naming the field, NotFound for
    a workspace that is not the actor's, PermissionDenied without analytics access.
    `workspaces`: the actor's `analytics_workspaces`, when the caller has them already."""
    actor.require(Permission.VIEW_ANALYTICS)
    if workspaces is None:
        workspaces = analytics_workspaces(actor=actor)
    allowed = {w.creator_id: w.name for w in workspaces}
    if actor.creator_id not in allowed:
        raise PermissionDenied(_("Your role does not give access to analytics."))
    creator_ids = _parse_creators(creators, allowed, actor)
    today = (now or timezone.now()).astimezone(UTC).date()
    day_from, day_to = _parse_days(start=start, end=end, preset=preset, today=today)
    currencies = set(Creator.objects.filter(id__in=creator_ids).values_list("currency", flat=True))
    if len(currencies) > 1:
        raise ValidationFailed.on_field(
            "creator",
            _(
                "These workspaces sell in different currencies: choose workspaces with one currency."
            ),
        )
    return AnalyticsFilter(
        creator_ids=tuple(sorted(creator_ids)),
        day_from=day_from,
        day_to=day_to,
        currency=currencies.pop() if currencies else "USD",
    )
