"""The usage record of one call: tokens, cost, deployment, latency and fallback path, written as
a JSON log line, as the ``usage`` object of the response and as ``x-router-*`` headers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ai_router import jsonio
from ai_router.budget import micro_usd_to_usd

usage_logger = logging.getLogger("ai_router.usage")


@dataclass(frozen=True, slots=True)
class UsageRecord:
    request_id: str
    tenant_id: str | None
    plan: str
    task: str
    complexity: str
    alias: str
    deployment: str
    provider: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_micro_usd: int
    latency_ms: float
    fallback_path: tuple[str, ...]
    is_estimated: bool
    is_stream: bool
    outcome: str

    @property
    def cost_usd(self) -> float:
        return micro_usd_to_usd(self.cost_micro_usd)

    def usage_object(self) -> dict[str, Any]:
        """OpenAI's usage fields plus the router's, for the response body."""
        return {
            "prompt_tokens": self.tokens_in,
            "completion_tokens": self.tokens_out,
            "total_tokens": self.tokens_in + self.tokens_out,
            "cost_usd": self.cost_usd,
            "deployment": self.deployment,
            "provider": self.provider,
            "model": self.model,
            "latency_ms": round(self.latency_ms, 2),
            "fallback_path": list(self.fallback_path),
            "is_estimated": self.is_estimated,
        }

    def headers(self) -> dict[str, str]:
        return {
            "x-request-id": self.request_id,
            "x-router-deployment": self.deployment,
            "x-router-provider": self.provider,
            "x-router-model": self.model,
            "x-router-task": self.task,
            "x-router-complexity": self.complexity,
            "x-router-tokens-in": str(self.tokens_in),
            "x-router-tokens-out": str(self.tokens_out),
            "x-router-cost-usd": f"{self.cost_usd:.6f}",
            "x-router-latency-ms": f"{self.latency_ms:.2f}",
            "x-router-fallback-path": ",".join(self.fallback_path),
        }

    def log_line(self) -> str:
        return jsonio.dumps(
            {
                "event": "ai_router.usage",
                "request_id": self.request_id,
                "tenant_id": self.tenant_id,
                "plan": self.plan,
                "task": self.task,
                "complexity": self.complexity,
                "model_alias": self.alias,
                "deployment": self.deployment,
                "provider": self.provider,
                "model": self.model,
                "tokens_in": self.tokens_in,
                "tokens_out": self.tokens_out,
                "cost_usd": self.cost_usd,
                "latency_ms": round(self.latency_ms, 2),
                "fallback_path": list(self.fallback_path),
                "is_estimated": self.is_estimated,
                "is_stream": self.is_stream,
                "outcome": self.outcome,
            }
        ).decode()


def log_usage(record: UsageRecord) -> None:
    """One INFO record on ``ai_router.usage``. Made by hand: ``Logger.info`` would also walk
    the stack to find the calling line, which costs more than the rest of the logging."""
    if usage_logger.isEnabledFor(logging.INFO):
        usage_logger.handle(
            usage_logger.makeRecord(
                usage_logger.name, logging.INFO, __file__, 0, record.log_line(), (), None
            )
        )
