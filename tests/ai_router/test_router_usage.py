"""Usage of every call as one JSON log line, in the response and in x-router-* headers."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from router_fakes import Reply
from router_testing import AUTH_HEADERS, FakeProviders, router_settings

from ai_router.main import close_app, create_app

BODY = {"model": "auto", "messages": [{"role": "user", "content": "Hello, who are you?"}]}


def usage_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "ai_router.usage"
    ]


async def test_a_call_writes_one_json_usage_line(
    fakes: FakeProviders, caplog: pytest.LogCaptureFixture
) -> None:
    # Given
    app = create_app(router_settings(fakes.environment("deepseek", "openai")))
    fakes.deepseek.enqueue(Reply(status=502), Reply(status=502))
    headers = {**AUTH_HEADERS, "X-Tenant-Id": "creator-7", "X-Request-Id": "req-42"}
    caplog.set_level(logging.INFO, logger="ai_router.usage")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=BODY, headers=headers)
    await close_app(app)
    # Then
    [line] = usage_lines(caplog)
    latency_ms = line.pop("latency_ms")
    assert isinstance(latency_ms, float)
    assert line == {
        "event": "ai_router.usage",
        "request_id": "req-42",
        "tenant_id": "creator-7",
        "plan": "default",
        "task": "general",
        "complexity": "low",
        "model_alias": "auto",
        "deployment": "openai-gpt-4o-mini",
        "provider": "openai",
        "model": "gpt-4o-mini",
        "tokens_in": 11,
        "tokens_out": 7,
        "cost_usd": 0.000006,
        "fallback_path": [
            "deepseek-chat:server_error",
            "deepseek-chat:server_error",
            "openai-gpt-4o-mini",
        ],
        "is_estimated": False,
        "is_stream": False,
        "outcome": "ok",
    }
    assert response.headers["x-router-tokens-in"] == "11"
    assert response.headers["x-router-tokens-out"] == "7"
    assert response.headers["x-router-fallback-path"] == (
        "deepseek-chat:server_error,deepseek-chat:server_error,openai-gpt-4o-mini"
    )


async def test_a_stream_logs_its_usage_when_it_ends(
    fakes: FakeProviders, caplog: pytest.LogCaptureFixture
) -> None:
    # Given
    app = create_app(router_settings(fakes.environment("openai")))
    caplog.set_level(logging.INFO, logger="ai_router.usage")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post(
            "/v1/chat/completions", json={**BODY, "stream": True}, headers=AUTH_HEADERS
        )
    await close_app(app)
    # Then
    [line] = usage_lines(caplog)
    assert (line["is_stream"], line["tokens_in"], line["tokens_out"]) == (True, 11, 7)
    events = [chunk for chunk in response.text.split("\n\n") if chunk]
    assert events[-1] == "data: [DONE]"
    last = json.loads(events[-2].removeprefix("data: "))
    assert last["choices"] == []
    assert last["usage"]["cost_usd"] == line["cost_usd"] == 0.000006


async def test_usage_logging_can_be_switched_off(caplog: pytest.LogCaptureFixture) -> None:
    # Given
    app = create_app(router_settings({"AI_ROUTER_USAGE_LOG": "off"}))
    caplog.set_level(logging.INFO, logger="ai_router.usage")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=BODY, headers=AUTH_HEADERS)
    await close_app(app)
    # Then
    assert response.status_code == 200
    assert usage_lines(caplog) == []
