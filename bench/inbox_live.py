"""Live inbox benchmark: a fan message ingested to its suggestions received over the
WebSocket, and the memory cost of idle WebSocket connections. Production-like, as
`bench/run_web.py` (whose helpers it uses).

    flock /tmp/huntaze-bench.lock uv run python bench/inbox_live.py [--messages 200] [--sockets 500]

Steps: the `huntaze_bench` PostgreSQL database (migrated; seeded `large` if empty), Redis db 11
for the cache, the channel layer and the Celery broker; `uvicorn ... --workers 2` with the
production settings and one Celery worker (`-Q ai,default -c 2`) running the AI router
in-process (no key set: its offline `local` provider).

1. Latency: one WebSocket signed in as the demo owner on the biggest creator; `--messages`
   fan messages, one at a time, each POSTed to `/api/v1/ingest/messages` (Bearer API key)
   for one of 20 bench fans. Measured from just before the POST to the `suggestion.created`
   frame for that message (and, for reference, to its `message.created` frame and to the
   POST's answer). Target: p95 < 150 ms.
2. Idle sockets: the memory of the uvicorn processes (RSS and PSS summed over the process
   tree, from /proc) before and after opening `--sockets` authenticated WebSockets that then
   stay idle for `--hold-s`; then one message is ingested and the sockets that received its
   `message.created` are counted (the others by outcome: timed out, or closed and how).
   Target: under 200 MB more.

Prints one JSON line per figure and writes bench/reports/inbox_live_<UTC time>.md and .jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_web import (  # noqa: E402
    REPORTS,
    REPOSITORY,
    Workspace,
    api_key_revoke,
    bench_environment,
    django_setup,
    ensure_database,
    free_port,
    manage,
    start_server,
    stop_server,
    wait_ready,
    workspace_prepare,
)

REDIS_URL = "redis://127.0.0.1:6379/11"
TARGET_P95_MS = 150.0
TARGET_EXTRA_MB = 200.0
BENCH_FANS = 20
EVENT_TIMEOUT_S = 15.0
TEXTS = (
    "hey babe how are you today?",
    "how much is the new video?",
    "you look amazing in the last post",
    "I live in Austin and my dog Rex loves your pics",
    "any discount this weekend?",
)


# Processes --------------------------------------------------------------------------------------


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "huntaze.config", "worker",
        "-Q", "ai,default", "-c", "2", "--pool", "prefork", "-l", "warning",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    log = log_path.open("w")
    return subprocess.Popen(
        command, cwd=REPOSITORY, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.extend(children)
        frontier.extend(children)
    return tree


def _kilobytes(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def tree_memory_mb(root: int) -> dict[str, float]:
    """RSS and PSS of a process and its children, in MB (PSS shares the pages the forked
    workers have in common instead of counting them once per process)."""
    pids = process_tree(root)
    rss = sum(_kilobytes(Path(f"/proc/{pid}/status"), "VmRSS") for pid in pids)
    pss = sum(_kilobytes(Path(f"/proc/{pid}/smaps_rollup"), "Pss") for pid in pids)
    return {"rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1), "processes": len(pids)}


# Clients ----------------------------------------------------------------------------------------


def socket_options(port: int, workspace: Workspace) -> dict[str, Any]:
    from django.conf import settings

    return {
        "additional_headers": {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={workspace.session_key}",
            "Origin": f"http://127.0.0.1:{port}",
        },
        "open_timeout": 30,
        "ping_interval": None,
        "max_queue": None,
    }


def fan_message(number: int, stamp: str) -> dict[str, Any]:
    fan = number % BENCH_FANS
    return {
        "items": [
            {
                "platform_message_id": f"bench-live-{stamp}-{number}",
                "fan": {
                    "platform_fan_id": f"bench-live-fan-{fan}",
                    "username": f"bench_live_{fan}",
                    "display_name": f"Bench Fan {fan}",
                },
                "direction": "in",
                "text": TEXTS[number % len(TEXTS)],
                "sent_at": datetime.now(UTC).isoformat(),
            }
        ]
    }


class Arrivals:
    """When each message's `message.created` and `suggestion.created` frames arrived."""

    def __init__(self) -> None:
        self.times: dict[tuple[str, int], float] = {}
        self.waiters: dict[tuple[str, int], asyncio.Future[float]] = {}

    def record(self, frame: dict[str, Any]) -> None:
        payload = frame.get("payload") or {}
        if frame.get("event") == "message.created":
            key = ("message", int(payload["message"]["id"]))
        elif frame.get("event") == "suggestion.created":
            key = ("suggestion", int(payload["message_id"]))
        else:
            return
        moment = time.perf_counter()
        self.times[key] = moment
        waiter = self.waiters.pop(key, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(moment)

    async def wait(self, key: tuple[str, int]) -> float:
        if key in self.times:
            return self.times[key]
        waiter = asyncio.get_running_loop().create_future()
        self.waiters[key] = waiter
        return await asyncio.wait_for(waiter, EVENT_TIMEOUT_S)


async def measure_latency(
    base_url: str, port: int, workspace: Workspace, *, count: int, warmup: int, stamp: str
) -> dict[str, list[float]]:
    arrivals = Arrivals()
    figures: dict[str, list[float]] = {"suggestion": [], "message": [], "post": []}
    url = f"ws://127.0.0.1:{port}/ws/workspace/"
    headers = {"Authorization": f"Bearer {workspace.api_key}"}
    async with (
        websockets.connect(url, **socket_options(port, workspace)) as socket,
        httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client,
    ):

        async def read() -> None:
            async for raw in socket:
                arrivals.record(json.loads(raw))

        reader = asyncio.create_task(read())
        try:
            for number in range(warmup + count):
                started = time.perf_counter()
                response = await client.post(
                    "/api/v1/ingest/messages", json=fan_message(number, stamp)
                )
                answered = time.perf_counter()
                response.raise_for_status()
                message_id = int(response.json()["items"][0]["id"])
                suggested = await arrivals.wait(("suggestion", message_id))
                created = await arrivals.wait(("message", message_id))
                if number >= warmup:
                    figures["suggestion"].append((suggested - started) * 1000)
                    figures["message"].append((created - started) * 1000)
                    figures["post"].append((answered - started) * 1000)
                await asyncio.sleep(0.02)
        finally:
            reader.cancel()
    return figures


async def hold_idle_sockets(
    base_url: str,
    port: int,
    workspace: Workspace,
    server_pid: int,
    *,
    count: int,
    hold_s: float,
    stamp: str,
) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws/workspace/"
    options = socket_options(port, workspace)
    await asyncio.sleep(2)
    before = tree_memory_mb(server_pid)
    sockets: list[Any] = []
    opened = time.perf_counter()
    for start in range(0, count, 50):
        batch = range(start, min(count, start + 50))
        sockets.extend(await asyncio.gather(*(websockets.connect(url, **options) for _ in batch)))
    open_s = time.perf_counter() - opened
    await asyncio.sleep(hold_s)
    after = tree_memory_mb(server_pid)
    # Still alive: one message is ingested; count the sockets its message.created reaches.
    headers = {"Authorization": f"Bearer {workspace.api_key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
        response = await client.post(
            "/api/v1/ingest/messages", json=fan_message(0, f"idle-{stamp}")
        )
        response.raise_for_status()
        message_id = int(response.json()["items"][0]["id"])

    async def receives(socket: Any) -> str:
        """`received`, `timeout`, or `closed <code>` (1006: the server dropped the connection
        without a close frame, as when its consumer raised)."""
        deadline = time.monotonic() + EVENT_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), EVENT_TIMEOUT_S))
            except TimeoutError:
                return "timeout"
            except websockets.ConnectionClosed:
                return f"closed {socket.close_code}"
            if frame.get("event") == "message.created" and frame["payload"]["message"]["id"] == (
                message_id
            ):
                return "received"
        return "timeout"

    outcomes = await asyncio.gather(*(receives(socket) for socket in sockets))
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
    missed = Counter(outcome for outcome in outcomes if outcome != "received")
    return {
        "before": before,
        "after": after,
        "open_s": open_s,
        "reached": outcomes.count("received"),
        "missed": dict(sorted(missed.items())),
    }


