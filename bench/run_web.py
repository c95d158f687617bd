"""Web benchmark: the app served production-like, on the `large` demo data, under load.

    uv run python bench/run_web.py [--duration-s 20] [--clients 50] [--rate 0] [--explain]

Steps: create the PostgreSQL database `huntaze_bench` if missing, migrate, seed the `large`
demo if it holds no creator, collect the static files; then start
`uvicorn huntaze.config.asgi:application --app-dir src --workers 2` with the production
settings (DEBUG off, Redis db 9 for cache and channels), sign in (an API key made with
`api_key_create` for the API, a session from Django's SessionStore for /home), and drive each
endpoint for a bounded time with an asyncio HTTP/1.1 client on loopback (`--client raw`,
the default: plain asyncio streams; `--client httpx` for httpx).

Closed loop by default: `--clients` workers each send the next request as soon as the last
one answered. With `--rate R`, open loop instead: R requests per second in total (Poisson
arrivals), at most `--clients` in flight, so latency is measured below saturation.

Prints one JSON line per endpoint: endpoint, clients, requests, errors, rps, p50_ms, p95_ms,
p99_ms, plus app_cpu_ms_per_request (CPU of the uvicorn processes per request: a figure that
does not depend on what else the machine runs) and the database queries per request. Writes
bench/reports/web-<UTC time>.md (and .jsonl). `--explain` adds EXPLAIN (ANALYZE, BUFFERS) of
every query each endpoint runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
REPORTS = REPOSITORY / "bench" / "reports"
DATABASE = "huntaze_bench"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/9"
TARGET_P95_MS = 30.0
TARGET_P99_MS = 60.0


@dataclass
class Endpoint:
    name: str
    paths: list[str]
    headers: dict[str, str]
    note: str = ""


@dataclass
class Result:
    endpoint: str
    clients: int
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "clients": self.clients,
            "requests": self.requests,
            "errors": self.errors,
            "rps": self.rps,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            **self.extra,
        }


# Environment, database, server ------------------------------------------------------------------


def bench_environment(port: int, *, conn_max_age: int, db_pool: bool = False) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "REDIS_HOST", "DEBUG"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "huntaze.config.settings.production",
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "DATABASE_CONN_MAX_AGE": str(conn_max_age),
            "REDIS_URL": REDIS_URL,
            "NEXTAUTH_SECRET": secrets.token_urlsafe(48),
            "TOKEN_ENCRYPTION_KEY": secrets.token_urlsafe(48),
            "NEXTAUTH_URL": f"http://127.0.0.1:{port}",
            "SECURE_SSL_REDIRECT": "false",
            "DEBUG": "false",
            "PYTHONPATH": str(REPOSITORY / "src"),
        }
    )
    # Production settings pool PostgreSQL connections unless told not to.
    env["DATABASE_POOL"] = "true" if db_pool else "false"
    return env


def ensure_database() -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if exists:
            return False
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
        return True


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPOSITORY,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "uvicorn", "huntaze.config.asgi:application",
        "--app-dir", "src", "--workers", str(workers),
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
    ]  # fmt: skip
    log = log_path.open("w")
    return subprocess.Popen(
        command, cwd=REPOSITORY, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_ready(port: int, server: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server exited at start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not answer /health in time")


def process_tree_cpu_s(root: int) -> float:
    """User + system CPU seconds of a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(pid, 0.0) for pid in tree)


# Django, in this process, for setup and diagnostics ----------------------------------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(REPOSITORY / "src"))
    import django

    django.setup()
    import logging

    # Django's logging config sends every httpx request line to stdout: not here.
    logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Workspace:
    creator_id: int
    creator_name: str
    fans: int
    owner_id: int
    api_key: str
    api_key_id: int
    session_key: str
    conversation_ids: list[int]


