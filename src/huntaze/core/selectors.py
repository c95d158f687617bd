"""Core reads."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from huntaze.core.models import Creator, Membership, Role

# A member's role is read on every signed-in request. It is cached briefly and forgotten
# whenever a membership row is saved or deleted (signals in core.apps), so a removed member
# loses access at once.
MEMBERSHIP_ROLE_TTL_S = 60
# The creator row (`creator_get`), forgotten the same way on any write.
CREATOR_TTL_S = 60


@dataclass(frozen=True, slots=True)
class WorkspaceSummary:
    creator_id: int
    name: str
    slug: str
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def workspaces_cache_key(*, user_id: int) -> str:
    return f"workspaces:{user_id}"


def workspaces_of_user(*, user_id: int) -> list[WorkspaceSummary]:
    """Every page shows them: cached, and forgotten when a membership of the user or one of
    their creators changes (signals in core.apps)."""
    key = workspaces_cache_key(user_id=user_id)
    cached: list[WorkspaceSummary] | None = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Membership.objects.filter(user_id=user_id)
        .select_related("creator")
        .order_by("creator__name")
    )
    workspaces = [
        WorkspaceSummary(
            creator_id=m.creator_id, name=m.creator.name, slug=m.creator.slug, role=m.role
        )
        for m in rows
    ]
    cache.set(key, workspaces, MEMBERSHIP_ROLE_TTL_S)
    return workspaces


def membership_role_cache_key(*, user_id: int, creator_id: int) -> str:
    return f"membership-role:{user_id}:{creator_id}"


def membership_role(*, user_id: int, creator_id: int) -> str | None:
    key = membership_role_cache_key(user_id=user_id, creator_id=creator_id)
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # "" caches "not a member"
    role = (
        Membership.objects.filter(user_id=user_id, creator_id=creator_id)
        .values_list("role", flat=True)
        .first()
    )
    cache.set(key, role or "", MEMBERSHIP_ROLE_TTL_S)
    return role


def creator_cache_key(*, creator_id: int) -> str:
    return f"creator:{creator_id}"


def creator_get(*, creator_id: int) -> Creator:
    """The creator row, read on most pages (currency, timezone, the chatters limit): cached,
    and forgotten whenever it is saved or deleted (signals in core.apps) or updated in bulk
    (`creator_cache_forget`). Creator.DoesNotExist when there is none."""
    key = creator_cache_key(creator_id=creator_id)
    cached: Creator | None = cache.get(key)
    if cached is not None:
        return cached
    creator = Creator.objects.get(id=creator_id)
    cache.set(key, creator, CREATOR_TTL_S)
    return creator


def team_members(*, creator_id: int) -> list[Membership]:
    return list(
        Membership.objects.filter(creator_id=creator_id)
        .select_related("user")
        .order_by("role", "user__email")
    )