# Report -----------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict[str, float]:
    data = np.array(values)
    return {
        "count": len(values),
        "p50_ms": round(float(np.percentile(data, 50)), 1),
        "p95_ms": round(float(np.percentile(data, 95)), 1),
        "p99_ms": round(float(np.percentile(data, 99)), 1),
        "max_ms": round(float(data.max()), 1),
    }


def write_report(stamp: str, lines: list[dict[str, Any]], context: dict[str, Any]) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    jsonl = REPORTS / f"inbox_live_{stamp}.jsonl"
    jsonl.write_text("".join(json.dumps(line) + "\n" for line in lines))
    rows = "\n".join(
        f"| {line['figure']} | {line.get('p50_ms', '')} | {line.get('p95_ms', '')} | "
        f"{line.get('p99_ms', '')} | {line.get('extra_rss_mb', '')} | "
        f"{line.get('extra_pss_mb', '')} | {line.get('verdict', '')} |"
        for line in lines
    )
    text = f"""# Live inbox benchmark, {stamp}

`flock /tmp/huntaze-bench.lock uv run python bench/inbox_live.py {context["argv"]}`

Machine: {context["machine"]}; load average before: {context["load_before"]}, after:
{context["load_after"]}. PostgreSQL `huntaze_bench` ({context["creator"]}, {context["fans"]} fans),
Redis db 11 (cache, channel layer, Celery broker), uvicorn `--workers 2` with the production
settings, one Celery worker (`-Q ai,default -c 2`), the AI router in-process with its offline
`local` provider.

| figure | p50 ms | p95 ms | p99 ms | extra RSS MB | extra PSS MB | verdict |
| --- | --- | --- | --- | --- | --- | --- |
{rows}

- `ingest_to_suggestion_ws`: from just before `POST /api/v1/ingest/messages` to the
  `suggestion.created` frame of that message on an open WebSocket (target p95 < {TARGET_P95_MS:.0f} ms).
  `ingest_to_message_ws` and `ingest_post` are the same run's `message.created` frame and the
  POST's answer.
- `idle_websockets`: the uvicorn process tree's memory before and after opening the sockets
  and holding them idle (target < {TARGET_EXTRA_MB:.0f} MB more; the verdict is on memory);
  `reached` (in the .jsonl) is how many of them then received a broadcast `message.created`
  within {EVENT_TIMEOUT_S:.0f} s; `missed` counts the others by outcome (`timeout`, or
  `closed <code>`: 1006 when the server dropped the connection without a close frame).

Raw lines: `{jsonl.name}`.
"""
    report = REPORTS / f"inbox_live_{stamp}.md"
    report.write_text(text)
    return report


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--hold-s", type=float, default=10.0)
    options = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    port = free_port()
    env = bench_environment(port, conn_max_age=60, db_pool=True)
    env["REDIS_URL"] = REDIS_URL
    env.pop("CELERY_BROKER_URL", None)
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    ensure_database()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_demo", "--size", "large", "--seed", "1", "--if-empty")
    manage(env, "collectstatic", "--no-input", "-v0")

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    django_setup(env)
    workspace = workspace_prepare()
    logs = Path(tempfile.mkdtemp(prefix="huntaze-bench-live-"))
    server = start_server(env, port, 2, logs / "server.log")
    worker = start_worker(env, logs / "worker.log")
    base_url = f"http://127.0.0.1:{port}"
    lines: list[dict[str, Any]] = []
    try:
        wait_ready(port, server)
        figures = asyncio.run(
            measure_latency(
                base_url, port, workspace, count=options.messages, warmup=options.warmup,
                stamp=stamp,
            )
        )  # fmt: skip
        for name, key in (
            ("ingest_to_suggestion_ws", "suggestion"),
            ("ingest_to_message_ws", "message"),
            ("ingest_post", "post"),
        ):
            line = {"figure": name, **percentiles(figures[key])}
            if key == "suggestion":
                line["target_p95_ms"] = TARGET_P95_MS
                line["verdict"] = "pass" if line["p95_ms"] < TARGET_P95_MS else "fail"
            lines.append(line)
            print(json.dumps(line), flush=True)
        idle = asyncio.run(
            hold_idle_sockets(
                base_url, port, workspace, server.pid, count=options.sockets,
                hold_s=options.hold_s, stamp=stamp,
            )
        )  # fmt: skip
        extra_rss = round(idle["after"]["rss_mb"] - idle["before"]["rss_mb"], 1)
        extra_pss = round(idle["after"]["pss_mb"] - idle["before"]["pss_mb"], 1)
        line = {
            "figure": "idle_websockets",
            "sockets": options.sockets,
            "hold_s": options.hold_s,
            "open_s": round(idle["open_s"], 2),
            "before": idle["before"],
            "after": idle["after"],
            "extra_rss_mb": extra_rss,
            "extra_pss_mb": extra_pss,
            "extra_kb_per_socket": round(extra_rss * 1024 / max(1, options.sockets), 1),
            "reached": idle["reached"],
            "missed": idle["missed"],
            "target_extra_mb": TARGET_EXTRA_MB,
            "verdict": "pass" if extra_rss < TARGET_EXTRA_MB else "fail",
        }
        lines.append(line)
        print(json.dumps(line), flush=True)
    finally:
        stop_server(worker)
        stop_server(server)
        api_key_revoke(workspace)
    from huntaze.core.models import Creator

    report = write_report(
        stamp,
        lines,
        {
            "argv": " ".join(argv if argv is not None else sys.argv[1:]),
            "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
            "load_before": load_before,
            "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            "creator": Creator.objects.get(id=workspace.creator_id).name,
            "fans": workspace.fans,
        },
    )
    print(f"report: {report.relative_to(REPOSITORY)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
