"""The agency: creators, one owner of them all, and per creator a manager, two chatters and
an analyst. Few rows: written with the ORM. All demo users share one password, hashed once."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from huntaze.accounts.models import User
from huntaze.core.models import Creator, Membership, Role
from huntaze.web.demo.texts import CREATORS, TEAM_FIRST_NAMES, CreatorProfile

DEMO_EMAIL_DOMAIN = "demo.huntaze.local"
DEMO_PASSWORD = "huntaze-demo-2025"  # noqa: S105 - a published demo password, by design
OWNER_EMAIL = f"owner@{DEMO_EMAIL_DOMAIN}"
DEMO_SLUG_PREFIX = "demo-"


@dataclass(frozen=True, slots=True)
class Team:
    index: int
    profile: CreatorProfile
    creator_id: int
    owner_id: int
    manager_id: int
    chatter_ids: tuple[int, int]
    analyst_id: int

    @property
    def first_name(self) -> str:
        return self.profile.name.split()[0]


def _short(profile: CreatorProfile) -> str:
    return profile.slug.removeprefix(DEMO_SLUG_PREFIX).split("-")[0]


def team_create(*, creator_count: int) -> list[Team]:
    profiles = CREATORS[:creator_count]
    password = make_password(DEMO_PASSWORD)
    owner = User(
        email=OWNER_EMAIL,
        name="Alex Morgan",
        password=password,
        onboarding_completed=True,
        ai_plan="agency",
    )
    people: list[tuple[int, str, str, str]] = []  # creator index, role, e-mail, name
    for index, profile in enumerate(profiles):
        short = _short(profile)
        names = iter(TEAM_FIRST_NAMES[(index * 4) % len(TEAM_FIRST_NAMES) :] + TEAM_FIRST_NAMES)
        people += [
            (index, Role.MANAGER, f"manager.{short}@{DEMO_EMAIL_DOMAIN}", next(names)),
            (index, Role.CHATTER, f"chatter1.{short}@{DEMO_EMAIL_DOMAIN}", next(names)),
            (index, Role.CHATTER, f"chatter2.{short}@{DEMO_EMAIL_DOMAIN}", next(names)),
            (index, Role.ANALYST, f"analyst.{short}@{DEMO_EMAIL_DOMAIN}", next(names)),
        ]
    User.objects.bulk_create(
        [owner]
        + [
            User(email=email, name=name, password=password, onboarding_completed=True)
            for _index, _role, email, name in people
        ]
    )
    ids = dict(
        User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}").values_list("email", "id")
    )
    Creator.objects.bulk_create(
        [
            Creator(
                name=profile.name,
                slug=profile.slug,
                onlyfans_username=profile.onlyfans_username,
                timezone=profile.timezone,
                persona=profile.persona,
                tone=profile.tone,
            )
            for profile in profiles
        ]
    )
    creator_ids = dict(
        Creator.objects.filter(slug__in=[p.slug for p in profiles]).values_list("slug", "id")
    )
    memberships = [
        Membership(user_id=ids[OWNER_EMAIL], creator_id=creator_ids[p.slug], role=Role.OWNER)
        for p in profiles
    ] + [
        Membership(user_id=ids[email], creator_id=creator_ids[profiles[index].slug], role=role)
        for index, role, email, _name in people
    ]
    Membership.objects.bulk_create(memberships)
    teams = []
    for index, profile in enumerate(profiles):
        short = _short(profile)
        teams.append(
            Team(
                index=index,
                profile=profile,
                creator_id=creator_ids[profile.slug],
                owner_id=ids[OWNER_EMAIL],
                manager_id=ids[f"manager.{short}@{DEMO_EMAIL_DOMAIN}"],
                chatter_ids=(
                    ids[f"chatter1.{short}@{DEMO_EMAIL_DOMAIN}"],
                    ids[f"chatter2.{short}@{DEMO_EMAIL_DOMAIN}"],
                ),
                analyst_id=ids[f"analyst.{short}@{DEMO_EMAIL_DOMAIN}"],
            )
        )
    return teams
