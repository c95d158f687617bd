"""AI router overhead: latency through the router to a fake provider minus latency straight to
the same fake, interleaved in one run, at rising concurrency. Loopback only, about a minute.

    uv run python bench/router_overhead.py [--levels 1,4,16,64] [--phase-s 4] [--workers 2]
    uv run python bench/router_overhead.py --profile      # where the router's CPU goes

Three kinds of process share the machine's cores: a fake OpenAI-compatible provider (a
minimal asyncio server answering a fixed completion), the router (``python -m ai_router``,
uvicorn with ``--workers`` processes, only OpenAI configured and pointing at the fake, so
``model: auto`` is parsed, classified, routed, called, costed, counted and logged), and this
driver. The driver is as lean as the fake: pre-built request bytes written on keep-alive
connections, answers read by an ``asyncio.Protocol`` that only looks for the content length.

Latency, per concurrency level: each of ``c`` workers holds one connection to the fake and
one to the router and alternates a direct request and a routed one (half the workers start
with each), so both series see the same machine at the same moments. Overhead is the
difference of the two distributions' percentiles. ``router_cpu_ms_per_request`` is the router
processes' CPU time over the routed requests of the phase: a figure that does not depend on
what else runs on the machine, unlike latencies. Throughput: router-only phases at rising
concurrency; the highest requests per second is reported.

Output: one JSON line per level, one for the local engine, one for throughput and a summary;
the same plus the machine's load in ``bench/reports/router_<UTC time>.md`` and ``.jsonl``.
``--cpus 0:1`` pins the router to CPU 0 and this driver and the fake to CPU 1 (``1:1``: all on
one CPU). On this 2-vCPU virtual machine, waking a process on the other, idle vCPU costs tens of
microseconds, and a routed request crosses CPUs up to four times (driver, router, fake, router,
driver) while a direct one usually stays on one CPU: unpinned, the overhead at concurrency 1 is
about 0.2 ms or about 0.45 ms depending on where the scheduler puts the router. Pinning makes
a run reproducible; the default leaves the choice to the scheduler, as in production.
``--profile`` runs the router in this process under cProfile (CPU clock) against the fake and
prints the functions that cost the most, per request.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime
import io
import json
import os
import pstats
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

REPOSITORY = Path(__file__).resolve().parent.parent
REPORTS = REPOSITORY / "bench" / "reports"
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


def _content_length(head: bytes) -> int:
    marker = head.lower().find(b"\r\ncontent-length:")
    if marker < 0:
        raise RuntimeError("an answer without content-length")
    return int(head[marker + 17 :].split(b"\r\n", 1)[0])


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
            length = _content_length(self.buffer[: end + 2])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self.response)


async def serve_fake_provider(port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(FakeProviderProtocol, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


# -- the driver ---------------------------------------------------------------------------------


def request_bytes(body: bytes, port: int) -> bytes:
    return (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n"
        "content-type: application/json\r\nauthorization: Bearer bench-key\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


class DriverConnection(asyncio.Protocol):
    """One keep-alive connection; ``ask`` writes pre-built bytes and waits for the status."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.transport: asyncio.Transport | None = None

    @classmethod
    async def open(cls, port: int) -> DriverConnection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(cls, "127.0.0.1", port)
        return connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[: end + 2])
        total = end + 4 + _content_length(head)
        if len(self.buffer) < total:
            return
        del self.buffer[:total]
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(int(head[9:12]))

    def connection_lost(self, exc: Exception | None) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"connection lost: {exc}"))

    async def ask(self, payload: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Target:
    """Where requests go, and what came back."""

    def __init__(self, name: str, port: int, payload: bytes) -> None:
        self.name = name
        self.port = port
        self.payload = payload
        self.latencies_ms: list[float] = []
        self.requests = 0
        self.errors = 0


async def drive(
    targets: Sequence[Target], concurrency: int, duration_s: float, warmup_s: float
) -> None:
    """``concurrency`` workers, each cycling through ``targets`` (starting at a different one),
    one request at a time; latencies are kept for requests sent after the warm-up."""
    start = time.perf_counter()
    measure_from = start + warmup_s
    stop_at = measure_from + duration_s
    perf_counter = time.perf_counter

    async def worker(index: int) -> None:
        order = [targets[(index + shift) % len(targets)] for shift in range(len(targets))]
        connections = [await DriverConnection.open(target.port) for target in order]
        pairs = list(zip(order, connections, strict=True))
        try:
            while perf_counter() < stop_at:
                for target, connection in pairs:
                    sent = perf_counter()
                    status = await connection.ask(target.payload)
                    elapsed_ms = (perf_counter() - sent) * 1000
                    target.requests += 1
                    if status != 200:
                        target.errors += 1
                    elif sent >= measure_from:
                        target.latencies_ms.append(elapsed_ms)
        finally:
            for connection in connections:
                connection.close()

    await asyncio.gather(*(worker(index) for index in range(concurrency)))


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
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


def router_workers(root_pid: int) -> list[int]:
    """The uvicorn worker processes under the router's supervisor."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == root_pid and b"spawn_main" in command:
            workers.append(int(entry.name))
    return workers or [root_pid]


def connections_per_worker(root_pid: int, port: int) -> list[int]:
    """Established connections on ``port`` held by each router worker, busiest first: the
    kernel decides which worker serves a connection, and a worker holding them all serves
    them one at a time while the other idles."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(f"socket:[{fields[9]}]")
    counts = []
    for worker in router_workers(root_pid):
        count = 0
        try:
            descriptors = list(Path(f"/proc/{worker}/fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                count += os.readlink(descriptor) in inodes
            except OSError:
                continue
        counts.append(count)
    return sorted(counts, reverse=True)


def own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


# -- phases -------------------------------------------------------------------------------------


class Bench:
    def __init__(self, router_port: int, fake_port: int, router_pid: int, fake_pid: int) -> None:
        self.router_port = router_port
        self.fake_port = fake_port
        self.router_pid = router_pid
        self.fake_pid = fake_pid

    async def overhead(self, concurrency: int, phase_s: float, warmup_s: float) -> dict[str, Any]:
        direct = Target("direct", self.fake_port, request_bytes(CHAT_BODY, self.fake_port))
        routed = Target("router", self.router_port, request_bytes(CHAT_BODY, self.router_port))
        router_cpu_s, fake_cpu_s, driver_cpu_s = (
            process_tree_cpu_s(self.router_pid),
            process_tree_cpu_s(self.fake_pid),
            own_cpu_s(),
        )
        started = time.perf_counter()
        spread: list[int] = []

        async def note_spread() -> None:
            await asyncio.sleep(warmup_s)  # every driver connection is open by then
            spread.extend(connections_per_worker(self.router_pid, self.router_port))

        spread_task = asyncio.create_task(note_spread())
        await drive([direct, routed], concurrency, phase_s, warmup_s)
        await spread_task
        elapsed_s = time.perf_counter() - started
        router_cpu_s = process_tree_cpu_s(self.router_pid) - router_cpu_s
        fake_cpu_s = process_tree_cpu_s(self.fake_pid) - fake_cpu_s
        driver_cpu_s = own_cpu_s() - driver_cpu_s
        direct_figures, routed_figures = summary(direct.latencies_ms), summary(routed.latencies_ms)
        all_requests = direct.requests + routed.requests
        return {
            "benchmark": "router_overhead",
            "concurrency": concurrency,
            "overhead_ms": {
                key: round(routed_figures[key] - direct_figures[key], 3) for key in direct_figures
            },
            "router_latency_ms": routed_figures,
            "direct_latency_ms": direct_figures,
            "router_cpu_ms_per_request": round(router_cpu_s * 1000 / max(routed.requests, 1), 3),
            "router_connections_per_worker": spread,
            "fake_cpu_ms_per_request": round(fake_cpu_s * 1000 / max(all_requests, 1), 3),
            "driver_cpu_ms_per_request": round(driver_cpu_s * 1000 / max(all_requests, 1), 3),
            "requests": {"router": len(routed.latencies_ms), "direct": len(direct.latencies_ms)},
            "errors": routed.errors + direct.errors,
            "interleaved_rps": round(all_requests / elapsed_s, 1),
        }

    async def throughput(
        self, levels: Sequence[int], phase_s: float, warmup_s: float
    ) -> dict[str, Any]:
        per_level: dict[str, float] = {}
        cpu: dict[str, float] = {}
        errors = 0
        for concurrency in levels:
            routed = Target("router", self.router_port, request_bytes(CHAT_BODY, self.router_port))
            router_cpu_s = process_tree_cpu_s(self.router_pid)
            await drive([routed], concurrency, phase_s, warmup_s)
            router_cpu_s = process_tree_cpu_s(self.router_pid) - router_cpu_s
            per_level[str(concurrency)] = round(len(routed.latencies_ms) / phase_s, 1)
            cpu[str(concurrency)] = round(router_cpu_s * 1000 / max(routed.requests, 1), 3)
            errors += routed.errors
        best = max(per_level, key=lambda level: per_level[level])
        return {
            "benchmark": "router_throughput",
            "rps_by_concurrency": per_level,
            "router_cpu_ms_per_request_by_concurrency": cpu,
            "highest_rps": per_level[best],
            "at_concurrency": int(best),
            "errors": errors,
        }

    async def local_engine(self, phase_s: float, warmup_s: float) -> dict[str, Any]:
        local = Target("local", self.router_port, request_bytes(LOCAL_BODY, self.router_port))
        router_cpu_s = process_tree_cpu_s(self.router_pid)
        await drive([local], 1, phase_s, warmup_s)
        router_cpu_s = process_tree_cpu_s(self.router_pid) - router_cpu_s
        return {
            "benchmark": "router_local_suggestion",
            "concurrency": 1,
            "latency_ms": summary(local.latencies_ms),
            "rps": round(len(local.latencies_ms) / phase_s, 1),
            "router_cpu_ms_per_request": round(router_cpu_s * 1000 / max(local.requests, 1), 3),
            "suggestions": 3,
            "errors": local.errors,
        }


async def measure(bench: Bench, arguments: argparse.Namespace) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []

    def emit(line: dict[str, Any]) -> None:
        lines.append(line)
        print(json.dumps(line), flush=True)

    warm = Target("router", bench.router_port, request_bytes(CHAT_BODY, bench.router_port))
    await drive([warm], 4, 1.0, 0.5)  # warm every worker's code paths and connections
    load_before = os.getloadavg()[0]
    for concurrency in [int(level) for level in arguments.levels.split(",")]:
        emit(await bench.overhead(concurrency, arguments.phase_s, arguments.warmup_s))
    emit(await bench.local_engine(arguments.phase_s, arguments.warmup_s))
    throughput_levels = [int(level) for level in arguments.throughput_levels.split(",")]
    throughput = await bench.throughput(throughput_levels, arguments.phase_s, arguments.warmup_s)
    emit(throughput)
    overheads = [line for line in lines if line["benchmark"] == "router_overhead"]
    emit(
        {
            "benchmark": "router_overhead_summary",
            "overhead_ms_at_concurrency_1": overheads[0]["overhead_ms"] if overheads else None,
            "router_cpu_ms_per_request": min(
                (line["router_cpu_ms_per_request"] for line in overheads), default=None
            ),
            "highest_router_rps": throughput["highest_rps"],
            "router_workers": arguments.workers,
            "cpus": arguments.cpus,
            "cpu_count": os.cpu_count(),
            "load_average_1m": {
                "before": round(load_before, 2),
                "after": round(os.getloadavg()[0], 2),
            },
            "target": {"p50_ms": 0.5, "p99_ms": 3.0},
        }
    )
    return lines


# -- profile ------------------------------------------------------------------------------------


async def _asgi_post(app: Any, body: bytes) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/chat/completions",
        "raw_path": b"/v1/chat/completions",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"router"),
            (b"content-type", b"application/json"),
            (b"authorization", b"Bearer bench-key"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
        "state": {},
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def profile_router(fake_port: int, requests: int, top: int) -> str:
    """The router app in this process (no uvicorn), profiled on the CPU clock."""
    from ai_router.main import close_app, create_app
    from ai_router.settings import Settings

    settings = Settings.from_env(
        {
            "AI_ROUTER_KEYS": "bench-key",
            "OPENAI_API_KEY": "bench-provider-key",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{fake_port}/v1",
            "AI_ROUTER_USAGE_LOG": "on",
        }
    )
    app = create_app(settings)
    for _ in range(300):
        assert await _asgi_post(app, CHAT_BODY) == 200
    cpu_s = time.process_time()
    for _ in range(requests):
        await _asgi_post(app, CHAT_BODY)
    unprofiled_ms = (time.process_time() - cpu_s) * 1000 / requests
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for _ in range(requests):
        await _asgi_post(app, CHAT_BODY)
    profiler.disable()
    await close_app(app)
    output = io.StringIO()
    stats = pstats.Stats(profiler, stream=output)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return (
        f"in-process CPU per request without the profiler: {unprofiled_ms:.3f} ms "
        f"(the profiler multiplies times by about 3; compare shares, not values)\n"
        + output.getvalue()
    )


# -- orchestration ------------------------------------------------------------------------------


def parse_cpus(text: str) -> tuple[set[int], set[int]]:
    """``"0:1"`` -> ({0}, {1}): the router's CPUs, then the driver's and the fake's."""
    router_text, _, other_text = text.partition(":")
    router_cpus = {int(cpu) for cpu in router_text.split(",")}
    other_cpus = {int(cpu) for cpu in other_text.split(",")}
    return router_cpus, other_cpus


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


def install_fast_loop() -> None:
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def write_report(lines: list[dict[str, Any]], arguments: argparse.Namespace, extra: str) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    base = REPORTS / f"router_{stamp}"
    base.with_suffix(".jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    rows = [
        "| concurrency | overhead p50 | p95 | p99 | router p50 | direct p50 | router CPU ms/req "
        "| connections per worker |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for line in lines:
        if line["benchmark"] == "router_overhead":
            overhead = line["overhead_ms"]
            rows.append(
                f"| {line['concurrency']} | {overhead['p50']} | {overhead['p95']} | "
                f"{overhead['p99']} | {line['router_latency_ms']['p50']} | "
                f"{line['direct_latency_ms']['p50']} | {line['router_cpu_ms_per_request']} | "
                f"{line['router_connections_per_worker']} |"
            )
    text = "\n".join(
        [
            f"# AI router overhead, {stamp}",
            "",
            f"`{' '.join(sys.argv)}` on {os.cpu_count()} cores, router workers: "
            f"{arguments.workers}. Latencies in ms; overhead = router - direct percentile.",
            "",
            *rows,
            "",
            "```",
            *(json.dumps(line) for line in lines),
            "```",
            "",
            extra,
        ]
    )
    base.with_suffix(".md").write_text(text)
    return base.with_suffix(".md")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--levels", default="1,4,16,64")
    parser.add_argument("--throughput-levels", default="8,32,64")
    parser.add_argument("--phase-s", type=float, default=4.0)
    parser.add_argument("--warmup-s", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=2, help="router worker processes")
    parser.add_argument("--profile", action="store_true", help="profile the router in process")
    parser.add_argument("--profile-requests", type=int, default=3000)
    parser.add_argument(
        "--cpus",
        help=(
            "ROUTER:OTHERS, CPU lists for the router and for this driver and the fake, e.g. "
            "0:1 (router on its own CPU) or 1:1 (all on one); default: the scheduler decides"
        ),
    )
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--fake-provider", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    install_fast_loop()
    if arguments.cpus and not arguments.fake_provider:
        router_cpus, other_cpus = parse_cpus(arguments.cpus)
        arguments.router_cpus = router_cpus
        os.sched_setaffinity(0, other_cpus)  # this driver, and the fake started below
    if arguments.fake_provider:
        asyncio.run(serve_fake_provider(arguments.fake_provider))
        return
    fake_port = free_port()
    fake = subprocess.Popen(
        [sys.executable, __file__, "--fake-provider", str(fake_port)], cwd=REPOSITORY
    )
    try:
        wait_for_port(fake_port, fake)
        if arguments.profile:
            sys.path.insert(0, str(REPOSITORY))
            text = asyncio.run(profile_router(fake_port, arguments.profile_requests, 45))
            print(text)
            if not arguments.no_report:
                REPORTS.mkdir(parents=True, exist_ok=True)
                stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
                path = REPORTS / f"router_profile_{stamp}.txt"
                path.write_text(f"{' '.join(sys.argv)}\n{text}")
                print(f"report: {path.relative_to(REPOSITORY)}", file=sys.stderr)
            return
        run_router(arguments, fake_port, fake)
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def run_router(
    arguments: argparse.Namespace, fake_port: int, fake: subprocess.Popen[bytes]
) -> None:
    router_port = free_port()
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
    router = subprocess.Popen(
        [sys.executable, "-m", "ai_router"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.DEVNULL,  # the usage lines are written, and thrown away here
    )
    if arguments.cpus:
        # Set before the router spawns its workers (after its imports), so they inherit it.
        os.sched_setaffinity(router.pid, arguments.router_cpus)
    try:
        wait_for_port(router_port, router)
        bench = Bench(router_port, fake_port, router.pid, fake.pid)
        lines = asyncio.run(measure(bench, arguments))
    finally:
        router.terminate()
        router.wait(timeout=10)
    if not arguments.no_report:
        report = write_report(lines, arguments, "")
        print(f"report: {report.relative_to(REPOSITORY)}", file=sys.stderr)


if __name__ == "__main__":
    main()
