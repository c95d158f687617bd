"""Provider adapters and their wiring to the policy's deployments.

Each deployment names a provider; its credentials come from environment variables (the seed's
names by default, or the ``key_env`` / ``endpoint_env`` the policy gives). A deployment whose
credentials are missing is kept, marked unconfigured, and skipped by the router.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ai_router.policy import DeploymentSpec, Policy
from ai_router.providers.azure_speech import AzureSpeechAdapter, default_endpoint
from ai_router.providers.base import ProviderAdapter
from ai_router.providers.gemini import DEFAULT_BASE_URL as GEMINI_DEFAULT_BASE_URL
from ai_router.providers.gemini import GeminiAdapter
from ai_router.providers.local import LocalAdapter
from ai_router.providers.openai_compatible import OpenAICompatibleAdapter
from ai_router.settings import Settings

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEEPSEEK_DEFAULT_BASE_URL = "https://api.deepseek.com"
AZURE_OPENAI_DEFAULT_API_VERSION = "2024-10-21"
AZURE_SPEECH_DEFAULT_REGION = "eastus2"


@dataclass(frozen=True, slots=True)
class ResolvedDeployment:
    spec: DeploymentSpec
    model: str
    adapter: ProviderAdapter | None
    missing_configuration: str | None
    # Copies of the spec's, as fields: read several times per request.
    name: str = field(init=False)
    provider: str = field(init=False)
    is_configured: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.spec.name)
        object.__setattr__(self, "provider", self.spec.provider)
        object.__setattr__(self, "is_configured", self.adapter is not None)


class _AdapterFactory:
    """Builds adapters, one per distinct endpoint and key, shared between deployments."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._adapters: dict[tuple[str, str, str], ProviderAdapter] = {}
        self._local = LocalAdapter()

    def _credentials(self, spec: DeploymentSpec) -> tuple[str, str] | str:
        """``(base URL, key)`` for the deployment, or what is missing."""
        get = self._settings.get
        provider = spec.provider
        if provider == "openai_compatible":
            # A base URL is the configuration; self-hosted servers rarely want a key.
            endpoint_name = spec.endpoint_env or "OPENAI_COMPATIBLE_BASE_URL"
            base_url = get(endpoint_name)
            if not base_url:
                return f"{endpoint_name} is not set"
            return base_url, get(spec.key_env or "OPENAI_COMPATIBLE_API_KEY") or "not-needed"
        defaults: dict[str, tuple[str, str | None, str | None]] = {
            "gemini": ("GEMINI_API_KEY", None, get("GEMINI_BASE_URL") or GEMINI_DEFAULT_BASE_URL),
            "openai": ("OPENAI_API_KEY", None, get("OPENAI_BASE_URL") or OPENAI_DEFAULT_BASE_URL),
            "deepseek": (
                "DEEPSEEK_API_KEY",
                None,
                get("DEEPSEEK_BASE_URL") or DEEPSEEK_DEFAULT_BASE_URL,
            ),
            "azure_speech": (
                "AZURE_SPEECH_KEY",
                None,
                get("AZURE_SPEECH_ENDPOINT")
                or default_endpoint(get("AZURE_SPEECH_REGION") or AZURE_SPEECH_DEFAULT_REGION),
            ),
            "azure_foundry": ("AZURE_AI_CHAT_KEY", "AZURE_AI_CHAT_ENDPOINT", None),
            "azure_openai": ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", None),
        }
        default_key_name, default_endpoint_name, default_base_url = defaults[provider]
        endpoint_variable = spec.endpoint_env or default_endpoint_name
        base_url = get(endpoint_variable) if endpoint_variable else default_base_url
        if not base_url:
            return f"{endpoint_variable} is not set"
        key_name = spec.key_env or default_key_name
        api_key = get(key_name)
        if not api_key:
            return f"{key_name} is not set"
        return base_url, api_key

    def _new_adapter(self, provider: str, base_url: str, api_key: str) -> ProviderAdapter:
        get = self._settings.get
        if provider == "gemini":
            return GeminiAdapter(api_key=api_key, base_url=base_url)
        if provider == "azure_speech":
            return AzureSpeechAdapter(api_key=api_key, endpoint=base_url)
        if provider == "azure_openai":
            api_version = get("AZURE_OPENAI_API_VERSION") or AZURE_OPENAI_DEFAULT_API_VERSION
            return OpenAICompatibleAdapter(
                base_url=base_url, api_key=api_key, azure_api_version=api_version
            )
        if provider == "azure_foundry":
            version = get("AZURE_AI_API_VERSION")
            return OpenAICompatibleAdapter(
                base_url=base_url,
                api_key=api_key,
                default_headers={"api-key": api_key},
                default_query={"api-version": version} if version else None,
            )
        return OpenAICompatibleAdapter(base_url=base_url, api_key=api_key)

    def build(self, spec: DeploymentSpec) -> tuple[ProviderAdapter | None, str | None]:
        if spec.provider == "local":
            return self._local, None
        credentials = self._credentials(spec)
        if isinstance(credentials, str):
            return None, credentials
        base_url, api_key = credentials
        key = (spec.provider, base_url, api_key)
        if key not in self._adapters:
            self._adapters[key] = self._new_adapter(spec.provider, base_url, api_key)
        return self._adapters[key], None

    def all_adapters(self) -> list[ProviderAdapter]:
        return [*self._adapters.values(), self._local]


def resolve_deployments(
    policy: Policy, settings: Settings
) -> tuple[dict[str, ResolvedDeployment], list[ProviderAdapter]]:
    factory = _AdapterFactory(settings)
    resolved: dict[str, ResolvedDeployment] = {}
    for name, spec in policy.deployments.items():
        adapter, missing = factory.build(spec)
        model = (settings.get(spec.model_env) if spec.model_env else None) or spec.model
        resolved[name] = ResolvedDeployment(
            spec=spec, model=model, adapter=adapter, missing_configuration=missing
        )
    return resolved, factory.all_adapters()
