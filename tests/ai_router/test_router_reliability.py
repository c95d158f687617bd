"""Retries, fallback, cooldown (circuit breakers) and timeouts, against fake providers."""

from __future__ import annotations

import socket
import time

import httpx
import openai
import pytest
from router_fakes import Reply
from router_testing import AUTH_HEADERS, FakeProviders, StartRouter, router_settings

from ai_router.main import close_app, create_app

MESSAGES = [{"role": "user", "content": "Hello, who are you?"}]


def usage_of(completion: openai.types.chat.ChatCompletion) -> dict[str, object]:
    assert completion.usage is not None
    return dict(completion.usage.model_extra or {})


def test_server_errors_are_retried_then_the_next_deployment_answers(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given DeepSeek first on the route, failing twice with 503
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(Reply(status=503), Reply(status=503))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "gpt-4o-mini"
    assert usage_of(completion)["fallback_path"] == [
        "deepseek-chat:server_error",
        "deepseek-chat:server_error",
        "openai-gpt-4o-mini",
    ]
    assert len(fakes.deepseek.requests) == 2
    assert len(fakes.openai.requests) == 1


def test_rate_limit_is_retried_after_the_retry_after_delay(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(Reply(status=429, headers={"retry-after": "0.3"}))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "deepseek-chat"
    first, second = fakes.deepseek.requests
    assert second.received_at_s - first.received_at_s >= 0.3
    assert usage_of(completion)["fallback_path"] == ["deepseek-chat:rate_limited", "deepseek-chat"]
    assert fakes.openai.requests == []


def test_retry_after_longer_than_the_cap_moves_on_without_waiting(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a 429 asking for 30 s, above the 1 s cap of the test policy
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(Reply(status=429, headers={"retry-after": "30"}))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "gpt-4o-mini"
    assert len(fakes.deepseek.requests) == 1
    assert usage_of(completion)["fallback_path"] == [
        "deepseek-chat:rate_limited",
        "openai-gpt-4o-mini",
    ]


def test_a_400_from_the_provider_is_neither_retried_nor_sent_elsewhere(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(
        Reply(
            status=400,
            error_body={
                "error": {"message": "temperature must be <= 2", "type": "invalid_request_error"}
            },
        )
    )
    # When
    with router.client() as client, pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="auto", messages=MESSAGES, temperature=3)
    # Then
    assert raised.value.status_code == 400
    assert raised.value.code == "upstream_invalid_request"
    assert raised.value.body == {
        "message": "deepseek-chat rejected the request: temperature must be <= 2",
        "type": "invalid_request_error",
        "param": None,
        "code": "upstream_invalid_request",
    }
    assert len(fakes.deepseek.requests) == 1
    assert fakes.openai.requests == []


def test_malformed_json_from_a_provider_falls_back(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(Reply(raw_body=b'{"choices": [oops'))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "gpt-4o-mini"
    assert usage_of(completion)["fallback_path"] == [
        "deepseek-chat:bad_response",
        "openai-gpt-4o-mini",
    ]
    assert len(fakes.deepseek.requests) == 1


def test_a_slow_deployment_times_out_and_the_next_one_answers(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given DeepSeek with a 0.2 s timeout answering after 1 s
    router = start_router(
        fakes.environment("deepseek", "openai"),
        policy_overrides={
            "deployments": {"deepseek-chat": {"timeout_s": 0.2}},
            "reliability": {"max_attempts": 1},
        },
    )
    fakes.deepseek.enqueue(Reply(delay_s=1.0))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "gpt-4o-mini"
    assert usage_of(completion)["fallback_path"] == ["deepseek-chat:timeout", "openai-gpt-4o-mini"]


def test_every_remote_deployment_failing_still_gets_a_local_answer(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    fakes.openai.enqueue(Reply(status=500), Reply(status=502))
    # When
    with router.client() as client:
        completion = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    assert completion.model == "local/retrieval-v1"
    assert usage_of(completion)["fallback_path"] == [
        "openai-gpt-4o-mini:server_error",
        "openai-gpt-4o-mini:server_error",
        "local",
    ]


def test_a_failing_deployment_is_cooled_down_and_skipped(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a circuit that opens after one exhausted deployment, for a minute
    router = start_router(
        fakes.environment("deepseek", "openai"),
        policy_overrides={"reliability": {"cooldown_failures": 1, "cooldown_s": 60}},
    )
    fakes.deepseek.enqueue(Reply(status=500), Reply(status=500))
    with router.client() as client:
        client.chat.completions.create(model="auto", messages=MESSAGES)
        # When
        second = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then the second request does not touch DeepSeek
    assert len(fakes.deepseek.requests) == 2
    assert usage_of(second)["fallback_path"] == ["openai-gpt-4o-mini"]
    ready = httpx.get(f"{router.url}/health/ready").json()
    circuit = next(item for item in ready["deployments"] if item["name"] == "deepseek-chat")
    assert circuit["is_available"] is False
    assert circuit["circuit"]["state"] == "open"
    assert circuit["circuit"]["consecutive_failures"] == 1
    metrics = httpx.get(f"{router.url}/metrics").text.splitlines()
    assert 'ai_router_circuit_open{deployment="deepseek-chat"} 1.0' in metrics
    assert (
        'ai_router_provider_errors_total{deployment="deepseek-chat",kind="server_error"} 2.0'
        in metrics
    )


def test_after_the_cooldown_a_trial_call_closes_the_circuit(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given a circuit opened for 0.2 s
    router = start_router(
        fakes.environment("deepseek", "openai"),
        policy_overrides={"reliability": {"cooldown_failures": 1, "cooldown_s": 0.2}},
    )
    fakes.deepseek.enqueue(Reply(status=500), Reply(status=500))
    with router.client() as client:
        client.chat.completions.create(model="auto", messages=MESSAGES)
        time.sleep(0.25)
        half_open = httpx.get(f"{router.url}/health/ready").json()
        # When
        trial = client.chat.completions.create(model="auto", messages=MESSAGES)
    # Then
    states = {item["name"]: item["circuit"]["state"] for item in half_open["deployments"]}
    assert states["deepseek-chat"] == "half_open"
    assert trial.model == "deepseek-chat"
    ready = httpx.get(f"{router.url}/health/ready").json()
    closed = next(item for item in ready["deployments"] if item["name"] == "deepseek-chat")
    assert closed["circuit"] == {"state": "closed", "consecutive_failures": 0, "open_until_s": None}


def test_a_stream_that_fails_before_its_first_chunk_falls_back(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("deepseek", "openai"))
    fakes.deepseek.enqueue(Reply(status=500), Reply(status=500))
    # When
    with router.client() as client:
        chunks = list(client.chat.completions.create(model="auto", messages=MESSAGES, stream=True))
    # Then
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == "Hello from the fake OpenAI."
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.model_extra["fallback_path"] == [
        "deepseek-chat:server_error",
        "deepseek-chat:server_error",
        "openai-gpt-4o-mini",
    ]


def test_a_stream_breaking_midway_ends_with_an_error_event(
    fakes: FakeProviders, start_router: StartRouter
) -> None:
    # Given
    router = start_router(fakes.environment("openai"))
    fakes.openai.enqueue(Reply(stream_break_after_chunks=2))
    received: list[str] = []

    def read_stream(client: openai.OpenAI) -> None:
        for chunk in client.chat.completions.create(model="auto", messages=MESSAGES, stream=True):
            received.extend(choice.delta.content or "" for choice in chunk.choices)

    # When
    with router.client() as client, pytest.raises(openai.APIError) as raised:
        read_stream(client)
    # Then
    assert "".join(received) == "Hello from "
    assert raised.value.message == "openai-gpt-4o-mini failed mid-stream: upstream broke"


async def test_cooldown_is_shared_between_workers_through_redis(
    fakes: FakeProviders, redis_url: str
) -> None:
    # Given two router processes (apps) sharing one Redis
    environment = {**fakes.environment("deepseek", "openai"), "REDIS_URL": redis_url}
    overrides = {"reliability": {"cooldown_failures": 1, "cooldown_s": 60}}
    first_app = create_app(router_settings(environment, overrides))
    second_app = create_app(router_settings(environment, overrides))
    fakes.deepseek.enqueue(Reply(status=500), Reply(status=500))
    body = {"model": "auto", "messages": MESSAGES}
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=first_app), base_url="http://one"
        ) as one,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=second_app), base_url="http://two"
        ) as two,
    ):
        await one.post("/v1/chat/completions", json=body, headers=AUTH_HEADERS)
        # When the second worker routes a request
        response = await two.post("/v1/chat/completions", json=body, headers=AUTH_HEADERS)
        ready = (await two.get("/health/ready")).json()
    await close_app(first_app)
    await close_app(second_app)
    # Then it skipped DeepSeek without calling it
    assert response.json()["usage"]["fallback_path"] == ["openai-gpt-4o-mini"]
    assert len(fakes.deepseek.requests) == 2
    assert ready["circuit_backend"] == "redis"
    circuit = next(item for item in ready["deployments"] if item["name"] == "deepseek-chat")
    assert circuit["circuit"]["state"] == "open"


async def test_an_unreachable_redis_degrades_to_memory_without_failing_requests(
    fakes: FakeProviders,
) -> None:
    # Given a REDIS_URL where nothing listens
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed_port = probe.getsockname()[1]
    probe.close()
    environment = {**fakes.environment("openai"), "REDIS_URL": f"redis://127.0.0.1:{closed_port}/0"}
    app = create_app(router_settings(environment))
    headers = {**AUTH_HEADERS, "X-Tenant-Id": "creator-3"}
    body = {"model": "auto", "messages": MESSAGES}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        first = await client.post("/v1/chat/completions", json=body, headers=headers)
        second = await client.post("/v1/chat/completions", json=body, headers=headers)
        ready = (await client.get("/health/ready")).json()
    await close_app(app)
    # Then
    assert (first.status_code, second.status_code) == (200, 200)
    assert ready["status"] == "degraded"
    assert ready["circuit_backend"] == "redis"
