"""Schemathesis against the OpenAPI schema, in-process through the WSGI app, as an API key of
creator A: generated requests never cause a server error, and every documented answer
matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from huntaze.accounts.services import api_key_create
from huntaze.config.api import api
from huntaze.core.context import Actor
from tests.factories import creator_owned_rows


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes "old" connections around each request, which would close the test's
    transaction on PostgreSQL; Django's own test client suspends that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def workspace_a(creator_a, owner_a, creator_b, owner_b):
    """Creator A with one row of everything, and a neighbour B, so lists have items."""
    creator_owned_rows(creator=creator_a, user=owner_a, marker="a")
    creator_owned_rows(creator=creator_b, user=owner_b, marker="b")
    return Actor(creator_id=creator_a.id, user_id=owner_a.id, role="owner")


# Built from the API object at import (no server, no database needed), answered by the WSGI app.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case, workspace_a):
    if case.path.startswith("/api/cron/"):
        token = "test-cron-secret"
    else:
        # A fresh key per example: a generated DELETE may revoke the one used before.
        token = api_key_create(actor=workspace_a, name="fuzz").raw_key

    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
