"""Analytics pages benchmark: the six rollup pages served production-like, on the `large` demo
data, with the page cache in Redis and rollup writes (cache invalidations) during the run.

    uv run python bench/analytics.py [--clients 20] [--duration-s 20] [--write-every-s 5]

Reuses `bench/run_web.py` for everything but the pages: the database `huntaze_bench` (created,
migrated and seeded with `large` if empty), the production server (uvicorn, 2 workers, Redis
db 9, flushed first), the signed-in session of the demo owner on the biggest creator, and the
load driver. Before the load, the analytics rollups of every workspace of the owner are built
when missing (`analytics_rollups_rebuild` over the whole history, what the demo seeding does on
a fresh database) and the daily AI summary is run (in-process router), so the overview shows
insights.

Each page is driven with a mix of 12 filters: the presets of 7, 30, 90 and 365 days and two
fixed ranges, each for the owner's biggest workspace alone and for all the owner's workspaces
summed (the agency view). During the measured time a writer records a sale in the rollups of
the biggest workspace every `--write-every-s` seconds (and takes it back at the end), which
invalidates that workspace's cached pages, as production writes do.

Prints one JSON line per page: p50/p95/p99 ms, rps, errors, app CPU per request and the cache
hit rate (lookups answered from the cache, read from the `X-Analytics-Cache-Hits` response
header), then one line for the whole mix. Writes bench/reports/analytics_<UTC time>.md/.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_web  # noqa: E402  (bench/ is not a package: its sibling is imported by path)

PAGES = (
    "overview",
    "revenue",
    "content",
    "fans",
    "platforms",
    "funnel",
    "forecast",
    "churn",
    "pricing",
)
TARGET_P95_MS = 100.0
TARGET_HIT_RATE = 0.97


class CountingTransport(run_web.RawTransport):
    """run_web's plain HTTP client (it takes far less of the machine's CPU than httpx, which
    the server needs on 2 cores), counting the cache lookups the server reports."""

    name = "counting"
    hits = 0
    lookups = 0

    def seen(self, fields: dict[str, str]) -> None:
        counted = fields.get("x-analytics-cache-hits", "")
        if "/" in counted:
            hits, lookups = counted.split("/", 1)
            CountingTransport.hits += int(hits)
            CountingTransport.lookups += int(lookups)


run_web.TRANSPORTS["counting"] = CountingTransport  # type: ignore[assignment]


def page_url(page: str) -> str:
    return "/analytics/" if page == "overview" else f"/analytics/{page}"


def filters(creator_id: int, all_creators: list[int]) -> list[str]:
    today = datetime.now(UTC).date()
    ranges = [f"days={days}" for days in (7, 30, 90, 365)] + [
        f"from={(today - timedelta(days=start)).isoformat()}"
        f"&to={(today - timedelta(days=end)).isoformat()}"
        for start, end in ((120, 60), (400, 200))
    ]
    creator_sets = [f"creator={creator_id}", "&".join(f"creator={c}" for c in all_creators)]
    return [f"{r}&{c}" for c in creator_sets for r in ranges]


def rollups_prepare(owner_id: int) -> dict[str, Any]:
    """Build the analytics rollups of the owner's workspaces when they are missing, and run the
    daily AI summary. Returns what was done."""
    from django.db.models import Min

    from huntaze.analytics.models import DailyFans
    from huntaze.analytics.services_insights import insight_summary_run
    from huntaze.analytics.services_rollups import analytics_rollups_rebuild
    from huntaze.core.models import Creator
    from huntaze.fans.models import Fan

    done: dict[str, Any] = {"rebuilt": [], "insights": {}}
    today = datetime.now(UTC).date()
    for creator in Creator.objects.filter(memberships__user_id=owner_id).order_by("id"):
        if not DailyFans.objects.for_creator(creator.id).exists():
            first = Fan.objects.for_creator(creator.id).aggregate(first=Min("joined_at"))["first"]
            if first is not None:
                started = time.perf_counter()
                analytics_rollups_rebuild(
                    creator_id=creator.id, day_from=first.astimezone(UTC).date(), day_to=today
                )
                done["rebuilt"].append(
                    {"creator_id": creator.id, "s": round(time.perf_counter() - started, 1)}
                )
        run = insight_summary_run(creator_id=creator.id)
        done["insights"][creator.id] = run.status
    return done


def production_write_interval_s(creator_id: int) -> float:
    """Seconds between two rollup writes of the creator at its average rate of the last 30
    days: each completed sale, new fan and message is one on-write rollup update."""
    from django.db.models import Sum

    from huntaze.analytics.models import DailyActivity, DailyRevenue

    since = datetime.now(UTC).date() - timedelta(days=30)
    sales = DailyRevenue.objects.for_creator(creator_id).filter(day__gte=since)
    activity = DailyActivity.objects.for_creator(creator_id).filter(day__gte=since)
    writes = (sales.aggregate(n=Sum("transactions_count"))["n"] or 0) + sum(
        value or 0
        for value in activity.aggregate(
            fans=Sum("new_fans"), received=Sum("messages_in"), sent=Sum("messages_out")
        ).values()
    )
    return round(30 * 86_400 / writes, 2) if writes else 0.0


class Writer:
    """Records a sale in the biggest workspace's rollups every `every_s` seconds, and takes
    every one of them back at the end (the rollups end as they started)."""

    def __init__(self, creator_id: int, every_s: float) -> None:
        self.creator_id, self.every_s = creator_id, every_s
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _record(self, *, is_reversal: bool) -> None:
        from huntaze.analytics.services import rollup_record_transaction

        rollup_record_transaction(
            creator_id=self.creator_id,
            occurred_at=datetime.now(UTC),
            platform="onlyfans",
            transaction_type="tip",
            amount_cents=500,
            is_reversal=is_reversal,
        )

    def _run(self) -> None:
        from django.db import connection

        while not self._stop.wait(self.every_s):
            self._record(is_reversal=False)
            self.writes += 1
        for _ in range(self.writes):
            self._record(is_reversal=True)
        connection.close()

    def __enter__(self) -> Writer:
        if self.every_s > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_page(
    base_url: str, endpoint: run_web.Endpoint, options: argparse.Namespace, seed: int, pid: int
) -> run_web.Result:
    asyncio.run(
        run_web.drive(
            base_url, endpoint, clients=options.clients, duration_s=options.warmup_s,
            rate=options.rate, seed=seed, transport_name="counting",
        )
    )  # fmt: skip
    CountingTransport.hits = CountingTransport.lookups = 0
    cpu_before = run_web.process_tree_cpu_s(pid)
    latencies, errors, wall, statuses = asyncio.run(
        run_web.drive(
            base_url, endpoint, clients=options.clients, duration_s=options.duration_s,
            rate=options.rate, seed=seed, transport_name="counting",
        )
    )  # fmt: skip
    cpu = run_web.process_tree_cpu_s(pid) - cpu_before
    result = run_web.summarise(endpoint, options.clients, latencies, errors, wall)
    result.extra["app_cpu_ms_per_request"] = round(cpu * 1000 / max(1, result.requests), 2)
    result.extra["cache_hits"] = CountingTransport.hits
    result.extra["cache_lookups"] = CountingTransport.lookups
    result.extra["cache_hit_rate"] = (
        round(CountingTransport.hits / CountingTransport.lookups, 4)
        if CountingTransport.lookups
        else None
    )
    result.extra["filters"] = len(endpoint.paths)
    if errors:
        result.extra["statuses"] = {str(k): v for k, v in sorted(statuses.items())}
    return result


def mix_line(results: list[run_web.Result], writes: int) -> dict[str, Any]:
    hits = sum(r.extra.get("cache_hits", 0) for r in results)
    lookups = sum(r.extra.get("cache_lookups", 0) for r in results)
    return {
        "endpoint": "mix",
        "requests": sum(r.requests for r in results),
        "errors": sum(r.errors for r in results),
        "worst_p95_ms": max((r.p95_ms for r in results), default=0.0),
        "cache_hits": hits,
        "cache_lookups": lookups,
        "cache_hit_rate": round(hits / lookups, 4) if lookups else None,
        "rollup_writes": writes,
    }


def write_report(
    stamp: str, options: argparse.Namespace, setup: dict[str, Any], lines: list[dict[str, Any]]
) -> Path:
    run_web.REPORTS.mkdir(parents=True, exist_ok=True)
    jsonl = [json.dumps(line) for line in lines]
    (run_web.REPORTS / f"analytics_{stamp}.jsonl").write_text("\n".join(jsonl) + "\n")
    mode = f"open loop at {options.rate} req/s" if options.rate else "closed loop"
    out = [
        f"# Analytics pages benchmark, {stamp}",
        "",
        f"- {options.clients} clients, {mode}, {options.duration_s} s per page after "
        f"{options.warmup_s} s of warm-up, uvicorn --workers {options.workers}, production "
        "settings, Redis cache (db 9)",
        f"- a rollup write (cache invalidation) every {options.write_every_s} s",
        f"- targets: p95 < {TARGET_P95_MS:.0f} ms per page, cache hit rate > "
        f"{TARGET_HIT_RATE:.0%} over the mix",
        f"- machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
        f"{platform.python_version()}; load average before {setup['load_before']}, after "
        f"{setup['load_after']}",
        f"- data: {json.dumps(setup['rows'])}; workspace {setup['creator']} "
        f"({setup['fans']} fans), {setup['workspaces']} workspaces summed in the agency filters",
        f"- setup: {json.dumps(setup['steps'])}",
        f"- server errors logged: {setup['server_errors']}",
        "",
        "| page | requests | errors | rps | p50 ms | p95 ms | p99 ms | app CPU ms/req "
        "| cache hit rate | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for line in lines[:-1]:
        met = "met" if line["p95_ms"] < TARGET_P95_MS and not line["errors"] else "missed"
        out.append(
            f"| {line['endpoint']} | {line['requests']} | {line['errors']} | {line['rps']} "
            f"| {line['p50_ms']} | {line['p95_ms']} | {line['p99_ms']} "
            f"| {line.get('app_cpu_ms_per_request', '')} | {line.get('cache_hit_rate')} | {met} |"
        )
    mix = lines[-1]
    out += [
        "",
        f"Mix: {mix['requests']} requests, {mix['errors']} errors, cache hit rate "
        f"{mix['cache_hit_rate']} ({mix['cache_hits']}/{mix['cache_lookups']} lookups), "
        f"{mix['rollup_writes']} rollup writes.",
        "",
        "```",
        *jsonl,
        "```",
    ]
    path = run_web.REPORTS / f"analytics_{stamp}.md"
    path.write_text("\n".join(out) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration-s", type=float, default=20.0)
    parser.add_argument("--warmup-s", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=0.0, help="open loop: requests/s in total")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--write-every-s",
        type=float,
        default=-1.0,
        help="seconds between rollup writes; 0: none; default: the biggest workspace's own rate "
        "over its last 30 days (sales, new fans and messages), as production would see",
    )
    parser.add_argument("--only", default="", help="comma-separated page names")
    options = parser.parse_args(argv)

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    port = run_web.free_port()
    env = run_web.bench_environment(port, conn_max_age=0, db_pool=True)
    steps: dict[str, Any] = {}
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    started = time.perf_counter()
    steps["database_created"] = run_web.ensure_database()
    run_web.manage(env, "migrate", "--no-input", "-v0")
    seeded = run_web.manage(env, "seed_demo", "--size", "large", "--seed", "1", "--if-empty")
    steps["seed"] = seeded.strip().splitlines()[0] if seeded.strip() else ""
    run_web.manage(env, "collectstatic", "--no-input", "-v0")
    steps["prepare_s"] = round(time.perf_counter() - started, 1)

    import redis

    redis.Redis.from_url(run_web.REDIS_URL).flushdb()
    run_web.django_setup(env)
    os.environ["AI_ROUTER_URL"] = ""  # the daily summary through the in-process router
    workspace = run_web.workspace_prepare()
    started = time.perf_counter()
    steps["rollups"] = rollups_prepare(workspace.owner_id)
    steps["rollups_s"] = round(time.perf_counter() - started, 1)

    from django.conf import settings

    from huntaze.core.models import Creator

    all_creators = sorted(
        Creator.objects.filter(memberships__user_id=workspace.owner_id).values_list("id", flat=True)
    )
    if options.write_every_s < 0:
        options.write_every_s = production_write_interval_s(workspace.creator_id)
    steps["write_every_s"] = options.write_every_s
    session = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={workspace.session_key}"}
    mix = filters(workspace.creator_id, all_creators)
    wanted = set(options.only.split(",")) if options.only else set(PAGES)
    plan = [
        run_web.Endpoint(page, [f"{page_url(page)}?{query}" for query in mix], session)
        for page in PAGES
        if page in wanted
    ]

    log_path = Path(tempfile.mkdtemp(prefix="huntaze-bench-analytics-")) / "server.log"
    server = run_web.start_server(env, port, options.workers, log_path)
    lines: list[dict[str, Any]] = []
    results: list[run_web.Result] = []
    try:
        run_web.wait_ready(port, server)
        base_url = f"http://127.0.0.1:{port}"
        with Writer(workspace.creator_id, options.write_every_s) as writer:
            for number, endpoint in enumerate(plan):
                probe = httpx.get(base_url + endpoint.paths[0], headers=session, timeout=30)
                if probe.status_code != 200:
                    raise RuntimeError(f"GET {endpoint.paths[0]} answered {probe.status_code}")
                result = run_page(base_url, endpoint, options, number, server.pid)
                results.append(result)
                lines.append(result.line())
                print(json.dumps(result.line()), flush=True)
        lines.append(mix_line(results, writer.writes))
        print(json.dumps(lines[-1]), flush=True)
    finally:
        run_web.stop_server(server)
        run_web.api_key_revoke(workspace)

    server_errors = [
        line
        for line in log_path.read_text(errors="replace").splitlines()
        if '"level": "error"' in line or "Traceback" in line
    ]
    setup = {
        "rows": run_web.row_counts(),
        "creator": workspace.creator_name,
        "fans": workspace.fans,
        "workspaces": len(all_creators),
        "steps": steps,
        "load_before": load_before,
        "load_after": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "server_errors": len(server_errors),
    }
    report = write_report(stamp, options, setup, lines)
    print(f"report: {report.relative_to(run_web.REPOSITORY)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
