"""Routing policy: from the model alias, the classification and the plan to an ordered list of
deployments to try, each with its estimated cost and latency, or the reason it is skipped.

Order: the policy's list for (plan, task, complexity), or the alias's pinned list. Skipped:
deployments without credentials, with an open circuit, unable to read the request's media,
with too small a context window, or whose estimated cost exceeds the tenant's remaining budget.
Among the rest, a latency cap (from the request or the plan) moves slower deployments behind
faster ones, and the ``cost`` selection puts the cheapest first. ``local`` always comes last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ai_router.budget import cost_micro_usd, micro_usd_to_usd
from ai_router.circuit import CircuitState
from ai_router.classifier import Classification, classify
from ai_router.errors import ContextLengthExceededError, InvalidRequestError, ModelNotFoundError
from ai_router.policy import LOCAL_DEPLOYMENT, AliasSpec, PlanPolicy, Policy, Price
from ai_router.prompting import context_message
from ai_router.providers import ResolvedDeployment
from ai_router.schemas import ChatRequest
from ai_router.text import estimate_message_tokens

LATENCY_SMOOTHING = 0.2
LATENCY_MINIMUM_SAMPLES = 3


class LatencyTracker:
    """Observed latency per deployment (exponential moving average, this process only)."""

    def __init__(self) -> None:
        self._average_ms: dict[str, float] = {}
        self._samples: dict[str, int] = {}

    def observe(self, name: str, latency_ms: float) -> None:
        previous = self._average_ms.get(name)
        self._average_ms[name] = (
            latency_ms
            if previous is None
            else previous + LATENCY_SMOOTHING * (latency_ms - previous)
        )
        self._samples[name] = self._samples.get(name, 0) + 1

    def expected_ms(self, name: str, typical_ms: int) -> float:
        if self._samples.get(name, 0) >= LATENCY_MINIMUM_SAMPLES:
            return self._average_ms[name]
        return float(typical_ms)


@dataclass(frozen=True, slots=True)
class Candidate:
    deployment: ResolvedDeployment
    position: int
    estimated_cost_micro_usd: int
    expected_latency_ms: float
    skip_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "deployment": self.deployment.name,
            "provider": self.deployment.provider,
            "model": self.deployment.model,
            "estimated_cost_usd": micro_usd_to_usd(self.estimated_cost_micro_usd),
            "expected_latency_ms": round(self.expected_latency_ms, 1),
            "skipped": self.skip_reason,
        }


@dataclass(frozen=True, slots=True)
class RouteDecision:
    alias: AliasSpec
    classification: Classification
    plan: PlanPolicy
    selection: str
    latency_cap_ms: int | None
    candidates: tuple[Candidate, ...]
    available: tuple[Candidate, ...]
    estimated_tokens_in: int
    estimated_tokens_out: int
    messages_for_remote: list[dict[str, Any]]

    @property
    def chosen(self) -> Candidate:
        return self.available[0]

    @property
    def why(self) -> str:
        """The decision in one sentence, for the dry run (built only when asked)."""
        return Router.explain(
            self.classification, self.plan, self.candidates, self.available, self.latency_cap_ms
        )

    def to_dict(self) -> dict[str, Any]:
        chosen = self.chosen
        return {
            "model": self.alias.name,
            "classification": self.classification.to_dict(),
            "plan": self.plan.name,
            "selection": self.selection,
            "latency_cap_ms": self.latency_cap_ms,
            "deployment": chosen.deployment.name,
            "provider": chosen.deployment.provider,
            "provider_model": chosen.deployment.model,
            "estimated_tokens_in": self.estimated_tokens_in,
            "estimated_tokens_out": self.estimated_tokens_out,
            "estimated_cost_usd": micro_usd_to_usd(chosen.estimated_cost_micro_usd),
            "fallbacks": [candidate.deployment.name for candidate in self.available[1:]],
            "candidates": [candidate.to_dict() for candidate in self.candidates],
            "why": self.why,
        }


@dataclass(frozen=True, slots=True)
class RouteEntry:
    """A deployment on a route, with what does not change between requests."""

    position: int
    deployment: ResolvedDeployment
    price: Price
    static_skip_reason: str | None


class Router:
    def __init__(
        self,
        *,
        policy: Policy,
        deployments: Mapping[str, ResolvedDeployment],
        latency: LatencyTracker | None = None,
    ) -> None:
        self.policy = policy
        self.deployments = deployments
        self.latency = latency or LatencyTracker()
        # (alias, plan, task, complexity) -> the route's entries; the policy never changes.
        self._routes: dict[tuple[str, str, str, str], tuple[RouteEntry, ...]] = {}

    def price_for(self, deployment: ResolvedDeployment) -> Price:
        return self.policy.prices.get(deployment.model) or self.policy.prices[deployment.spec.model]

    def alias(self, model: str) -> AliasSpec:
        alias = self.policy.aliases.get(model)
        if alias is None:
            raise ModelNotFoundError(
                f"The model '{model}' does not exist. Use one of: "
                f"{', '.join(sorted(self.policy.aliases))} (see GET /v1/models).",
                param="model",
            )
        return alias

    def plan(self, name: str | None) -> PlanPolicy:
        if name and name not in self.policy.plans:
            raise InvalidRequestError(
                f"Unknown plan '{name}' in X-Plan; plans: {', '.join(sorted(self.policy.plans))}.",
                param="X-Plan",
                code="unknown_plan",
            )
        return self.policy.plan(name)

    def route_names(
        self, alias: AliasSpec, plan: PlanPolicy, task: str, complexity: str
    ) -> list[str]:
        return [entry.deployment.name for entry in self.route(alias, plan, task, complexity)]

    def route(
        self, alias: AliasSpec, plan: PlanPolicy, task: str, complexity: str
    ) -> tuple[RouteEntry, ...]:
        key = (alias.name, plan.name, task, complexity)
        entries = self._routes.get(key)
        if entries is None:
            entries = self._routes[key] = self._build_route(alias, plan, task, complexity)
        return entries

    def _build_route(
        self, alias: AliasSpec, plan: PlanPolicy, task: str, complexity: str
    ) -> tuple[RouteEntry, ...]:
        names = list(
            alias.deployments or self.policy.route(plan=plan, task=task, complexity=complexity)
        )
        names = [name for name in dict.fromkeys(names) if name != LOCAL_DEPLOYMENT]
        entries = []
        for position, name in enumerate([*names, LOCAL_DEPLOYMENT]):
            deployment = self.deployments[name]
            entries.append(
                RouteEntry(
                    position=position,
                    deployment=deployment,
                    price=self.price_for(deployment),
                    static_skip_reason=(
                        None
                        if deployment.is_configured
                        else f"not configured: {deployment.missing_configuration}"
                    ),
                )
            )
        return tuple(entries)

    def decide(
        self,
        request: ChatRequest,
        *,
        plan_name: str | None,
        circuit_states: Mapping[str, CircuitState],
        remaining_budget_micro_usd: int | None,
        classification: Classification | None = None,
    ) -> RouteDecision:
        alias = self.alias(request.model)
        plan = self.plan(plan_name)
        if classification is None:
            classification = self.classify(request, alias)
        entries = self.route(alias, plan, classification.task, classification.complexity)
        remote_system = context_message(request, classification.task)
        messages_for_remote = (
            request.messages if remote_system is None else [remote_system, *request.messages]
        )
        # Without a context message, the classifier has counted these very messages.
        counted = classification.features.get("prompt_tokens") if remote_system is None else None
        tokens_in = counted if counted is not None else estimate_message_tokens(messages_for_remote)
        if tokens_in > self.policy.max_prompt_tokens:
            raise ContextLengthExceededError(
                f"This request is about {tokens_in} tokens; the router accepts at most "
                f"{self.policy.max_prompt_tokens}. Shorten the messages.",
                param="messages",
            )
        tokens_out = (request.max_output_tokens or self.policy.default_output_tokens) * (
            request.choice_count
        )
        features = classification.features
        needed_modalities = {"text"}
        if features.get("image_count"):
            needed_modalities.add("image")
        if features.get("has_audio"):
            needed_modalities.add("audio")
        media = needed_modalities - {"text"}
        request_audio_seconds = float(features.get("audio_seconds") or 0.0)
        latency_cap_ms = request.latency_cap_ms or plan.latency_cap_ms
        candidates: list[Candidate] = []
        for entry in entries:
            deployment = entry.deployment
            name = deployment.name
            spec = deployment.spec
            estimated = cost_micro_usd(
                entry.price,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                audio_seconds=request_audio_seconds,
            )
            circuit = circuit_states.get(name)
            skip_reason = entry.static_skip_reason
            if skip_reason is not None:
                pass
            elif circuit is not None and circuit.is_open:
                skip_reason = f"cooling down until {circuit.open_until_s:.0f}"
            elif not media <= spec.modalities:
                skip_reason = (
                    f"cannot read {', '.join(sorted(needed_modalities - spec.modalities))}"
                )
            elif "text" not in spec.modalities and not media:
                skip_reason = "reads only audio"
            elif tokens_in > spec.context_window_tokens:
                skip_reason = f"context window {spec.context_window_tokens} < {tokens_in} tokens"
            elif remaining_budget_micro_usd is not None and estimated > remaining_budget_micro_usd:
                skip_reason = "estimated cost above the remaining budget"
            candidates.append(
                Candidate(
                    deployment=deployment,
                    position=entry.position,
                    estimated_cost_micro_usd=estimated,
                    expected_latency_ms=self.latency.expected_ms(name, spec.typical_latency_ms),
                    skip_reason=skip_reason,
                )
            )
        available = self._order(
            [candidate for candidate in candidates if candidate.skip_reason is None],
            selection=plan.selection,
            latency_cap_ms=latency_cap_ms,
        )
        if not available:
            raise ContextLengthExceededError(
                f"This request is about {tokens_in} tokens, more than any deployment on its "
                "route can read. Shorten the messages.",
                param="messages",
            )
        return RouteDecision(
            alias=alias,
            classification=classification,
            plan=plan,
            selection=plan.selection,
            latency_cap_ms=latency_cap_ms,
            candidates=tuple(candidates),
            available=tuple(available),
            estimated_tokens_in=tokens_in,
            estimated_tokens_out=tokens_out,
            messages_for_remote=messages_for_remote,
        )

    def classify(self, request: ChatRequest, alias: AliasSpec) -> Classification:
        return classify(
            request.messages,
            task_hint=request.task_hint or alias.task,
            complexity_hint=request.complexity_hint,
        )

    @staticmethod
    def _order(
        available: list[Candidate], *, selection: str, latency_cap_ms: int | None
    ) -> list[Candidate]:
        remote = [
            candidate for candidate in available if candidate.deployment.name != LOCAL_DEPLOYMENT
        ]
        local = [
            candidate for candidate in available if candidate.deployment.name == LOCAL_DEPLOYMENT
        ]

        def key(candidate: Candidate) -> tuple[bool, int, int]:
            is_over_cap = (
                latency_cap_ms is not None and candidate.expected_latency_ms > latency_cap_ms
            )
            cost = candidate.estimated_cost_micro_usd if selection == "cost" else 0
            return is_over_cap, cost, candidate.position

        return sorted(remote, key=key) + local

    @staticmethod
    def explain(
        classification: Classification,
        plan: PlanPolicy,
        candidates: Sequence[Candidate],
        available: Sequence[Candidate],
        latency_cap_ms: int | None,
    ) -> str:
        parts = [
            f"task '{classification.task}' ({'; '.join(classification.reasons[:1])}), "
            f"complexity '{classification.complexity}' "
            f"({'; '.join(classification.reasons[1:]) or 'hint'})",
            f"plan '{plan.name}' with selection '{plan.selection}'"
            + (f" under a {latency_cap_ms} ms latency cap" if latency_cap_ms else ""),
        ]
        skipped = [
            f"{candidate.deployment.name} ({candidate.skip_reason})"
            for candidate in candidates
            if candidate.skip_reason
        ]
        if skipped:
            parts.append("skipped " + ", ".join(skipped))
        chosen = available[0]
        parts.append(
            f"chose {chosen.deployment.name} ({chosen.deployment.model}), estimated "
            f"${micro_usd_to_usd(chosen.estimated_cost_micro_usd):.6f}"
        )
        return "; ".join(parts)