def workspace_prepare() -> Workspace:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from huntaze.accounts.models import User
    from huntaze.accounts.services import api_key_create
    from huntaze.core.context import Actor
    from huntaze.core.models import Creator, Role
    from huntaze.fans.models import Fan
    from huntaze.inbox.models import Conversation
    from huntaze.web.demo import OWNER_EMAIL

    owner = User.objects.get(email=OWNER_EMAIL)
    # The biggest creator: the heaviest pages.
    sizes = {
        creator.id: Fan.objects.for_creator(creator.id).count()
        for creator in Creator.objects.filter(memberships__user=owner)
    }
    creator = Creator.objects.get(id=max(sizes, key=lambda key: sizes[key]))
    actor = Actor(creator_id=creator.id, user_id=owner.id, role=Role.OWNER)
    key = api_key_create(actor=actor, name=f"bench {datetime.now(UTC):%Y-%m-%d %H:%M}")
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session["creator_id"] = creator.id
    session.create()
    conversations = Conversation.objects.for_creator(creator.id)
    recent = list(conversations.order_by("-last_message_at").values_list("id", flat=True)[:100])
    # And a spread over the whole inbox: every n-th conversation by id.
    ids = list(conversations.order_by("id").values_list("id", flat=True))
    spread = ids[:: max(1, len(ids) // 100)][:100]
    return Workspace(
        creator_id=creator.id,
        creator_name=creator.name,
        fans=sizes[creator.id],
        owner_id=owner.id,
        api_key=key.raw_key,
        api_key_id=key.api_key_id,
        session_key=session.session_key or "",
        conversation_ids=recent + spread,
    )


def api_key_revoke(workspace: Workspace) -> None:
    from huntaze.accounts.services import api_key_revoke as revoke
    from huntaze.core.context import Actor
    from huntaze.core.models import Role

    actor = Actor(creator_id=workspace.creator_id, user_id=workspace.owner_id, role=Role.OWNER)
    revoke(actor=actor, api_key_id=workspace.api_key_id)


def endpoints(workspace: Workspace) -> list[Endpoint]:
    from django.conf import settings

    bearer = {"Authorization": f"Bearer {workspace.api_key}"}
    session = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={workspace.session_key}"}
    return [
        Endpoint("/home", ["/home"], session),
        Endpoint("/api/v1/fans", ["/api/v1/fans"], bearer),
        Endpoint("/api/v1/conversations", ["/api/v1/conversations"], bearer),
        Endpoint(
            "/api/v1/conversations/{id}/messages",
            [f"/api/v1/conversations/{cid}/messages" for cid in workspace.conversation_ids],
            bearer,
        ),
        Endpoint("/api/v1/transactions", ["/api/v1/transactions"], bearer),
        # The inbox (issue 4): the conversation list page and an open conversation.
        Endpoint("/onlyfans/messages", ["/onlyfans/messages"], session),
        Endpoint(
            "/onlyfans/messages/{id}",
            [f"/onlyfans/messages/{cid}" for cid in workspace.conversation_ids],
            session,
        ),
        # Opening a conversation from the list: the chat and context columns only.
        Endpoint(
            "/onlyfans/messages/{id}/pane",
            [f"/onlyfans/messages/{cid}/pane" for cid in workspace.conversation_ids],
            session,
        ),
    ]


def query_profile(endpoint: Endpoint, *, explain: bool) -> dict[str, Any]:
    """Run the endpoint once in-process and record its queries (and their plans)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {}
    for name, value in endpoint.headers.items():
        if name == "Cookie":
            cookie_name, _, cookie_value = value.partition("=")
            client.cookies[cookie_name] = cookie_value
        else:
            headers[name] = value
    path = endpoint.paths[0]
    client.get(path, headers=headers)  # warm
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        elapsed_ms = (time.perf_counter() - started) * 1000
    queries = [
        {"sql": query["sql"], "ms": round(float(query["time"]) * 1000, 3)}
        for query in captured.captured_queries
    ]
    if explain:
        with connection.cursor() as cursor:
            for query in queries:
                if not str(query["sql"]).lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + str(query["sql"]))
                query["plan"] = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "path": path,
        "status": response.status_code,
        "in_process_ms": round(elapsed_ms, 2),
        "queries": queries,
    }


# The load -------------------------------------------------------------------------------------


class HttpxTransport:
    """httpx.AsyncClient, keep-alive, one pooled connection per concurrent client."""

    name = "httpx"

    def __init__(self, base_url: str, headers: dict[str, str], size: int) -> None:
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        self._client = httpx.AsyncClient(
            base_url=base_url, headers=headers, limits=limits, timeout=httpx.Timeout(10.0)
        )

    async def get(self, path: str) -> int:
        response = await self._client.get(path)
        await response.aread()
        return response.status_code

    async def close(self) -> None:
        await self._client.aclose()


class RawTransport:
    """Plain HTTP/1.1 over asyncio streams, keep-alive: a far cheaper client than httpx, so
    the driver takes less of the CPU the server needs on a small machine."""

    name = "raw"

    def __init__(self, base_url: str, headers: dict[str, str], size: int) -> None:
        address = httpx.URL(base_url)
        self._host, self._port = address.host, address.port or 80
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._head = f"Host: {self._host}:{self._port}\r\n{extra}\r\n"
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str) -> int:
        if self._idle:
            reader, writer = self._idle.pop()
            try:
                return await self._exchange(reader, writer, path)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass  # the server closed the idle connection (keep-alive timeout): reconnect
        reader, writer = await asyncio.open_connection(self._host, self._port)
        return await self._exchange(reader, writer, path)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
    ) -> int:
        try:
            writer.write(f"GET {path} HTTP/1.1\r\n{self._head}".encode())
            head = (await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)).decode("latin-1")
            status = int(head[9:12])
            fields = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in head.split("\r\n")[1:])
            }
            if "content-length" in fields:
                await reader.readexactly(int(fields["content-length"]))
            elif fields.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
        except BaseException:
            writer.close()
            raise
        if fields.get("connection", "").lower() == "close":
            writer.close()
        else:
            self._idle.append((reader, writer))
        self.seen(fields)
        return status

    def seen(self, fields: dict[str, str]) -> None:
        """Each answer's header fields (lower-case names), for subclasses that read them."""

    async def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()


TRANSPORTS: dict[str, type[HttpxTransport] | type[RawTransport]] = {
    "httpx": HttpxTransport,
    "raw": RawTransport,
}


async def drive(
    base_url: str,
    endpoint: Endpoint,
    *,
    clients: int,
    duration_s: float,
    rate: float,
    seed: int,
    transport_name: str = "httpx",
) -> tuple[list[float], int, float, dict[int, int]]:
    """Latencies (s) of the successful requests, the error count, the wall time, and the
    status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    rng = np.random.default_rng(seed)
    paths = endpoint.paths
    transport = TRANSPORTS[transport_name](base_url, endpoint.headers, clients)

    async def one(path: str) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            status = await transport.get(path)
        except (TimeoutError, httpx.HTTPError, OSError, asyncio.IncompleteReadError):
            errors += 1
            return
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors += 1

    started = time.perf_counter()
    deadline = started + duration_s
    if rate <= 0:

        async def worker(number: int) -> None:
            position = number
            while time.perf_counter() < deadline:
                await one(paths[position % len(paths)])
                position += clients

        await asyncio.gather(*(worker(n) for n in range(clients)))
    else:
        in_flight = asyncio.Semaphore(clients)
        tasks: set[asyncio.Task[None]] = set()

        async def bounded(path: str) -> None:
            async with in_flight:
                await one(path)

        position = 0
        next_at = started
        while next_at < deadline:
            delay = next_at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(bounded(paths[position % len(paths)]))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            position += 1
            next_at += float(rng.exponential(1.0 / rate))
        if tasks:
            await asyncio.gather(*tasks)
    wall = time.perf_counter() - started
    await transport.close()
    return latencies, errors, wall, statuses


def summarise(
    endpoint: Endpoint,
    clients: int,
    latencies: list[float],
    errors: int,
    wall_s: float,
) -> Result:
    result = Result(endpoint=endpoint.name, clients=clients, errors=errors)
    result.requests = len(latencies) + errors
    result.rps = round(len(latencies) / wall_s, 1) if wall_s else 0.0
    if latencies:
        p50, p95, p99 = np.percentile(np.array(latencies) * 1000, [50, 95, 99])
        result.p50_ms, result.p95_ms, result.p99_ms = (
            round(float(p50), 2),
            round(float(p95), 2),
            round(float(p99), 2),
        )
    return result


# Report ----------------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in ("creators", "fans", "conversations", "messages", "transactions"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def write_report(
    *,
    stamp: str,
    options: argparse.Namespace,
    setup: dict[str, Any],
    results: list[Result],
    profiles: dict[str, dict[str, Any]],
) -> Path:
    REPORTS.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(result.line()) for result in results]
    (REPORTS / f"web-{stamp}.jsonl").write_text("\n".join(lines) + "\n")
    mode = f"open loop at {options.rate} req/s" if options.rate else "closed loop"
    out = [
        f"# Web benchmark, {stamp}",
        "",
        f"- {options.clients} clients, {mode}, {options.duration_s} s per endpoint, "
        f"uvicorn --workers {options.workers}, production settings, "
        f"DATABASE_CONN_MAX_AGE={options.conn_max_age}, "
        f"psycopg pool: {'on' if options.db_pool else 'off'}, driver: {options.client}",
        f"- targets: p95 < {TARGET_P95_MS:.0f} ms, p99 < {TARGET_P99_MS:.0f} ms",
        f"- machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}; load average before {setup['load_before']}, "
        f"after {setup['load_after']}",
        f"- data: {json.dumps(setup['rows'])}; workspace {setup['creator']} ({setup['fans']} fans)",
        f"- setup: {json.dumps(setup['steps'])}",
        f"- server errors logged: {setup['server_errors']}",
        *[f"  - `{line[:300]}`" for line in setup["server_error_sample"]],
        "",
        "| endpoint | requests | errors | rps | p50 ms | p95 ms | p99 ms | app CPU ms/req "
        "| queries | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        line = result.line()
        met = (
            "skipped"
            if line.get("note")
            else (
                "met"
                if result.p95_ms < TARGET_P95_MS and result.p99_ms < TARGET_P99_MS
                else "missed"
            )
        )
        out.append(
            f"| {result.endpoint} | {result.requests} | {result.errors} | {result.rps} "
            f"| {result.p50_ms} | {result.p95_ms} | {result.p99_ms} "
            f"| {line.get('app_cpu_ms_per_request', '')} | {line.get('queries', '')} | {met} |"
        )
    out += ["", "## JSON lines", "", "```", *lines, "```", "", "## Queries per endpoint", ""]
    for name, profile in profiles.items():
        out.append(
            f"### {name}  (status {profile['status']}, {profile['in_process_ms']} ms "
            "in-process, one request)"
        )
        out.append("")
        for query in profile["queries"]:
            out += ["```sql", str(query["sql"]), "```", f"{query['ms']} ms", ""]
            if "plan" in query:
                out += ["```", str(query["plan"]), "```", ""]
    path = REPORTS / f"web-{stamp}.md"
    path.write_text("\n".join(out) + "\n")
    return path


# Main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration-s", type=float, default=20.0)
    parser.add_argument("--warmup-s", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: requests/s in total")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--conn-max-age", type=int, default=0, help="DATABASE_CONN_MAX_AGE")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument(
        "--client",
        choices=sorted(TRANSPORTS),
        default="raw",
        help="the load driver's HTTP client (raw: plain HTTP/1.1, light; httpx: heavier)",
    )
    parser.add_argument(
        "--no-db-pool",
        dest="db_pool",
        action="store_false",
        help="serve without the production connection pool (a new connection per request)",
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE every query")
    options = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    port = free_port()
    env = bench_environment(port, conn_max_age=options.conn_max_age, db_pool=options.db_pool)
    steps: dict[str, Any] = {}
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())

    started = time.perf_counter()
    steps["database_created"] = ensure_database()
    manage(env, "migrate", "--no-input", "-v0")
    steps["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    seeded = manage(env, "seed_demo", "--size", "large", "--seed", "1", "--if-empty")
    steps["seed"] = seeded.strip().splitlines()[0] if seeded.strip() else ""
    steps["seed_s"] = round(time.perf_counter() - started, 1)
    manage(env, "collectstatic", "--no-input", "-v0")

    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    django_setup(env)
    workspace = workspace_prepare()
    plan = endpoints(workspace)
    if options.only:
        wanted = set(options.only.split(","))
        plan = [endpoint for endpoint in plan if endpoint.name in wanted]
    profiles = {ep.name: query_profile(ep, explain=options.explain) for ep in plan}

    log_path = Path(tempfile.mkdtemp(prefix="huntaze-bench-")) / "server.log"
    server = start_server(env, port, options.workers, log_path)
    results: list[Result] = []
    try:
        wait_ready(port, server)
        base_url = f"http://127.0.0.1:{port}"
        for number, endpoint in enumerate(plan):
            probe = httpx.get(base_url + endpoint.paths[0], headers=endpoint.headers, timeout=10)
            if probe.status_code != 200:
                result = Result(endpoint=endpoint.name, clients=options.clients)
                result.extra["note"] = (
                    f"skipped: GET {endpoint.paths[0]} answered {probe.status_code}"
                )
                results.append(result)
                print(json.dumps(result.line()), flush=True)
                continue
            asyncio.run(
                drive(
                    base_url, endpoint, clients=options.clients,
                    duration_s=options.warmup_s, rate=options.rate, seed=number,
                    transport_name=options.client,
                )
            )  # fmt: skip
            cpu_before = process_tree_cpu_s(server.pid)
            driver_before = time.process_time()
            latencies, errors, wall, statuses = asyncio.run(
                drive(
                    base_url, endpoint, clients=options.clients,
                    duration_s=options.duration_s, rate=options.rate, seed=number,
                    transport_name=options.client,
                )
            )  # fmt: skip
            cpu = process_tree_cpu_s(server.pid) - cpu_before
            driver_cpu = time.process_time() - driver_before
            result = summarise(endpoint, options.clients, latencies, errors, wall)
            served = max(1, result.requests)
            result.extra["app_cpu_ms_per_request"] = round(cpu * 1000 / served, 2)
            result.extra["driver_cpu_ms_per_request"] = round(driver_cpu * 1000 / served, 2)
            result.extra["driver"] = options.client
            result.extra["queries"] = len(profiles[endpoint.name]["queries"])
            if errors:
                result.extra["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
            results.append(result)
            print(json.dumps(result.line()), flush=True)
    finally:
        stop_server(server)
        api_key_revoke(workspace)

    from django.conf import settings

    setup = {
        "rows": row_counts(),
        "creator": workspace.creator_name,
        "fans": workspace.fans,
        "steps": steps,
        "load_before": load_before,
        "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "debug": settings.DEBUG,
    }
    server_errors = [
        line.strip()[:2000]
        for line in log_path.read_text(errors="replace").splitlines()
        if '"level": "error"' in line or "Traceback" in line
    ]
    setup["server_errors"] = len(server_errors)
    setup["server_error_sample"] = server_errors[:3]
    report = write_report(
        stamp=stamp, options=options, setup=setup, results=results, profiles=profiles
    )
    shutil.rmtree(log_path.parent, ignore_errors=True)
    print(f"report: {report.relative_to(REPOSITORY)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
