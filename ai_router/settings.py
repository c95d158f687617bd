"""Router settings, read once from the environment.

Provider credentials stay in :attr:`Settings.environment` (a frozen copy of the variables) and
are looked up by the names the routing policy gives each deployment, so a test can hand the
router a dictionary instead of touching ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

DEFAULT_POLICY_PATH = Path(__file__).with_name("policy.toml")
DEFAULT_PORT = 8000
DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024


def _empty_mapping() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Settings:
    service_keys: tuple[str, ...] = ()
    host: str = "0.0.0.0"  # noqa: S104 - a container service listens on every interface
    port: int = DEFAULT_PORT
    redis_url: str | None = None
    redis_key_prefix: str = "ai_router:"
    policy_path: Path = DEFAULT_POLICY_PATH
    policy_overrides: Mapping[str, Any] = field(default_factory=_empty_mapping)
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    is_usage_log_enabled: bool = True
    environment: Mapping[str, str] = field(default_factory=_empty_mapping)

    @property
    def is_auth_enabled(self) -> bool:
        return bool(self.service_keys)

    def get(self, name: str, default: str | None = None) -> str | None:
        """An environment value, with blank values treated as unset."""
        value = self.environment.get(name, "")
        return value.strip() or default

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        policy_overrides: Mapping[str, Any] | None = None,
    ) -> Settings:
        values = dict(os.environ if environ is None else environ)

        def read(name: str) -> str:
            return values.get(name, "").strip()

        keys = tuple(key.strip() for key in read("AI_ROUTER_KEYS").split(",") if key.strip())
        policy_path = Path(read("AI_ROUTER_POLICY")) if read("AI_ROUTER_POLICY") else None
        return cls(
            service_keys=keys,
            host=read("AI_ROUTER_HOST") or "0.0.0.0",  # noqa: S104
            port=int(read("AI_ROUTER_PORT") or DEFAULT_PORT),
            redis_url=read("REDIS_URL") or None,
            redis_key_prefix=read("AI_ROUTER_REDIS_PREFIX") or "ai_router:",
            policy_path=policy_path or DEFAULT_POLICY_PATH,
            policy_overrides=MappingProxyType(dict(policy_overrides or {})),
            max_request_bytes=int(read("AI_ROUTER_MAX_REQUEST_BYTES") or DEFAULT_MAX_REQUEST_BYTES),
            is_usage_log_enabled=read("AI_ROUTER_USAGE_LOG").lower() not in {"0", "false", "off"},
            environment=MappingProxyType(values),
        )
