"""HTTP surface: health, models, auth, input errors, dry run, metrics, in-process use."""

from __future__ import annotations

import json

import httpx
import pytest
from router_testing import SERVICE_KEY, router_settings

from ai_router.main import close_app, create_app
from ai_router.settings import Settings

AUTH = {"Authorization": f"Bearer {SERVICE_KEY}"}
HELLO = {"model": "auto", "messages": [{"role": "user", "content": "Hello, who are you?"}]}


@pytest.fixture
async def router_client() -> httpx.AsyncClient:
    app = create_app(router_settings({}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        yield client
    await close_app(app)


async def test_health_answers_ok_without_a_key(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.get("/health")
    # Then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_lists_every_deployment_with_its_circuit(
    router_client: httpx.AsyncClient,
) -> None:
    # When
    response = await router_client.get("/health/ready")
    # Then
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ready"
    assert body["circuit_backend"] == "memory"
    by_name = {deployment["name"]: deployment for deployment in body["deployments"]}
    assert by_name["gemini-flash"]["is_configured"] is False
    assert by_name["gemini-flash"]["missing_configuration"] == "GEMINI_API_KEY is not set"
    assert by_name["local"] == {
        "name": "local",
        "provider": "local",
        "model": "local/retrieval-v1",
        "is_configured": True,
        "missing_configuration": None,
        "is_available": True,
        "circuit": {"state": "closed", "consecutive_failures": 0, "open_until_s": None},
        "expected_latency_ms": 5.0,
    }


async def test_models_lists_the_route_aliases(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.get("/v1/models", headers=AUTH)
    # Then
    assert response.status_code == 200
    identifiers = [model["id"] for model in response.json()["data"]]
    assert identifiers == [
        "auto",
        "huntaze-reply-suggestion",
        "huntaze-caption",
        "huntaze-campaign",
        "huntaze-flow",
        "huntaze-insight-summary",
        "huntaze-reasoning",
        "huntaze-vision",
        "huntaze-transcription",
        "local",
    ]
    assert response.json()["data"][1]["object"] == "model"


async def test_missing_key_is_refused_with_401(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.post("/v1/chat/completions", json=HELLO)
    # Then
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "message": "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
            "type": "invalid_request_error",
            "param": None,
            "code": "missing_api_key",
        }
    }


async def test_wrong_key_is_refused_with_401(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.post(
        "/v1/chat/completions", json=HELLO, headers={"Authorization": "Bearer not-the-key"}
    )
    # Then
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert response.json()["error"]["message"] == "Incorrect API key provided."


async def test_auth_is_off_when_no_keys_are_configured() -> None:
    # Given
    app = create_app(Settings.from_env({}))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=HELLO)
    await close_app(app)
    # Then
    assert response.status_code == 200
    assert response.json()["model"] == "local/retrieval-v1"


async def test_malformed_json_is_a_400_invalid_json(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.post(
        "/v1/chat/completions",
        content=b'{"model": "auto", "messages": [',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    # Then
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "invalid_json"
    assert error["message"].startswith("We could not parse the JSON body of your request")


async def test_json_that_is_not_an_object_is_a_400(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.post("/v1/chat/completions", json=[1, 2], headers=AUTH)
    # Then
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The request body must be a JSON object."


async def test_unknown_model_alias_is_a_404_model_not_found(
    router_client: httpx.AsyncClient,
) -> None:
    # When
    response = await router_client.post(
        "/v1/chat/completions", json={**HELLO, "model": "gpt-17"}, headers=AUTH
    )
    # Then
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "model_not_found"
    assert error["param"] == "model"
    assert error["message"].startswith("The model 'gpt-17' does not exist.")


@pytest.mark.parametrize(
    ("body", "param", "message"),
    [
        ({"messages": HELLO["messages"]}, "model", "'model' must be a non-empty string."),
        ({"model": "auto", "messages": []}, "messages", "'messages' must be a non-empty array."),
        (
            {"model": "auto", "messages": [{"role": "robot", "content": "hi"}]},
            "messages[0].role",
            "'messages[0].role' must be one of ['assistant', 'developer', 'function', 'system', 'tool', 'user'].",
        ),
        ({**HELLO, "stream": "yes"}, "stream", "'stream' must be a boolean."),
        ({**HELLO, "n": 0}, "n", "'n' must be an integer between 1 and 10."),
        (
            {**HELLO, "task": "poetry"},
            "task",
            "'task' must be one of ['reply_suggestion', 'caption', 'campaign', 'flow', "
            "'insight_summary', 'reasoning', 'vision', 'transcription', 'general'].",
        ),
        (
            {**HELLO, "context": {"examples": [{"input": "hi"}]}},
            "context.examples[0]",
            "each of 'context.examples' needs a string 'output' (and an 'input').",
        ),
    ],
)
async def test_invalid_fields_are_400s_naming_the_field(
    router_client: httpx.AsyncClient, body: dict[str, object], param: str, message: str
) -> None:
    # When
    response = await router_client.post("/v1/chat/completions", json=body, headers=AUTH)
    # Then
    assert response.status_code == 400
    assert response.json() == {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    }


async def test_body_over_the_size_limit_is_a_413() -> None:
    # Given a router accepting 2 kB bodies
    settings = router_settings({"AI_ROUTER_MAX_REQUEST_BYTES": "2048"})
    app = create_app(settings)
    body = {"model": "auto", "messages": [{"role": "user", "content": "x" * 4000}]}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    await close_app(app)
    # Then
    assert response.status_code == 413
    assert response.json()["error"] == {
        "message": "The request body is larger than 2048 bytes.",
        "type": "invalid_request_error",
        "param": None,
        "code": "request_too_large",
    }


async def test_prompt_over_the_token_limit_is_a_400_context_length_exceeded() -> None:
    # Given a router accepting prompts of at most 1 000 tokens
    app = create_app(router_settings({}, {"router": {"max_prompt_tokens": 1000}}))
    body = {"model": "auto", "messages": [{"role": "user", "content": "word " * 2000}]}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=body, headers=AUTH)
    await close_app(app)
    # Then
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "context_length_exceeded"
    assert error["param"] == "messages"
    assert error["message"] == (
        "This request is about 2504 tokens; the router accepts at most 1000. Shorten the messages."
    )


async def test_unknown_path_and_method_are_openai_style_errors(
    router_client: httpx.AsyncClient,
) -> None:
    # When
    missing = await router_client.get("/v1/nothing-here", headers=AUTH)
    wrong_method = await router_client.get("/v1/chat/completions", headers=AUTH)
    # Then
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


async def test_unknown_plan_is_a_400(router_client: httpx.AsyncClient) -> None:
    # When
    response = await router_client.post(
        "/v1/chat/completions", json=HELLO, headers={**AUTH, "X-Plan": "platinum"}
    )
    # Then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_plan"
    assert response.json()["error"]["param"] == "X-Plan"


async def test_dry_run_shows_classification_choice_reason_and_cost(
    router_client: httpx.AsyncClient,
) -> None:
    # Given
    body = {
        "model": "auto",
        "messages": [
            {"role": "user", "content": "Write an Instagram caption for my beach photoshoot"}
        ],
    }
    # When
    response = await router_client.post("/v1/route", json=body, headers=AUTH)
    # Then
    decision = response.json()
    assert response.status_code == 200
    assert decision["object"] == "router.decision"
    assert decision["classification"]["task"] == "caption"
    assert decision["classification"]["complexity"] == "low"
    assert decision["classification"]["features"]["keyword_matches"] == {
        "caption": ["caption", "instagram"]
    }
    assert decision["deployment"] == "local"
    assert decision["estimated_cost_usd"] == 0.0
    assert decision["why"].startswith("task 'caption' (keywords for 'caption' scored 2)")
    assert decision["candidates"][0] == {
        "deployment": "gemini-flash",
        "provider": "gemini",
        "model": "gemini-2.0-flash-exp",
        "estimated_cost_usd": 0.000207,
        "expected_latency_ms": 700.0,
        "skipped": "not configured: GEMINI_API_KEY is not set",
    }
    assert decision["budget"] is None


async def test_in_process_client_through_asgi_transport_gets_a_local_answer() -> None:
    # Given the app the web process builds when AI_ROUTER_URL is unset (no lifespan runs)
    app = create_app(Settings.from_env({}))
    body = {
        "model": "huntaze-reply-suggestion",
        "messages": [{"role": "user", "content": "hey gorgeous, how was your weekend?"}],
        "context": {"fan": {"name": "Sam"}, "n": 3},
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://ai-router"
    ) as client:
        # When
        response = await client.post("/v1/chat/completions", json=body)
    await close_app(app)
    # Then
    completion = response.json()
    assert response.status_code == 200
    assert completion["model"] == "local/retrieval-v1"
    assert len(completion["choices"]) == 3
    assert len({choice["message"]["content"] for choice in completion["choices"]}) == 3
    assert all("Sam" in choice["message"]["content"] for choice in completion["choices"])
    assert response.headers["x-router-deployment"] == "local"
    assert response.headers["x-router-task"] == "reply_suggestion"


async def test_metrics_count_requests_per_task_and_deployment(
    router_client: httpx.AsyncClient,
) -> None:
    # Given
    await router_client.post("/v1/chat/completions", json=HELLO, headers=AUTH)
    await router_client.post("/v1/chat/completions", json=HELLO, headers=AUTH)
    # When
    response = await router_client.get("/metrics")
    # Then
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert 'ai_router_requests_total{deployment="local",outcome="ok",task="general"} 2.0' in lines
    assert 'ai_router_tokens_total{deployment="local",direction="input"} 18.0' in lines


async def test_request_id_is_echoed_and_usage_headers_are_set(
    router_client: httpx.AsyncClient,
) -> None:
    # When
    response = await router_client.post(
        "/v1/chat/completions", json=HELLO, headers={**AUTH, "X-Request-Id": "req-123"}
    )
    # Then
    headers = response.headers
    assert headers["x-request-id"] == "req-123"
    assert headers["x-router-provider"] == "local"
    assert headers["x-router-model"] == "local/retrieval-v1"
    assert headers["x-router-cost-usd"] == "0.000000"
    assert headers["x-router-fallback-path"] == "local"
    usage = response.json()["usage"]
    assert headers["x-router-tokens-in"] == str(usage["prompt_tokens"])
    assert json.loads(response.text)["usage"]["fallback_path"] == ["local"]
