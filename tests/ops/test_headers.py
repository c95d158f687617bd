"""Every response carries a request id and the security headers (the seed's Lambda@Edge)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

PATHS = [
    "/health",
    "/health/ready",
    "/metrics",
    "/api/v1/me",
    "/api/v1/no-such-route",
    "/api/openapi.json",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_security_headers(db, path):
    response = Client().get(path)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-Id"])
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_a_signed_in_page_has_them_too(client_a):
    response = client_a.get("/api/v1/me")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_the_api_docs_get_the_same_policy_with_no_inline_scripts(db):
    docs = Client().get("/api/docs")

    assert docs.status_code == 200
    assert (
        "'unsafe-inline'"
        not in docs["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert docs["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("incoming", ["abc-123", "req.7_X", "a" * 64])
def test_a_valid_incoming_request_id_is_echoed(db, incoming):
    response = Client().get("/health", headers={"X-Request-Id": incoming})

    assert response["X-Request-Id"] == incoming


@pytest.mark.parametrize("incoming", ["", "has space", "a" * 65, "semi;colon", "new\\nline"])
def test_an_invalid_incoming_request_id_is_replaced(db, incoming):
    response = Client().get("/health", headers={"X-Request-Id": incoming})

    assert response["X-Request-Id"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-Id"])


def test_each_request_gets_its_own_id(db):
    client = Client()

    first = client.get("/health")["X-Request-Id"]
    second = client.get("/health")["X-Request-Id"]

    assert first != second


def test_api_docs_load_their_assets_from_this_server(client, db):
    response = client.get("/api/docs")

    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "https://" not in body
