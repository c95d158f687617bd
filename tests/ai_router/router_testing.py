"""Shared helpers of the AI router tests (a unique module name: tests/ai_router has no
``__init__.py``, so its modules are imported by bare name)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
from router_fakes import FakeProvider

from ai_router.policy import deep_merge
from ai_router.settings import Settings

SERVICE_KEY = "test-service-key"
# Fast retries so reliability tests take milliseconds, not seconds.
FAST_RELIABILITY: dict[str, Any] = {
    "reliability": {"backoff_base_s": 0.01, "backoff_cap_s": 0.02, "retry_after_cap_s": 1.0}
}


@dataclass
class FakeProviders:
    openai: FakeProvider
    azure: FakeProvider
    deepseek: FakeProvider
    compatible: FakeProvider
    gemini: FakeProvider
    speech: FakeProvider
    urls: dict[str, str]

    def reset(self) -> None:
        for provider in (
            self.openai,
            self.azure,
            self.deepseek,
            self.compatible,
            self.gemini,
            self.speech,
        ):
            provider.reset()

    def environment(self, *providers: str) -> dict[str, str]:
        """Environment variables configuring the named providers against the fakes."""
        urls = self.urls
        by_provider = {
            "openai": {
                "OPENAI_API_KEY": "fake-openai-key",
                "OPENAI_BASE_URL": f"{urls['openai']}/v1",
            },
            "gemini": {"GEMINI_API_KEY": "fake-gemini-key", "GEMINI_BASE_URL": urls["gemini"]},
            "azure": {
                "AZURE_AI_CHAT_ENDPOINT": f"{urls['azure']}/models",
                "AZURE_DEEPSEEK_R1_ENDPOINT": f"{urls['azure']}/models",
                "AZURE_PHI4_MULTIMODAL_ENDPOINT": f"{urls['azure']}/models",
                "AZURE_AI_CHAT_KEY": "fake-azure-key",
                "AZURE_AI_API_VERSION": "2024-05-01-preview",
            },
            "azure_openai": {
                "AZURE_OPENAI_ENDPOINT": urls["azure"],
                "AZURE_OPENAI_API_KEY": "fake-azure-openai-key",
            },
            "deepseek": {
                "DEEPSEEK_API_KEY": "fake-deepseek-key",
                "DEEPSEEK_BASE_URL": urls["deepseek"],
            },
            "compatible": {"OPENAI_COMPATIBLE_BASE_URL": f"{urls['compatible']}/v1"},
            "speech": {
                "AZURE_SPEECH_KEY": "fake-speech-key",
                "AZURE_SPEECH_ENDPOINT": urls["speech"],
            },
        }
        environment: dict[str, str] = {}
        for provider in providers:
            environment.update(by_provider[provider])
        return environment


@dataclass
class RunningRouter:
    url: str
    settings: Settings
    app: Any

    def client(self, *, api_key: str = SERVICE_KEY, max_retries: int = 0) -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=api_key, max_retries=max_retries)


StartRouter = Callable[..., RunningRouter]


def router_settings(
    environment: dict[str, str], policy_overrides: dict[str, Any] | None = None
) -> Settings:
    return Settings.from_env(
        {"AI_ROUTER_KEYS": SERVICE_KEY, **environment},
        policy_overrides=deep_merge(FAST_RELIABILITY, policy_overrides or {}),
    )


AUTH_HEADERS = {"Authorization": f"Bearer {SERVICE_KEY}"}
