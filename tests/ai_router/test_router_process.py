"""``python -m ai_router`` starts a server on AI_ROUTER_PORT."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_python_dash_m_serves_on_the_configured_port() -> None:
    # Given a free loopback port and no provider key in the environment
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPOSITORY),
        "AI_ROUTER_HOST": "127.0.0.1",
        "AI_ROUTER_PORT": str(port),
    }
    process = subprocess.Popen(  # noqa: S603 - this interpreter, this package
        [sys.executable, "-m", "ai_router"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        # When
        completion = httpx.post(
            f"http://127.0.0.1:{port}/v1/chat/completions",
            json={"model": "auto", "messages": [{"role": "user", "content": "hi"}]},
            timeout=5,
        )
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    # Then
    assert health.json() == {"status": "ok"}
    assert completion.json()["model"] == "local/retrieval-v1"
    usage_lines = [
        json.loads(line) for line in output.decode().splitlines() if '"ai_router.usage"' in line
    ]
    assert [line["deployment"] for line in usage_lines] == ["local"]
