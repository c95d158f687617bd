"""Per-tenant monthly budgets: enforced before the call, charged after, per plan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from router_testing import AUTH_HEADERS, FakeProviders, router_settings

from ai_router.budget import current_month
from ai_router.engine import RouterEngine
from ai_router.main import close_app, create_app, get_engine

BODY = {"model": "auto", "messages": [{"role": "user", "content": "Hello, who are you?"}]}


@dataclass
class InProcessRouter:
    client: httpx.AsyncClient
    engine: RouterEngine


@pytest.fixture
async def router(fakes: FakeProviders) -> AsyncIterator[InProcessRouter]:
    app = create_app(router_settings(fakes.environment("openai")))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://router"
    ) as client:
        yield InProcessRouter(client=client, engine=get_engine(app))
    await close_app(app)


async def test_each_call_is_charged_to_the_tenant_from_the_price_table(
    router: InProcessRouter,
) -> None:
    # When
    response = await router.client.post(
        "/v1/chat/completions", json=BODY, headers={**AUTH_HEADERS, "X-Tenant-Id": "creator-1"}
    )
    # Then 11 input tokens at $0.15/M and 7 output at $0.60/M: 5.85, rounded up to 6 micro-USD
    assert response.status_code == 200
    assert response.json()["usage"]["cost_usd"] == 0.000006
    assert await router.engine.budgets.spent_micro_usd("creator-1", current_month()) == 6
    assert await router.engine.budgets.spent_micro_usd("creator-2", current_month()) == 0


async def test_a_spent_budget_refuses_with_402_and_charges_nothing(
    router: InProcessRouter, fakes: FakeProviders
) -> None:
    # Given a free-plan tenant (5 USD a month) that has spent 5 USD
    month = current_month()
    await router.engine.budgets.add("creator-1", month, 5_000_000)
    # When
    response = await router.client.post(
        "/v1/chat/completions",
        json=BODY,
        headers={**AUTH_HEADERS, "X-Tenant-Id": "creator-1", "X-Plan": "free"},
    )
    # Then
    assert response.status_code == 402
    assert response.json() == {
        "error": {
            "message": f"Tenant 'creator-1' has spent its monthly AI budget ($5.00 of $5.00 in {month}).",
            "type": "insufficient_quota",
            "param": None,
            "code": "budget_exceeded",
        }
    }
    assert fakes.openai.requests == []
    assert await router.engine.budgets.spent_micro_usd("creator-1", month) == 5_000_000


async def test_the_same_spend_is_within_a_larger_plan(
    router: InProcessRouter, fakes: FakeProviders
) -> None:
    # Given the same 5 USD spent, on the pro plan (100 USD)
    await router.engine.budgets.add("creator-1", current_month(), 5_000_000)
    # When
    response = await router.client.post(
        "/v1/chat/completions",
        json=BODY,
        headers={**AUTH_HEADERS, "X-Tenant-Id": "creator-1", "X-Plan": "pro"},
    )
    # Then
    assert response.status_code == 200
    assert len(fakes.openai.requests) == 1


async def test_a_budget_header_from_the_web_app_overrides_the_plan(
    router: InProcessRouter,
) -> None:
    # Given
    await router.engine.budgets.add("creator-1", current_month(), 1_000_000)
    headers = {**AUTH_HEADERS, "X-Tenant-Id": "creator-1", "X-Monthly-Budget-Usd": "1.00"}
    # When
    response = await router.client.post("/v1/chat/completions", json=BODY, headers=headers)
    # Then
    assert response.status_code == 402
    assert response.json()["error"]["code"] == "budget_exceeded"


async def test_a_nearly_spent_budget_routes_to_what_it_can_afford(
    router: InProcessRouter, fakes: FakeProviders
) -> None:
    # Given 100 micro-USD left, less than the ~310 micro-USD estimate for gpt-4o-mini
    await router.engine.budgets.add("creator-1", current_month(), 999_900)
    headers = {**AUTH_HEADERS, "X-Tenant-Id": "creator-1", "X-Monthly-Budget-Usd": "1"}
    # When
    response = await router.client.post("/v1/chat/completions", json=BODY, headers=headers)
    dry_run = await router.client.post("/v1/route", json=BODY, headers=headers)
    # Then
    assert response.status_code == 200
    assert response.json()["model"] == "local/retrieval-v1"
    assert fakes.openai.requests == []
    decision = dry_run.json()
    openai_candidate = next(
        item for item in decision["candidates"] if item["deployment"] == "openai-gpt-4o-mini"
    )
    assert openai_candidate["skipped"] == "estimated cost above the remaining budget"
    assert decision["budget"] == {
        "month": current_month(),
        "monthly_budget_usd": 1.0,
        "spent_usd": 0.9999,
        "remaining_usd": 0.0001,
    }


async def test_requests_without_a_tenant_are_not_budgeted(
    router: InProcessRouter, fakes: FakeProviders
) -> None:
    # When
    response = await router.client.post("/v1/chat/completions", json=BODY, headers=AUTH_HEADERS)
    # Then
    assert response.status_code == 200
    assert len(fakes.openai.requests) == 1


async def test_invalid_budget_header_is_a_400(router: InProcessRouter) -> None:
    # When
    response = await router.client.post(
        "/v1/chat/completions",
        json=BODY,
        headers={**AUTH_HEADERS, "X-Tenant-Id": "creator-1", "X-Monthly-Budget-Usd": "lots"},
    )
    # Then
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "X-Monthly-Budget-Usd"


async def test_spend_is_shared_between_workers_through_redis(
    fakes: FakeProviders, redis_url: str
) -> None:
    # Given two router apps on one Redis
    environment = {**fakes.environment("openai"), "REDIS_URL": redis_url}
    first_app = create_app(router_settings(environment))
    second_app = create_app(router_settings(environment))
    headers = {**AUTH_HEADERS, "X-Tenant-Id": "creator-9"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=first_app), base_url="http://one"
    ) as one:
        await one.post("/v1/chat/completions", json=BODY, headers=headers)
        await one.post("/v1/chat/completions", json=BODY, headers=headers)
    # When the second worker reads the tenant's spend
    spent = await get_engine(second_app).budgets.spent_micro_usd("creator-9", current_month())
    await close_app(first_app)
    await close_app(second_app)
    # Then
    assert spent == 12
