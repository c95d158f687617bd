"""creator_get is cached, and forgotten on every kind of write to the row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huntaze.core.context import Actor
from huntaze.core.models import Creator, Role
from huntaze.core.selectors import creator_get
from huntaze.inbox.services_team import creator_set_chatters_see_assigned_only
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _real_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "c"},
    }


def test_a_second_read_costs_no_query(creator_a):
    creator_get(creator_id=creator_a.id)
    with CaptureQueriesContext(connection) as queries:
        found = creator_get(creator_id=creator_a.id)
    assert found.name == "Creator A"
    assert len(queries) == 0


def test_a_save_is_seen_at_once(creator_a):
    creator_get(creator_id=creator_a.id)
    creator_a.currency = "EUR"
    creator_a.save(update_fields=["currency"])
    assert creator_get(creator_id=creator_a.id).currency == "EUR"


def test_the_chatters_limit_is_seen_at_once(creator_a):
    # given: the creator cached with the limit off
    owner = UserFactory()
    MembershipFactory(user=owner, creator=creator_a, role=Role.OWNER)
    assert creator_get(creator_id=creator_a.id).chatters_see_assigned_only is False
    # when: the owner turns it on (a queryset update, no save())
    actor = Actor(creator_id=creator_a.id, user_id=owner.id, role=Role.OWNER)
    creator_set_chatters_see_assigned_only(actor=actor, is_enabled=True)
    # then
    assert creator_get(creator_id=creator_a.id).chatters_see_assigned_only is True


def test_a_deleted_creator_is_not_served_from_the_cache(creator_a):
    creator_get(creator_id=creator_a.id)
    creator_id = creator_a.id
    creator_a.delete()
    with pytest.raises(Creator.DoesNotExist):
        creator_get(creator_id=creator_id)
