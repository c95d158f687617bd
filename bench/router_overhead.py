"""AI router overhead: latency through the router to a fake provider minus latency straight to
the same fake, side by side, at rising concurrency. Loopback only, about a minute.

    uv run python bench/router_overhead.py [--levels 1,8,32,64] [--phase-s 3]

Three processes: a fake OpenAI-compatible provider (a minimal asyncio HTTP server answering a
fixed completion), the router (``python -m ai_router``, uvicorn, configured with only OpenAI
pointing at the fake, so ``model: auto`` classifies, routes and calls through the openai SDK),
and this client (keep-alive HTTP/1.1 connections, one per concurrent worker, the same request
bytes to both targets). Prints one JSON line per concurrency level, one for the local engine
(fan message to three suggestions through the router, model ``local``), and a summary line.
``router_cpu_ms_per_request`` is the router process's CPU time per request, a figure that does
not depend on what else the machine is running; latencies do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

REPOSITORY = Path(__file__).resolve().parent.parent
FAKE_COMPLETION = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hey! So glad you wrote, how are you?"},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 24, "completion_tokens": 12, "total_tokens": 36},
    }
).encode()
CHAT_BODY = json.dumps(
    {
        "model": "auto",
        "messages": [
            {"role": "system", "content": "Suggest a reply to the fan."},
            {"role": "user", "content": "hey gorgeous, how was your weekend?"},
        ],
        "max_tokens": 64,
    }
).encode()
LOCAL_BODY = json.dumps(
    {
        "model": "local",
        "task": "reply_suggestion",
        "messages": [{"role": "user", "content": "hey how much for the beach video?"}],
        "context": {
            "fan": {"name": "Alex"},
            "n": 3,
            "examples": [
                {"input": "how much is the beach video?", "output": "It's $15 for you {fan_name}!"},
                {"input": "good morning!", "output": "Morning sunshine! Sleep well?"},
                {"input": "do you do customs", "output": "I do! Tell me your idea {fan_name}."},
            ],
        },
    }
).encode()


# -- the fake provider (its own process) -----------------------------------------------------


class FakeProviderProtocol(asyncio.Protocol):
    """Answers every request on a keep-alive connection with the same completion."""

    response = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(FAKE_COMPLETION)).encode()
        + b"\r\n\r\n"
        + FAKE_COMPLETION
    )

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            marker = head.find(b"content-length:")
            if marker >= 0:
                length = int(head[marker + 15 :].split(b"\r\n", 1)[0])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self.response)


async def serve_fake_provider(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(FakeProviderProtocol, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


# -- the client ---------------------------------------------------------------------------------


def request_bytes(path: str, body: bytes, port: int) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer bench-key\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    marker = lower.find(b"content-length:")
    length = int(lower[marker + 15 :].split(b"\r\n", 1)[0])
    await reader.readexactly(length)
    return status


async def run_phase(
    port: int, payload: bytes, concurrency: int, duration_s: float, warmup_s: float
) -> tuple[list[float], float]:
    """Latencies (ms) of the requests that started after the warm-up, and requests per second."""
    latencies: list[float] = []
    start = time.perf_counter()
    measure_from = start + warmup_s
    stop_at = measure_from + duration_s

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                sent = time.perf_counter()
                if sent >= stop_at:
                    return
                writer.write(payload)
                status = await read_response(reader)
                if status != 200:
                    raise RuntimeError(f"HTTP {status} from port {port}")
                if sent >= measure_from:
                    latencies.append((time.perf_counter() - sent) * 1000)
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, len(latencies) / duration_s


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.50), 3),
        "p95": round(percentile(values, 0.95), 3),
        "p99": round(percentile(values, 0.99), 3),
    }


# -- CPU accounting: load-independent cost per request ------------------------------------------

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def process_tree_cpu_s(root_pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    cpu_s: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu_s[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS_PER_S
    tree = {root_pid}
    grew = True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return sum(cpu_s.get(pid, 0.0) for pid in tree)


# -- orchestration ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


async def measure(
    router_port: int,
    fake_port: int,
    router_pid: int,
    levels: Sequence[int],
    phase_s: float,
    warmup_s: float,
) -> None:
    direct_payload = request_bytes("/v1/chat/completions", CHAT_BODY, fake_port)
    router_payload = request_bytes("/v1/chat/completions", CHAT_BODY, router_port)
    await run_phase(router_port, router_payload, 4, 1.0, 0.5)  # warm the router's code paths
    best: dict[str, float] = {"rps": 0.0, "concurrency": 0}
    for concurrency in levels:
        direct, direct_rps = await run_phase(
            fake_port, direct_payload, concurrency, phase_s, warmup_s
        )
        cpu_before_s = process_tree_cpu_s(router_pid)
        routed, router_rps = await run_phase(
            router_port, router_payload, concurrency, phase_s, warmup_s
        )
        router_cpu_s = process_tree_cpu_s(router_pid) - cpu_before_s
        # The phase's requests include the warm-up ones, which the latencies leave out.
        all_requests = len(routed) * (phase_s + warmup_s) / phase_s
        direct_figures, routed_figures = summary(direct), summary(routed)
        line = {
            "benchmark": "router_overhead",
            "concurrency": concurrency,
            "overhead_ms": {
                key: round(routed_figures[key] - direct_figures[key], 3) for key in direct_figures
            },
            "router_latency_ms": routed_figures,
            "direct_latency_ms": direct_figures,
            "router_rps": round(router_rps, 1),
            "direct_rps": round(direct_rps, 1),
            "router_cpu_ms_per_request": round(router_cpu_s * 1000 / max(all_requests, 1), 3),
            "requests": len(routed),
        }
        print(json.dumps(line), flush=True)
        if router_rps > best["rps"]:
            best = {"rps": round(router_rps, 1), "concurrency": concurrency}
    local_payload = request_bytes("/v1/chat/completions", LOCAL_BODY, router_port)
    cpu_before_s = process_tree_cpu_s(router_pid)
    local, local_rps = await run_phase(router_port, local_payload, 1, phase_s, warmup_s)
    local_cpu_s = process_tree_cpu_s(router_pid) - cpu_before_s
    local_requests = len(local) * (phase_s + warmup_s) / phase_s
    print(
        json.dumps(
            {
                "benchmark": "router_local_suggestion",
                "concurrency": 1,
                "latency_ms": summary(local),
                "rps": round(local_rps, 1),
                "router_cpu_ms_per_request": round(local_cpu_s * 1000 / max(local_requests, 1), 3),
                "suggestions": 3,
            }
        ),
        flush=True,
    )
    print(
        json.dumps(
            {
                "benchmark": "router_overhead_summary",
                "highest_router_rps": best["rps"],
                "at_concurrency": best["concurrency"],
                "cpu_count": os.cpu_count(),
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        ),
        flush=True,
    )


def install_fast_loop() -> None:
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,8,32,64")
    parser.add_argument("--phase-s", type=float, default=3.0)
    parser.add_argument("--warmup-s", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=1, help="router worker processes")
    parser.add_argument("--fake-provider", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    install_fast_loop()
    if arguments.fake_provider:
        asyncio.run(serve_fake_provider(arguments.fake_provider))
        return
    fake_port, router_port = free_port(), free_port()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPOSITORY),
        "AI_ROUTER_HOST": "127.0.0.1",
        "AI_ROUTER_PORT": str(router_port),
        "AI_ROUTER_KEYS": "bench-key",
        "AI_ROUTER_WORKERS": str(arguments.workers),
        "AI_ROUTER_LOG_LEVEL": "info",
        "OPENAI_API_KEY": "bench-provider-key",
        "OPENAI_BASE_URL": f"http://127.0.0.1:{fake_port}/v1",
    }
    fake = subprocess.Popen(
        [sys.executable, __file__, "--fake-provider", str(fake_port)], cwd=REPOSITORY
    )
    router = subprocess.Popen(
        [sys.executable, "-m", "ai_router"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(fake_port, fake)
        wait_for_port(router_port, router)
        levels = [int(level) for level in arguments.levels.split(",")]
        asyncio.run(
            measure(
                router_port, fake_port, router.pid, levels, arguments.phase_s, arguments.warmup_s
            )
        )
    finally:
        for process in (router, fake):
            process.terminate()
        for process in (router, fake):
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
