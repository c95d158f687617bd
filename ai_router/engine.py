"""The router's core: budget check, routing, provider calls with retries, fallback and
circuit breakers, then cost accounting. Knows nothing of HTTP; ``main`` wraps it in FastAPI."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from ai_router.budget import (
    BudgetStore,
    MemoryBudgetStore,
    RedisBudgetStore,
    cost_micro_usd,
    current_month,
    micro_usd_to_usd,
    usd_to_micro_usd,
)
from ai_router.circuit import CircuitStore, MemoryCircuitStore, RedisCircuitStore
from ai_router.errors import (
    BudgetExceededError,
    UpstreamInvalidRequestError,
    UpstreamUnavailableError,
)
from ai_router.metrics import RouterMetrics
from ai_router.policy import Policy, load_policy
from ai_router.providers import ResolvedDeployment, resolve_deployments
from ai_router.providers.base import ProviderCall, ProviderError, ProviderResult, StreamEvent
from ai_router.routing import Candidate, RouteDecision, Router
from ai_router.schemas import (
    SERVER_SENT_DONE,
    ChatRequest,
    chunk_body,
    completion_body,
    server_sent_event,
)
from ai_router.settings import Settings
from ai_router.text import content_text, estimate_text_tokens
from ai_router.usage import UsageRecord, log_usage

logger = logging.getLogger("ai_router.engine")
ResultT = TypeVar("ResultT")
OpenedStream = tuple[AsyncIterator[StreamEvent], StreamEvent | None]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks: the request id, the tenant (creator id) and plan, from the headers."""

    request_id: str
    tenant_id: str | None = None
    plan_name: str | None = None
    monthly_budget_usd: Decimal | None = None


@dataclass(frozen=True, slots=True)
class BudgetView:
    month: str
    budget_micro_usd: int
    spent_micro_usd: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "monthly_budget_usd": micro_usd_to_usd(self.budget_micro_usd),
            "spent_usd": micro_usd_to_usd(self.spent_micro_usd),
            "remaining_usd": micro_usd_to_usd(self.budget_micro_usd - self.spent_micro_usd),
        }


@dataclass(slots=True)
class StreamTotals:
    tokens_in: int | None = None
    tokens_out: int | None = None
    audio_seconds: float = 0.0
    characters_out: int = 0


_ID_PREFIX = uuid.uuid4().hex[:12]
_ID_COUNTER = itertools.count(1)


def new_completion_id() -> str:
    """Unique per router process and start: a random prefix and a counter (no syscall)."""
    return f"chatcmpl-{_ID_PREFIX}{next(_ID_COUNTER):012x}"


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_ID_COUNTER):012x}"


