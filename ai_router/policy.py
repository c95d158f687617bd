"""Load and check the routing policy file (``policy.toml``) into typed, frozen records."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

from ai_router.schemas import COMPLEXITIES, TASKS

PROVIDERS = frozenset(
    {
        "gemini",
        "azure_foundry",
        "azure_openai",
        "azure_speech",
        "openai",
        "deepseek",
        "openai_compatible",
        "local",
    }
)
SELECTIONS = frozenset({"ordered", "cost"})
MODALITIES = frozenset({"text", "image", "audio"})
LOCAL_DEPLOYMENT = "local"
# 1 USD per million tokens is 1 000 000 pico-dollars per token.
PICO_USD_PER_USD_PER_MILLION = 1_000_000

RouteTable = dict[str, dict[str, tuple[str, ...]]]


class PolicyError(ValueError):
    """The policy file is inconsistent; raised at start-up, never during a request."""


@dataclass(frozen=True, slots=True)
class Price:
    """USD per million tokens, kept also as integer pico-dollars per token (exact to 1e-6 USD
    per million tokens) so costs are computed in integers."""

    input_usd_per_million_tokens: Decimal
    output_usd_per_million_tokens: Decimal
    audio_usd_per_hour: Decimal = Decimal(0)
    input_pico_usd_per_token: int = field(init=False)
    output_pico_usd_per_token: int = field(init=False)

    def __post_init__(self) -> None:
        for name, usd_per_million in (
            ("input_pico_usd_per_token", self.input_usd_per_million_tokens),
            ("output_pico_usd_per_token", self.output_usd_per_million_tokens),
        ):
            pico = (usd_per_million * PICO_USD_PER_USD_PER_MILLION).to_integral_value(
                rounding=ROUND_CEILING
            )
            object.__setattr__(self, name, int(pico))


@dataclass(frozen=True, slots=True)
class DeploymentSpec:
    name: str
    provider: str
    model: str
    model_env: str | None
    key_env: str | None
    endpoint_env: str | None
    modalities: frozenset[str]
    context_window_tokens: int
    typical_latency_ms: int
    timeout_s: float


@dataclass(frozen=True, slots=True)
class PlanPolicy:
    name: str
    monthly_budget_usd: Decimal
    selection: str
    latency_cap_ms: int | None
    routes: RouteTable


@dataclass(frozen=True, slots=True)
class AliasSpec:
    name: str
    description: str
    task: str | None
    deployments: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class ReliabilityPolicy:
    max_attempts: int
    backoff_base_s: float
    backoff_cap_s: float
    retry_after_cap_s: float
    cooldown_failures: int
    cooldown_s: float


@dataclass(frozen=True, slots=True)
class Policy:
    deployments: dict[str, DeploymentSpec]
    prices: dict[str, Price]
    routes: RouteTable
    plans: dict[str, PlanPolicy]
    aliases: dict[str, AliasSpec]
    reliability: ReliabilityPolicy
    default_plan: str
    default_output_tokens: int
    max_prompt_tokens: int

    def plan(self, name: str | None) -> PlanPolicy:
        return self.plans.get(name or self.default_plan) or self.plans[self.default_plan]

    def route(self, *, plan: PlanPolicy, task: str, complexity: str) -> tuple[str, ...]:
        for table in (plan.routes, self.routes):
            names = table.get(task, {}).get(complexity)
            if names:
                return names
        for table in (plan.routes, self.routes):
            names = table.get("default", {}).get(complexity)
            if names:
                return names
        return (LOCAL_DEPLOYMENT,)


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PolicyError(f"{where} must be a number")
    return Decimal(str(value))


def _routes(
    raw: Mapping[str, Any], deployments: Mapping[str, DeploymentSpec], where: str
) -> RouteTable:
    table: RouteTable = {}
    for task, cell in raw.items():
        if task != "default" and task not in TASKS:
            raise PolicyError(f"{where}: unknown task '{task}'")
        if isinstance(cell, list):
            cell = dict.fromkeys(COMPLEXITIES, cell)
        if not isinstance(cell, Mapping):
            raise PolicyError(f"{where}.{task} must be a list or a table of lists")
        table[task] = {}
        for complexity, names in cell.items():
            if complexity not in COMPLEXITIES:
                raise PolicyError(f"{where}.{task}: unknown complexity '{complexity}'")
            for name in names:
                if name not in deployments:
                    raise PolicyError(f"{where}.{task}.{complexity}: unknown deployment '{name}'")
            table[task][complexity] = tuple(names)
    return table


def _deployment(name: str, raw: Mapping[str, Any]) -> DeploymentSpec:
    provider = raw.get("provider")
    if provider not in PROVIDERS:
        raise PolicyError(f"deployments.{name}.provider must be one of {sorted(PROVIDERS)}")
    modalities = frozenset(raw.get("modalities", ["text"]))
    if not modalities <= MODALITIES:
        raise PolicyError(f"deployments.{name}.modalities must be within {sorted(MODALITIES)}")
    model = raw.get("model")
    if not isinstance(model, str) or not model:
        raise PolicyError(f"deployments.{name}.model is required")
    return DeploymentSpec(
        name=name,
        provider=str(provider),
        model=model,
        model_env=raw.get("model_env"),
        key_env=raw.get("key_env"),
        endpoint_env=raw.get("endpoint_env"),
        modalities=modalities,
        context_window_tokens=int(raw.get("context_window_tokens", 128_000)),
        typical_latency_ms=int(raw.get("typical_latency_ms", 1000)),
        timeout_s=float(raw.get("timeout_s", 30.0)),
    )


def policy_from_mapping(raw: Mapping[str, Any]) -> Policy:
    router = raw.get("router", {})
    deployments = {
        name: _deployment(name, spec) for name, spec in raw.get("deployments", {}).items()
    }
    if LOCAL_DEPLOYMENT not in deployments or deployments[LOCAL_DEPLOYMENT].provider != "local":
        raise PolicyError("a deployment named 'local' with provider 'local' is required")
    prices = {
        model: Price(
            input_usd_per_million_tokens=_decimal(
                entry.get("input_usd_per_million_tokens", 0), f"prices.{model}"
            ),
            output_usd_per_million_tokens=_decimal(
                entry.get("output_usd_per_million_tokens", 0), f"prices.{model}"
            ),
            audio_usd_per_hour=_decimal(entry.get("audio_usd_per_hour", 0), f"prices.{model}"),
        )
        for model, entry in raw.get("prices", {}).items()
    }
    for spec in deployments.values():
        if spec.model not in prices:
            raise PolicyError(f"prices: no price for model '{spec.model}' ({spec.name})")
    routes = _routes(raw.get("routes", {}), deployments, "routes")
    if not all(complexity in routes.get("default", {}) for complexity in COMPLEXITIES):
        raise PolicyError("routes.default needs low, medium and high lists")
    default_selection = router.get("selection", "ordered")
    default_budget = router.get("default_monthly_budget_usd", 50.0)
    default_plan = str(router.get("default_plan", "default"))
    plans_raw: dict[str, Any] = dict(raw.get("plans", {}))
    plans_raw.setdefault(default_plan, {})
    plans: dict[str, PlanPolicy] = {}
    for name, plan_raw in plans_raw.items():
        selection = plan_raw.get("selection", default_selection)
        if selection not in SELECTIONS:
            raise PolicyError(f"plans.{name}.selection must be one of {sorted(SELECTIONS)}")
        latency_cap_ms = plan_raw.get("latency_cap_ms", router.get("latency_cap_ms"))
        plans[name] = PlanPolicy(
            name=name,
            monthly_budget_usd=_decimal(
                plan_raw.get("monthly_budget_usd", default_budget), f"plans.{name}"
            ),
            selection=selection,
            latency_cap_ms=int(latency_cap_ms) if latency_cap_ms is not None else None,
            routes=_routes(plan_raw.get("routes", {}), deployments, f"plans.{name}.routes"),
        )
    aliases: dict[str, AliasSpec] = {}
    for name, alias_raw in raw.get("aliases", {}).items():
        task = alias_raw.get("task")
        if task is not None and task not in TASKS:
            raise PolicyError(f"aliases.{name}.task: unknown task '{task}'")
        pinned = alias_raw.get("deployments")
        for deployment in pinned or []:
            if deployment not in deployments:
                raise PolicyError(f"aliases.{name}: unknown deployment '{deployment}'")
        aliases[name] = AliasSpec(
            name=name,
            description=str(alias_raw.get("description", "")),
            task=task,
            deployments=tuple(pinned) if pinned is not None else None,
        )
    reliability_raw = raw.get("reliability", {})
    reliability = ReliabilityPolicy(
        max_attempts=max(1, int(reliability_raw.get("max_attempts", 2))),
        backoff_base_s=float(reliability_raw.get("backoff_base_s", 0.25)),
        backoff_cap_s=float(reliability_raw.get("backoff_cap_s", 2.0)),
        retry_after_cap_s=float(reliability_raw.get("retry_after_cap_s", 2.0)),
        cooldown_failures=max(1, int(reliability_raw.get("cooldown_failures", 3))),
        cooldown_s=float(reliability_raw.get("cooldown_s", 30.0)),
    )
    return Policy(
        deployments=deployments,
        prices=prices,
        routes=routes,
        plans=plans,
        aliases=aliases,
        reliability=reliability,
        default_plan=default_plan,
        default_output_tokens=int(router.get("default_output_tokens", 512)),
        max_prompt_tokens=int(router.get("max_prompt_tokens", 1_000_000)),
    )


def load_policy(path: Path, overrides: Mapping[str, Any] | None = None) -> Policy:
    with path.open("rb") as policy_file:
        raw = tomllib.load(policy_file)
    return policy_from_mapping(deep_merge(raw, overrides or {}))
