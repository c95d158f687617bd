"""Routing policy: seed defaults, skips, plans, cost and latency, modalities, policy checks."""

from __future__ import annotations

from typing import Any

import pytest

from ai_router.circuit import CircuitState
from ai_router.policy import PolicyError, load_policy
from ai_router.providers import resolve_deployments
from ai_router.routing import RouteDecision, Router
from ai_router.schemas import ChatRequest, parse_chat_request
from ai_router.settings import DEFAULT_POLICY_PATH, Settings

# Every provider "configured" with addresses that are never called: decisions only.
ALL_PROVIDERS = {
    "GEMINI_API_KEY": "key",
    "AZURE_AI_CHAT_ENDPOINT": "http://127.0.0.1:9/models",
    "AZURE_DEEPSEEK_R1_ENDPOINT": "http://127.0.0.1:9/models",
    "AZURE_PHI4_MULTIMODAL_ENDPOINT": "http://127.0.0.1:9/models",
    "AZURE_AI_CHAT_KEY": "key",
    "AZURE_SPEECH_KEY": "key",
    "AZURE_OPENAI_ENDPOINT": "http://127.0.0.1:9",
    "AZURE_OPENAI_API_KEY": "key",
    "DEEPSEEK_API_KEY": "key",
    "OPENAI_API_KEY": "key",
    "OPENAI_COMPATIBLE_BASE_URL": "http://127.0.0.1:9/v1",
}
IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
AUDIO = {"type": "input_audio", "input_audio": {"data": "AAAA" * 1000, "format": "wav"}}


def make_router(environment: dict[str, str], overrides: dict[str, Any] | None = None) -> Router:
    settings = Settings.from_env(environment, policy_overrides=overrides)
    policy = load_policy(settings.policy_path, settings.policy_overrides)
    deployments, _ = resolve_deployments(policy, settings)
    return Router(policy=policy, deployments=deployments)


def request(content: Any, **fields: Any) -> ChatRequest:
    return parse_chat_request(
        {"model": "auto", "messages": [{"role": "user", "content": content}], **fields}
    )


def decide(
    router: Router,
    chat_request: ChatRequest,
    *,
    plan: str | None = None,
    circuits: dict[str, CircuitState] | None = None,
    remaining_micro_usd: int | None = None,
) -> RouteDecision:
    return router.decide(
        chat_request,
        plan_name=plan,
        circuit_states=circuits or {},
        remaining_budget_micro_usd=remaining_micro_usd,
    )


def order(decision: RouteDecision) -> list[str]:
    return [candidate.deployment.name for candidate in decision.available]


@pytest.mark.parametrize(
    ("task", "complexity", "first"),
    [
        ("reply_suggestion", "low", "gemini-flash"),
        ("caption", "medium", "gemini-flash"),
        ("campaign", "high", "gemini-flash"),
        ("reasoning", "low", "gemini-flash"),
        ("reasoning", "medium", "azure-deepseek-r1"),
        ("reasoning", "high", "azure-deepseek-r1"),
    ],
)
def test_seed_defaults_put_gemini_first_and_deepseek_r1_on_reasoning(
    task: str, complexity: str, first: str
) -> None:
    # Given every provider configured
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("Hello there", task=task, complexity=complexity))
    # Then
    assert decision.chosen.deployment.name == first
    assert order(decision)[-1] == "local"


def test_generation_falls_back_from_gemini_to_deepseek_v3_then_openai() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("Hello there", task="caption", complexity="low"))
    # Then
    assert order(decision) == [
        "gemini-flash",
        "azure-deepseek-v3",
        "deepseek-chat",
        "openai-gpt-4o-mini",
        "azure-openai-gpt-4o-mini",
        "self-hosted",
        "local",
    ]


def test_vision_goes_to_phi4_multimodal_and_skips_text_only_models() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request([{"type": "text", "text": "what is this?"}, IMAGE, IMAGE]))
    # Then
    assert decision.classification.task == "vision"
    assert decision.classification.complexity == "medium"
    assert order(decision) == ["azure-phi4-multimodal", "gemini-flash", "openai-gpt-4o", "local"]


def test_transcription_goes_to_azure_speech() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request([AUDIO]))
    # Then
    assert decision.classification.task == "transcription"
    assert order(decision) == ["azure-speech", "gemini-flash", "azure-phi4-multimodal", "local"]


def test_speech_only_deployment_is_skipped_for_text() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("transcribe please", task="transcription"))
    # Then
    skipped = {c.deployment.name: c.skip_reason for c in decision.candidates if c.skip_reason}
    assert skipped == {"azure-speech": "reads only audio"}


def test_unconfigured_deployments_are_skipped_and_local_answers() -> None:
    # Given no provider key at all
    router = make_router({})
    # When
    decision = decide(router, request("Hello there"))
    # Then
    assert order(decision) == ["local"]
    reasons = {c.deployment.name: c.skip_reason for c in decision.candidates}
    assert reasons["gemini-flash"] == "not configured: GEMINI_API_KEY is not set"
    assert reasons["azure-deepseek-v3"] == "not configured: AZURE_AI_CHAT_ENDPOINT is not set"
    assert reasons["self-hosted"] == "not configured: OPENAI_COMPATIBLE_BASE_URL is not set"
    assert reasons["local"] is None


