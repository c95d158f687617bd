"""Prometheus metrics, on a registry per app so several apps can live in one process."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class RouterMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ai_router_requests",
            "Chat completion requests by task, deployment and outcome.",
            ["task", "deployment", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ai_router_request_duration_seconds",
            "Time from request to the last byte of the answer, by deployment.",
            ["deployment"],
            buckets=LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.provider_errors = Counter(
            "ai_router_provider_errors",
            "Failed provider attempts by deployment and kind.",
            ["deployment", "kind"],
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "ai_router_fallbacks",
            "Requests answered by a deployment other than the first available.",
            ["task"],
            registry=self.registry,
        )
        self.tokens = Counter(
            "ai_router_tokens",
            "Tokens by deployment and direction (input, output).",
            ["deployment", "direction"],
            registry=self.registry,
        )
        self.cost = Counter(
            "ai_router_cost_usd",
            "Cost in USD by deployment, from the price table.",
            ["deployment"],
            registry=self.registry,
        )
        self.rejections = Counter(
            "ai_router_rejections",
            "Requests refused before any provider call, by error code.",
            ["code"],
            registry=self.registry,
        )
        self.circuit_open = Gauge(
            "ai_router_circuit_open",
            "1 while a deployment's circuit is open (skipped), else 0.",
            ["deployment"],
            registry=self.registry,
        )

        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}

    def child(self, metric: Counter | Gauge | Histogram, *labels: str) -> Any:
        """``metric.labels(*labels)``, cached: label lookups cost more than the increment."""
        key = (id(metric), labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def render(self) -> bytes:
        return generate_latest(self.registry)