class RouterEngine:
    def __init__(self, settings: Settings, policy: Policy | None = None) -> None:
        self.settings = settings
        self.policy = policy or load_policy(settings.policy_path, settings.policy_overrides)
        self.deployments, self._adapters = resolve_deployments(self.policy, settings)
        self.router = Router(policy=self.policy, deployments=self.deployments)
        reliability = self.policy.reliability
        self.circuits: CircuitStore
        self.budgets: BudgetStore
        if settings.redis_url:
            self.circuits = RedisCircuitStore(
                url=settings.redis_url,
                key_prefix=settings.redis_key_prefix,
                failure_threshold=reliability.cooldown_failures,
                cooldown_s=reliability.cooldown_s,
            )
            self.budgets = RedisBudgetStore(
                url=settings.redis_url, key_prefix=settings.redis_key_prefix
            )
        else:
            self.circuits = MemoryCircuitStore(
                failure_threshold=reliability.cooldown_failures, cooldown_s=reliability.cooldown_s
            )
            self.budgets = MemoryBudgetStore()
        self.metrics = RouterMetrics()

    # -- deciding ---------------------------------------------------------------------------

    async def budget_view(self, caller: Caller, monthly_budget_usd: Decimal) -> BudgetView | None:
        if not caller.tenant_id:
            return None
        month = current_month()
        return BudgetView(
            month=month,
            budget_micro_usd=usd_to_micro_usd(caller.monthly_budget_usd or monthly_budget_usd),
            spent_micro_usd=await self.budgets.spent_micro_usd(caller.tenant_id, month),
        )

    async def decide(
        self, request: ChatRequest, caller: Caller
    ) -> tuple[RouteDecision, BudgetView | None]:
        alias = self.router.alias(request.model)
        plan = self.router.plan(caller.plan_name)
        budget = await self.budget_view(caller, plan.monthly_budget_usd)
        if budget is not None and budget.spent_micro_usd >= budget.budget_micro_usd:
            self.metrics.child(self.metrics.rejections, "budget_exceeded").inc()
            raise BudgetExceededError(
                f"Tenant '{caller.tenant_id}' has spent its monthly AI budget "
                f"(${micro_usd_to_usd(budget.spent_micro_usd):.2f} of "
                f"${micro_usd_to_usd(budget.budget_micro_usd):.2f} in {budget.month}).",
            )
        classification = self.router.classify(request, alias)
        names = self.router.route_names(alias, plan, classification.task, classification.complexity)
        states = await self.circuits.states(names)
        decision = self.router.decide(
            request,
            plan_name=caller.plan_name,
            circuit_states=states,
            remaining_budget_micro_usd=(
                budget.budget_micro_usd - budget.spent_micro_usd if budget else None
            ),
            classification=classification,
        )
        return decision, budget

    # -- calling ----------------------------------------------------------------------------

    def _provider_call(
        self, decision: RouteDecision, request: ChatRequest, deployment: ResolvedDeployment
    ) -> ProviderCall:
        is_local = deployment.provider == "local"
        return ProviderCall(
            model=deployment.model,
            messages=request.messages if is_local else decision.messages_for_remote,
            params=request.provider_params(),
            timeout_s=deployment.spec.timeout_s,
            task=decision.classification.task,
            language=decision.classification.language,
            context=request.context,
        )

    def _retry_delay_s(self, error: ProviderError, attempt: int) -> float | None:
        reliability = self.policy.reliability
        if not error.is_retryable or attempt >= reliability.max_attempts:
            return None
        if error.retry_after_s is not None:
            if error.retry_after_s > reliability.retry_after_cap_s:
                return None
            return error.retry_after_s
        return min(reliability.backoff_cap_s, reliability.backoff_base_s * 2.0 ** (attempt - 1))

    async def _call_with_fallback(
        self,
        decision: RouteDecision,
        request: ChatRequest,
        operation: Callable[[ResolvedDeployment, ProviderCall], Awaitable[ResultT]],
    ) -> tuple[ResultT, Candidate, list[str]]:
        path: list[str] = []
        for candidate in decision.available:
            deployment = candidate.deployment
            call = self._provider_call(decision, request, deployment)
            attempt = 0
            while True:
                attempt += 1
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(deployment.spec.timeout_s):
                        result = await operation(deployment, call)
                except TimeoutError:
                    error = ProviderError(
                        f"no answer within {deployment.spec.timeout_s} s", kind="timeout"
                    )
                except ProviderError as provider_error:
                    error = provider_error
                except Exception as unexpected:  # an adapter bug must not sink the request
                    logger.exception("adapter %s failed unexpectedly", deployment.name)
                    error = ProviderError(str(unexpected), kind="internal")
                else:
                    self.router.latency.observe(
                        deployment.name, (time.perf_counter() - started) * 1000
                    )
                    await self.circuits.record_success(deployment.name)
                    path.append(deployment.name)
                    return result, candidate, path
                path.append(f"{deployment.name}:{error.kind}")
                self.metrics.child(self.metrics.provider_errors, deployment.name, error.kind).inc()
                logger.warning(
                    "deployment %s attempt %d failed (%s, status %s): %s",
                    deployment.name,
                    attempt,
                    error.kind,
                    error.status_code,
                    error.message,
                )
                if error.is_caller_error:
                    raise UpstreamInvalidRequestError(
                        f"{deployment.name} rejected the request: {error.message}"
                    )
                delay_s = self._retry_delay_s(error, attempt)
                if delay_s is None:
                    break
                await asyncio.sleep(delay_s)
            state = await self.circuits.record_failure(deployment.name)
            self.metrics.child(self.metrics.circuit_open, deployment.name).set(
                1 if state.is_open else 0
            )
        raise UpstreamUnavailableError(
            "Every deployment for this request failed: " + ", ".join(path) + "."
        )

    # -- accounting -------------------------------------------------------------------------

    async def _settle(
        self,
        *,
        decision: RouteDecision,
        candidate: Candidate,
        caller: Caller,
        model: str,
        tokens_in: int | None,
        tokens_out: int | None,
        estimated_tokens_out: int,
        audio_seconds: float,
        path: list[str],
        started_s: float,
        is_stream: bool,
        outcome: str,
    ) -> UsageRecord:
        deployment = candidate.deployment
        is_estimated = tokens_in is None or tokens_out is None
        final_tokens_in = tokens_in if tokens_in is not None else decision.estimated_tokens_in
        final_tokens_out = tokens_out if tokens_out is not None else estimated_tokens_out
        cost = cost_micro_usd(
            self.router.price_for(deployment),
            tokens_in=final_tokens_in,
            tokens_out=final_tokens_out,
            audio_seconds=audio_seconds,
        )
        if caller.tenant_id and cost:
            await self.budgets.add(caller.tenant_id, current_month(), cost)
        latency_ms = (time.perf_counter() - started_s) * 1000
        record = UsageRecord(
            request_id=caller.request_id,
            tenant_id=caller.tenant_id,
            plan=decision.plan.name,
            task=decision.classification.task,
            complexity=decision.classification.complexity,
            alias=decision.alias.name,
            deployment=deployment.name,
            provider=deployment.provider,
            model=model,
            tokens_in=final_tokens_in,
            tokens_out=final_tokens_out,
            cost_micro_usd=cost,
            latency_ms=latency_ms,
            fallback_path=tuple(path),
            is_estimated=is_estimated,
            is_stream=is_stream,
            outcome=outcome,
        )
        metrics = self.metrics
        metrics.child(metrics.requests, record.task, deployment.name, outcome).inc()
        metrics.child(metrics.latency, deployment.name).observe(latency_ms / 1000)
        metrics.child(metrics.tokens, deployment.name, "input").inc(final_tokens_in)
        metrics.child(metrics.tokens, deployment.name, "output").inc(final_tokens_out)
        if cost:
            metrics.child(metrics.cost, deployment.name).inc(micro_usd_to_usd(cost))
        if candidate is not decision.available[0]:
            metrics.child(metrics.fallbacks, record.task).inc()
        if self.settings.is_usage_log_enabled:
            log_usage(record)
        return record

    # -- entry points -----------------------------------------------------------------------

    async def complete(
        self, request: ChatRequest, caller: Caller
    ) -> tuple[dict[str, Any], UsageRecord]:
        started_s = time.perf_counter()
        decision, _ = await self.decide(request, caller)

        async def run(deployment: ResolvedDeployment, call: ProviderCall) -> ProviderResult:
            assert deployment.adapter is not None
            return await deployment.adapter.complete(call)

        result, candidate, path = await self._call_with_fallback(decision, request, run)
        estimated_out = (
            0  # the provider counted; no estimate needed
            if result.tokens_out is not None
            else sum(
                estimate_text_tokens(content_text((choice.get("message") or {}).get("content")))
                for choice in result.choices
                if isinstance(choice, dict)
            )
        )
        usage = await self._settle(
            decision=decision,
            candidate=candidate,
            caller=caller,
            model=result.model,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            estimated_tokens_out=estimated_out,
            audio_seconds=result.audio_seconds,
            path=path,
            started_s=started_s,
            is_stream=False,
            outcome="ok",
        )
        body = completion_body(
            completion_id=new_completion_id(),
            model=result.model,
            choices=result.choices,
            usage=usage.usage_object(),
        )
        return body, usage

    async def stream(
        self, request: ChatRequest, caller: Caller
    ) -> tuple[dict[str, str], AsyncIterator[bytes]]:
        """Headers and the SSE body. The first event is read before returning, so a
        deployment that fails before answering is retried or replaced, never half-sent."""
        started_s = time.perf_counter()
        decision, _ = await self.decide(request, caller)

        async def open_stream(deployment: ResolvedDeployment, call: ProviderCall) -> OpenedStream:
            assert deployment.adapter is not None
            iterator = deployment.adapter.stream(call)
            try:
                first = await anext(iterator)
            except StopAsyncIteration:
                return iterator, None
            except BaseException:
                await _close_iterator(iterator)
                raise
            return iterator, first

        (iterator, first), candidate, path = await self._call_with_fallback(
            decision, request, open_stream
        )
        deployment = candidate.deployment
        headers = {
            "x-request-id": caller.request_id,
            "x-router-deployment": deployment.name,
            "x-router-provider": deployment.provider,
            "x-router-model": deployment.model,
            "x-router-task": decision.classification.task,
            "x-router-complexity": decision.classification.complexity,
            "x-router-fallback-path": ",".join(path),
        }
        body = self._server_sent_events(
            decision=decision,
            candidate=candidate,
            caller=caller,
            iterator=iterator,
            first=first,
            path=path,
            started_s=started_s,
        )
        return headers, body

    async def _server_sent_events(
        self,
        *,
        decision: RouteDecision,
        candidate: Candidate,
        caller: Caller,
        iterator: AsyncIterator[StreamEvent],
        first: StreamEvent | None,
        path: list[str],
        started_s: float,
    ) -> AsyncIterator[bytes]:
        completion_id = new_completion_id()
        created_s = int(time.time())
        model = candidate.deployment.model
        totals = StreamTotals()
        is_settled = False

        def absorb(event: StreamEvent) -> bytes | None:
            nonlocal model
            if event.model:
                model = event.model
            if event.tokens_in is not None:
                totals.tokens_in = event.tokens_in
            if event.tokens_out is not None:
                totals.tokens_out = event.tokens_out
            totals.audio_seconds = max(totals.audio_seconds, event.audio_seconds)
            if not event.choices:
                return None
            for choice in event.choices:
                delta = choice.get("delta") or {}
                totals.characters_out += len(str(delta.get("content") or ""))
            return server_sent_event(
                chunk_body(
                    completion_id=completion_id,
                    model=model,
                    created_s=created_s,
                    choices=event.choices,
                )
            )

        async def settle(outcome: str) -> UsageRecord:
            nonlocal is_settled
            is_settled = True
            return await self._settle(
                decision=decision,
                candidate=candidate,
                caller=caller,
                model=model,
                tokens_in=totals.tokens_in,
                tokens_out=totals.tokens_out,
                estimated_tokens_out=estimate_text_tokens("x" * totals.characters_out),
                audio_seconds=totals.audio_seconds,
                path=path,
                started_s=started_s,
                is_stream=True,
                outcome=outcome,
            )

        try:
            error_body: dict[str, Any] | None = None
            try:
                if first is not None:
                    chunk = absorb(first)
                    if chunk is not None:
                        yield chunk
                async for event in iterator:
                    chunk = absorb(event)
                    if chunk is not None:
                        yield chunk
            except ProviderError as error:
                error_body = _stream_error(
                    f"{candidate.deployment.name} failed mid-stream: {error.message}"
                )
            except Exception:
                logger.exception("stream from %s failed", candidate.deployment.name)
                error_body = _stream_error(f"{candidate.deployment.name} failed mid-stream")
            usage = await settle("ok" if error_body is None else "stream_error")
            if error_body is not None:
                yield server_sent_event(error_body)
            else:
                yield server_sent_event(
                    chunk_body(
                        completion_id=completion_id,
                        model=model,
                        created_s=created_s,
                        choices=[],
                        usage=usage.usage_object(),
                    )
                )
            yield SERVER_SENT_DONE
        finally:
            await _close_iterator(iterator)
            if not is_settled:
                await settle("client_disconnected")

    # -- status -----------------------------------------------------------------------------

    async def readiness(self) -> dict[str, Any]:
        names = list(self.deployments)
        states = await self.circuits.states(names)
        deployments = []
        for name in names:
            deployment = self.deployments[name]
            state = states[name]
            self.metrics.child(self.metrics.circuit_open, name).set(1 if state.is_open else 0)
            deployments.append(
                {
                    "name": name,
                    "provider": deployment.provider,
                    "model": deployment.model,
                    "is_configured": deployment.is_configured,
                    "missing_configuration": deployment.missing_configuration,
                    "is_available": deployment.is_configured and not state.is_open,
                    "circuit": state.to_dict(),
                    "expected_latency_ms": round(
                        self.router.latency.expected_ms(name, deployment.spec.typical_latency_ms),
                        1,
                    ),
                }
            )
        is_degraded = bool(
            getattr(self.circuits, "is_degraded", False)
            or getattr(self.budgets, "is_degraded", False)
        )
        return {
            "status": "degraded" if is_degraded else "ready",
            "circuit_backend": self.circuits.backend,
            "budget_backend": self.budgets.backend,
            "deployments": deployments,
        }

    async def aclose(self) -> None:
        for adapter in self._adapters:
            await adapter.aclose()
        await self.circuits.aclose()
        await self.budgets.aclose()


def _stream_error(message: str) -> dict[str, Any]:
    return UpstreamUnavailableError(message, code="upstream_stream_error").to_body()


async def _close_iterator(iterator: AsyncIterator[StreamEvent]) -> None:
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()
