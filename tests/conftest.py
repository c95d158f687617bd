"""Shared fixtures: two creators with their teams, API clients, and a clean cache per test."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from tests.factories import CreatorFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_caches():
    for alias in ("default", "counters"):
        caches[alias].clear()
    return


@pytest.fixture
def creator_a(db):
    return CreatorFactory(name="Creator A")


@pytest.fixture
def creator_b(db):
    return CreatorFactory(name="Creator B")


@pytest.fixture
def owner_a(creator_a):
    user = UserFactory(email="owner.a@example.com")
    MembershipFactory(user=user, creator=creator_a, role="owner")
    return user


@pytest.fixture
def owner_b(creator_b):
    user = UserFactory(email="owner.b@example.com")
    MembershipFactory(user=user, creator=creator_b, role="owner")
    return user


@pytest.fixture
def client_a(client, owner_a, creator_a):
    client.force_login(owner_a)
    session = client.session
    session["creator_id"] = creator_a.id
    session.save()
    return client
