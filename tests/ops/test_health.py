"""Liveness, readiness and metrics."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from huntaze.web import ops


def test_health_is_ok_without_touching_anything():
    response = Client().get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_cache_and_broker(db):
    response = Client().get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in {"ok", "in-process"}


def test_ready_is_503_when_the_database_is_down(db, monkeypatch):
    def down() -> str:
        raise OperationalError("connection refused")

    monkeypatch.setattr(ops, "_check_database", down)

    response = Client().get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": "error: OperationalError",
            "cache": "ok",
            "broker": response.json()["checks"]["broker"],
        },
    }


def test_ready_is_503_when_the_cache_loses_writes(db, monkeypatch):
    monkeypatch.setattr(ops.cache, "get", lambda key, default=None: None)

    response = Client().get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "miss"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_routes_only_answer_get(method):
    assert getattr(Client(), method)("/health").status_code == 405


def test_metrics_need_the_token(db):
    client = Client()

    anonymous = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})

    for response in (anonymous, wrong):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert b"huntaze_http_requests_total" not in response.content


def test_metrics_with_the_token_count_requests(db):
    client = Client()
    client.get("/api/v1/me")  # a 401 from the API, counted under its route

    response = client.get("/metrics", headers={"Authorization": "Bearer test-metrics-token"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "huntaze_http_requests_total" in text
    assert "huntaze_http_request_duration_seconds_bucket" in text
    assert any(
        line.startswith("huntaze_http_requests_total{")
        and 'method="GET"' in line
        and 'status="401"' in line
        and "api/" in line
        for line in text.splitlines()
    )


def test_metrics_for_a_staff_session(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/metrics").status_code == 200


def test_metrics_refuse_a_plain_member(client_a):
    assert client_a.get("/metrics").status_code == 401
