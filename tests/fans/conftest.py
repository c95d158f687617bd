"""Fixtures of the fan notes, tags and AI memory tests: actors and clients by role."""

from __future__ import annotations

import pytest

from huntaze.core.context import Actor
from tests.factories import FanFactory


@pytest.fixture
def actor_as(member_of):
    """An Actor of `creator` with `role`, for a new team member."""

    def make(creator, role: str) -> Actor:
        user = member_of(creator, role)
        return Actor(creator_id=creator.id, user_id=user.id, role=role)

    return make


@pytest.fixture
def owner(creator_a, owner_a):
    return Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")


@pytest.fixture
def fan_a(creator_a):
    return FanFactory(creator=creator_a, tags=["vip"], ai_memory=["Likes cats"])


@pytest.fixture
def fan_b(creator_b):
    return FanFactory(creator=creator_b, tags=["theirs"], ai_memory=["B fact"])
