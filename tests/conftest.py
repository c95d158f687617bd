"""Shared fixtures: two creators with their teams, API clients, a clean cache and channel layer
per test, a limited chatter, a recorder of live events, and a language reset."""

from __future__ import annotations

from typing import Any

import pytest
from channels.layers import channel_layers
from django.core.cache import caches
from django.test import Client
from django.utils import translation

from huntaze.core.models import Creator
from huntaze.core.services import creator_cache_forget
from tests.factories import CreatorFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _clean_caches():
    for alias in ("default", "counters"):
        caches[alias].clear()
    # A fresh channel layer per test. channels_redis binds a layer to the event loop of its
    # first receive() until every receive has ended: a test server's thread stopped with a
    # socket still waiting left the process's layer bound to a dead loop, and each later
    # WebSocket test on that worker failed with "Two event loops are trying to receive()".
    channel_layers.backends.clear()
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


@pytest.fixture
def member_of():
    def make(creator, role: str, email: str | None = None):
        user = UserFactory(**({"email": email} if email else {}))
        MembershipFactory(user=user, creator=creator, role=role)
        return user

    return make


@pytest.fixture
def signed_in():
    """A new client signed in as `user`, working for `creator` (None: no workspace chosen)."""

    def make(user, creator=None) -> Client:
        client = Client()
        client.force_login(user)
        if creator is not None:
            session = client.session
            session["creator_id"] = creator.id
            session.save()
        return client

    return make


@pytest.fixture
def chatter(creator_a, member_of):
    """A chatter of creator A (limited to their assigned fans with `limited`)."""
    return member_of(creator_a, "chatter", "limited@example.com")


@pytest.fixture
def limited(creator_a):
    """Creator A limits chatters to their assigned fans (`chatters_see_assigned_only`)."""
    Creator.objects.filter(id=creator_a.id).update(chatters_see_assigned_only=True)
    creator_cache_forget(creator_id=creator_a.id)


@pytest.fixture
def events(monkeypatch):
    """Every event broadcast to a creator group, as (creator_id, event, payload)."""
    sent: list[tuple[int, str, dict[str, Any]]] = []

    def record(*, creator_id: int, event_type: str, payload: dict[str, Any]) -> None:
        sent.append((creator_id, event_type, payload))

    monkeypatch.setattr("huntaze.core.events.broadcast_now", record)
    return sent


@pytest.fixture
def language_reset():
    """A request in French leaves French active in this thread: back to the default after
    (use with `pytest.mark.usefixtures("language_reset")`)."""
    yield
    translation.deactivate()