def test_local_is_always_last_whatever_the_policy_says() -> None:
    # Given a policy listing local first
    router = make_router(
        ALL_PROVIDERS, {"routes": {"default": {"low": ["local", "openai-gpt-4o-mini"]}}}
    )
    # When
    decision = decide(router, request("Hello there", complexity="low"))
    # Then
    assert order(decision) == ["openai-gpt-4o-mini", "local"]


def test_an_open_circuit_skips_the_deployment() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    circuits = {
        "gemini-flash": CircuitState(state="open", consecutive_failures=3, open_until_s=2e9)
    }
    # When
    decision = decide(router, request("Hello there", complexity="low"), circuits=circuits)
    # Then
    assert decision.chosen.deployment.name == "azure-deepseek-v3"
    assert decision.candidates[0].skip_reason == "cooling down until 2000000000"


def test_free_plan_picks_the_cheapest_within_its_latency_cap() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("Hello", task="reasoning", complexity="high"), plan="free")
    # Then gemini ($0.10/$0.40) before deepseek-reasoner ($0.55/$2.19); R1 (8 s) is over 3 s
    assert order(decision) == [
        "self-hosted",
        "gemini-flash",
        "deepseek-reasoner",
        "azure-deepseek-r1",
        "local",
    ]
    assert decision.selection == "cost"
    assert decision.latency_cap_ms == 3000


def test_a_request_latency_cap_moves_slow_deployments_back() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(
        router, request("Hello", task="reasoning", complexity="medium", latency_cap_ms=2000)
    )
    # Then
    assert order(decision) == [
        "gemini-flash",
        "openai-gpt-4o",
        "self-hosted",
        "azure-deepseek-r1",
        "deepseek-reasoner",
        "local",
    ]


def test_estimated_cost_uses_the_price_table_and_max_tokens() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When 4 + 100 tokens in ("x" * 400), 200 out, at gpt-4o $2.50/$10 per million
    decision = decide(
        router,
        request("x" * 400, task="reasoning", complexity="high", max_tokens=200),
        plan="pro",
    )
    # Then
    gpt_4o = next(c for c in decision.candidates if c.deployment.name == "openai-gpt-4o")
    assert gpt_4o.estimated_cost_micro_usd == 104 * 2.5 + 200 * 10
    assert decision.estimated_tokens_in == 104
    assert decision.estimated_tokens_out == 200


def test_remaining_budget_skips_what_the_tenant_cannot_afford() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("Hello there", complexity="low"), remaining_micro_usd=260)
    # Then gemini's ~207 micro-USD estimate fits, the others do not
    assert order(decision) == ["gemini-flash", "self-hosted", "local"]


def test_context_window_skips_small_models() -> None:
    # Given a 70 000-token prompt, above DeepSeek's 64 000
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(router, request("x" * 280_000, complexity="low"))
    # Then
    skipped = {c.deployment.name: c.skip_reason for c in decision.candidates if c.skip_reason}
    assert skipped == {
        "deepseek-chat": "context window 64000 < 70004 tokens",
        "self-hosted": "context window 32000 < 70004 tokens",
    }


def test_a_pinned_alias_uses_only_its_deployments() -> None:
    # Given
    router = make_router(ALL_PROVIDERS)
    # When
    decision = decide(
        router,
        parse_chat_request({"model": "local", "messages": [{"role": "user", "content": "hi"}]}),
    )
    # Then
    assert order(decision) == ["local"]


def test_a_model_env_var_overrides_the_deployment_model() -> None:
    # Given
    router = make_router({**ALL_PROVIDERS, "GEMINI_MODEL": "gemini-2.5-flash"})
    # When
    decision = decide(router, request("Hello there", complexity="low"))
    # Then the price falls back to the policy model's
    assert decision.chosen.deployment.model == "gemini-2.5-flash"
    assert decision.chosen.estimated_cost_micro_usd == 206


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"routes": {"default": {"low": ["no-such-deployment"]}}},
            "routes.default.low: unknown deployment 'no-such-deployment'",
        ),
        ({"routes": {"poetry": ["local"]}}, "routes: unknown task 'poetry'"),
        (
            {"deployments": {"extra": {"provider": "openai", "model": "gpt-9"}}},
            "prices: no price for model 'gpt-9' (extra)",
        ),
        (
            {"deployments": {"extra": {"provider": "acme", "model": "x"}}},
            "deployments.extra.provider must be one of ['azure_foundry', 'azure_openai', "
            "'azure_speech', 'deepseek', 'gemini', 'local', 'openai', 'openai_compatible']",
        ),
        (
            {"plans": {"free": {"selection": "random"}}},
            "plans.free.selection must be one of ['cost', 'ordered']",
        ),
    ],
)
def test_an_inconsistent_policy_fails_at_load(overrides: dict[str, Any], message: str) -> None:
    # When / Then
    with pytest.raises(PolicyError) as raised:
        load_policy(DEFAULT_POLICY_PATH, overrides)
    assert str(raised.value) == message
