"""Fixtures of the account tests: members of creator A with a given role, a signed-in client."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import MembershipFactory, UserFactory


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
