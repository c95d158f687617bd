"""Fixtures for the AI router tests: loopback-only network, fake providers, router servers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from router_fakes import FakeProvider, LoopbackServer, azure_speech_app, gemini_app, openai_app
from router_testing import FakeProviders, RunningRouter, StartRouter, router_settings

from ai_router.main import create_app
from ai_router.settings import Settings

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", None})


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to resolve or connect to a non-loopback address fails the test."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def guarded_getaddrinfo(host: Any, *arguments: Any, **keywords: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if host not in LOOPBACK_HOSTS:
            raise OSError(f"tests must stay on loopback, tried to resolve {host!r}")
        return real_getaddrinfo(host, *arguments, **keywords)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in LOOPBACK_HOSTS:
            raise OSError(f"tests must stay on loopback, tried to connect to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def fake_provider_servers() -> Iterator[FakeProviders]:
    providers = {
        "openai": FakeProvider("openai", default_content="Hello from the fake OpenAI."),
        "azure": FakeProvider("azure", default_content="Hello from the fake Azure AI Foundry."),
        "deepseek": FakeProvider("deepseek", default_content="Hello from the fake DeepSeek."),
        "compatible": FakeProvider("compatible", default_content="Hello from the fake Ollama."),
        "gemini": FakeProvider("gemini", default_content="Hello from the fake Gemini."),
        "speech": FakeProvider("speech", default_content="see you tonight at eight"),
    }
    apps = {
        "openai": openai_app(providers["openai"]),
        "azure": openai_app(providers["azure"]),
        "deepseek": openai_app(providers["deepseek"]),
        "compatible": openai_app(providers["compatible"]),
        "gemini": gemini_app(providers["gemini"]),
        "speech": azure_speech_app(providers["speech"]),
    }
    servers = {name: LoopbackServer(app).start() for name, app in apps.items()}
    try:
        yield FakeProviders(
            **providers, urls={name: server.url for name, server in servers.items()}
        )
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def fakes(fake_provider_servers: FakeProviders) -> FakeProviders:
    fake_provider_servers.reset()
    return fake_provider_servers


@pytest.fixture
def start_router() -> Iterator[StartRouter]:
    """Start the router app with uvicorn on loopback; stopped (and its clients closed) after."""
    servers: list[LoopbackServer] = []

    def start(
        environment: dict[str, str] | None = None,
        *,
        policy_overrides: dict[str, Any] | None = None,
        settings: Settings | None = None,
    ) -> RunningRouter:
        settings = settings or router_settings(environment or {}, policy_overrides)
        app = create_app(settings)
        server = LoopbackServer(app, lifespan="on").start()
        servers.append(server)
        return RunningRouter(url=server.url, settings=settings, app=app)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A throwaway redis-server on a loopback port (skipped when Redis is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    process = subprocess.Popen(  # noqa: S603 - a fixed local binary
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
