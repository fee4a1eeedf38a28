"""Scale: fetch latency as the task table grows, claim throughput as workers
are added, and durable submits per second, on SQLite and on PostgreSQL.

    .venv/bin/python -m benchmarks.scale [--quick]

Starts its own throw-away PostgreSQL cluster (initdb + pg_ctl, as the
``postgres`` user when run as root) in a temporary directory on loopback,
and stops and deletes it at the end, also after an error.

1. Fetch.  Fills a small (1,000 tasks) and a large (1,000,000; quick: 100,000)
   database on each backend with the same realistic tasks (``make_task`` of
   ``benchmarks._dataset``: most finished, written in large batches), starts
   ``songgate api`` on each with the terminal-task cache and the repeated-poll answers
   on (the default) and off (``SONGGATE_FETCH_CACHE_BYTES=0``,
   ``SONGGATE_POLL_ANSWER_BYTES=0``), and loads ``POST /suno/fetch`` with 100 ids
   per request from concurrent clients, in two patterns: ids drawn at random
   from the whole table (the worst case: every id a cold page), and
   ids drawn from the newest ``--recent`` tasks (what polling clients ask
   for: their unfinished tasks are their latest; by default as many as the
   small table holds, so both sizes serve the same working set and only the
   table around it differs).  The servers of a backend
   are measured in turns, round after round, to cancel drift.  Target: p50
   and p99 at the large size within 1.3 times those at the small size
   (indexed lookups, not scans); the cache-off figures are the ones that show
   whether the database lookup scales.  ``--unfinished`` marks every task unfinished
   and ``--commits N`` has another process commit N times a second into each database
   while it is measured (SQLite): what polling clients meet while workers run, where
   kept unfinished TaskDtos must take in the changes since the last poll.
2. Claim.  On PostgreSQL, 1, 2, 4 and 8 ``songgate worker`` processes (added
   to those already running) drain N waiting LYRICS tasks through a no-op
   provider (``benchmarks._scale_provider``); tasks/s counts from the commit
   of the insert to the last ``finish_time``, the better of two runs per
   count (quick: one).  Every task must end SUCCESS with attempts == 1, and
   have run exactly once by the provider's own log.
3. Submit.  ``songgate api`` on a fresh SQLite and a fresh PostgreSQL
   database, ``POST /suno/submit/music`` from concurrent clients, the two
   backends in turns; then both servers are SIGKILLed and every acknowledged
   id must be in its database.

The machine may be shared: each window also shows the CPU that the rest of
the machine used meanwhile ("other CPU"), and CPU per request or per task,
which neighbours disturb less than latency.

Exits 1 when a correctness check fails (a task not finished exactly once, an
acknowledged submit missing), else 0, whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from sqlalchemy import select

from benchmarks._changes import COMMITTED_TASKS, mark_unfinished
from benchmarks._changes import command as committer_command
from benchmarks._common import (
    HOST,
    REPO,
    BenchmarkError,
    LoadPlan,
    Measurement,
    ServerProcess,
    encode_request,
    fmt_client_load,
    fmt_load,
    fmt_ms,
    fmt_ratio,
    free_port,
    measure,
    process_cpu_seconds,
    ratio,
    render_table,
    run_async,
    say,
    songgate_env,
)
from benchmarks._dataset import LYRICS_SPEC, make_task
from benchmarks._postgres import PostgresCluster, postgres_cluster
from benchmarks._scale_provider import RUN_DIR_ENV
from benchmarks.submit import SUBMIT_BODY, Acknowledged
from songgate.config import Settings
from songgate.domain import task as task_rules
from songgate.domain.accounts import Account
from songgate.domain.dto import SUCCESS_PREFIX
from songgate.store.tables import accounts, tokens
from songgate.store.tasks import _all_columns, sqlite_dto_rows_sql
from songgate.wiring import Services, stores_of

SQLITE = "sqlite"
POSTGRES = "postgres"
BACKENDS = (SQLITE, POSTGRES)
NOOP = "noop"
NOOP_PATH = f"benchmarks._scale_provider:{NOOP}"
NOOP_PROVIDERS = f"{NOOP}={NOOP_PATH}"
NOOP_ROUTES = f"MUSIC={NOOP},LYRICS={NOOP}"
ACCOUNT = "bench"
BATCH = 10_000  # tasks per transaction while populating
MAKERS = 2  # processes making tasks while populating
FETCH_IDS = 100
TARGET_RATIO = 1.3
WHOLE, RECENT = "whole", "recent"  # where a fetch's ids are drawn from
VERIFY_LISTS = 10  # lists checked for completeness on each server before measuring
CLIP_COLUMNS = ("id", "task_id", "account_id")
TERMINAL = ("SUCCESS", "FAILURE")


# -- arguments ----------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="short run (about a minute)")
    parser.add_argument("--concurrency", type=int, default=32, help="HTTP clients")
    parser.add_argument("--duration", type=float, help="seconds per window (5; quick: 2)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per window (1; quick: 0.5)")
    parser.add_argument("--rounds", type=int, help="windows per server (2; quick: 1)")
    parser.add_argument("--small", type=int, default=1_000, help="tasks in the small table")
    parser.add_argument("--large", type=int, help="tasks in the large table (1000000; quick: "
                        "100000)")
    parser.add_argument("--lists", type=int, default=200,
                        help="different 100-id lists per table size and pattern")
    parser.add_argument("--recent", type=int, default=None,
                        help="the 'recent' pattern draws ids from this many newest tasks "
                             "(default: the small size, so both tables serve the same "
                             "working set and only the table's size differs)")
    parser.add_argument("--claim-tasks", type=int, help="tasks per claim run (4000; quick: 1000)")
    parser.add_argument("--claim-repeats", type=int, help="claim runs per worker count, the "
                        "best counts (2; quick: 1)")
    parser.add_argument("--workers", default="1,2,4,8", help="worker process counts, ascending")
    parser.add_argument("--worker-concurrency", type=int, default=8,
                        help="SONGGATE_WORKER_CONCURRENCY of each worker")
    parser.add_argument("--only", default="fetch,claim,submit",
                        help="comma-separated stages to run (fetch, claim, submit)")
    parser.add_argument("--seed", type=int, default=1, help="seed for choosing ids")
    parser.add_argument("--fetch-backends", default="sqlite,postgres",
                        help="backends the fetch stage measures (sqlite, postgres)")
    parser.add_argument("--unfinished", action="store_true",
                        help="fetch: mark every task unfinished (no finished-task cache "
                             "applies); SQLite only")
    parser.add_argument("--commits", type=float, default=0.0,
                        help="fetch: commits per second another process makes into each "
                             "database while it is measured, each a lease and a task's "
                             "TaskDto written, as a worker's; SQLite only (0: none)")
    args = parser.parse_args(argv)
    quick = args.quick
    args.duration = args.duration if args.duration is not None else (2.0 if quick else 5.0)
    args.warmup = args.warmup if args.warmup is not None else (0.5 if quick else 1.0)
    args.rounds = args.rounds if args.rounds is not None else (1 if quick else 2)
    args.large = args.large if args.large is not None else (100_000 if quick else 1_000_000)
    args.recent = args.recent if args.recent is not None else args.small
    if args.claim_tasks is None:
        args.claim_tasks = 1_000 if quick else 4_000
    if args.claim_repeats is None:
        args.claim_repeats = 1 if quick else 2
    args.workers = [int(n) for n in args.workers.split(",")]
    args.only = {stage.strip() for stage in args.only.split(",") if stage.strip()}
    args.fetch_backends = tuple(b for b in BACKENDS if b in args.fetch_backends.split(","))
    if not args.fetch_backends:
        parser.error("--fetch-backends names neither sqlite nor postgres")
    if (args.unfinished or args.commits) and args.fetch_backends != (SQLITE,):
        parser.error("--unfinished and --commits need --fetch-backends sqlite")
    if args.commits < 0:
        parser.error("--commits must be >= 0")
    if not args.only <= {"fetch", "claim", "submit"}:
        parser.error("--only takes fetch, claim and submit")
    if args.workers != sorted(set(args.workers)) or args.workers[0] < 1:
        parser.error("--workers must be ascending positive counts, e.g. 1,2,4,8")
    if min(args.small, args.large) < FETCH_IDS or args.small >= args.large:
        parser.error(f"need {FETCH_IDS} <= --small < --large")
    if args.recent < FETCH_IDS:
        parser.error(f"--recent must be at least {FETCH_IDS}")
    if args.concurrency < 1 or args.rounds < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("concurrency and rounds must be >= 1, duration > 0, warm-up >= 0")
    return args


def plan_of(args: argparse.Namespace) -> LoadPlan:
    return LoadPlan(args.concurrency, args.warmup, args.duration, args.rounds)


# -- databases and their contents ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Db:
    """One database: SQLite in ``data_dir``, or PostgreSQL at ``url``."""

    backend: str
    data_dir: Path
    url: str = ""  # SONGGATE_DATABASE_URL; empty for SQLite
    dsn: str = ""  # asyncpg's

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "songgate.db"

    def settings(self) -> Settings:
        return Settings(
            data_dir=self.data_dir, database_url=self.url, providers={NOOP: NOOP_PATH},
            routes={"MUSIC": NOOP, "LYRICS": NOOP}, sqlite_synchronous="OFF",
        )

    def env(self, **extra: str) -> dict[str, str]:
        env = songgate_env(self.data_dir, SONGGATE_PROVIDERS=NOOP_PROVIDERS,
                           SONGGATE_ROUTES=NOOP_ROUTES, **extra)
        if self.url:
            env["SONGGATE_DATABASE_URL"] = self.url
        return env


async def new_db(backend: str, name: str, base: Path, cluster: PostgresCluster) -> Db:
    data_dir = base / f"{backend}-{name}"
    data_dir.mkdir(parents=True)
    if backend == SQLITE:
        return Db(SQLITE, data_dir)
    return Db(POSTGRES, data_dir, await cluster.create_database(name), cluster.dsn(name))


@dataclass(frozen=True, slots=True)
class Owner:
    account: Account
    token: str


async def migrate_with_account(dbs: Sequence[Db]) -> Owner:
    """Migrate every database; one account and token, the same rows in each."""
    first = Services.build(dbs[0].settings())
    try:
        await first.migrate()
        now = time.time()
        account = await stores_of(first).accounts.create_account(ACCOUNT, now=now)
        _, token = await stores_of(first).accounts.create_token(account, name="bench", now=now)
        async with stores_of(first).database.read() as conn:
            rows = {table: [dict(row) for row in (await conn.execute(select(table))).mappings()]
                    for table in (accounts, tokens)}
    finally:
        await first.close()
    for db in dbs[1:]:
        services = Services.build(db.settings())
        try:
            await services.migrate()
            async with stores_of(services).database.write() as conn:
                for table, table_rows in rows.items():
                    await conn.execute(table.insert(), table_rows)
        finally:
            await services.close()
    return Owner(account, token)


@dataclass(slots=True)
class Batch:
    ids: list[str]
    tasks: list[tuple[Any, ...]]
    clips: list[tuple[str, str, str]]
    columns: list[str]


def task_batch(tasks_: Sequence[task_rules.Task]) -> Batch:
    rows = [_all_columns(task) for task in tasks_]
    columns = list(rows[0])
    return Batch(
        ids=[task.id for task in tasks_],
        tasks=[tuple(row[column] for column in columns) for row in rows],
        clips=[(clip, task.id, task.account_id) for task in tasks_ for clip in task.clip_ids],
        columns=columns,
    )


class SqliteWriter:
    """Plain sqlite3 executemany, one transaction per batch, in a thread."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA synchronous = OFF")  # population only
        self._conn.execute("PRAGMA cache_size = -1048576")  # 1 GiB: the indexes stay cached

    def _write(self, batch: Batch) -> None:
        marks = ",".join("?" * len(batch.columns))
        self._conn.execute("BEGIN")
        self._conn.executemany(
            f"INSERT INTO tasks ({','.join(batch.columns)}) VALUES ({marks})", batch.tasks
        )
        self._conn.executemany(
            f"INSERT INTO clips ({','.join(CLIP_COLUMNS)}) VALUES (?,?,?)", batch.clips
        )
        self._conn.execute("COMMIT")

    async def write(self, batch: Batch) -> None:
        await asyncio.to_thread(self._write, batch)

    def _finish(self) -> None:
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    async def finish(self) -> None:
        await asyncio.to_thread(self._finish)

    async def close(self) -> None:
        self._conn.close()


class PostgresWriter:
    """COPY through asyncpg, one transaction per batch; VACUUM ANALYZE and CHECKPOINT after."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @classmethod
    async def open(cls, dsn: str) -> PostgresWriter:
        return cls(await asyncpg.connect(dsn))

    async def write(self, batch: Batch) -> None:
        async with self._conn.transaction():
            await self._conn.copy_records_to_table(
                "tasks", records=batch.tasks, columns=batch.columns
            )
            if batch.clips:
                await self._conn.copy_records_to_table(
                    "clips", records=batch.clips, columns=list(CLIP_COLUMNS)
                )

    async def finish(self) -> None:
        # What autovacuum would have done by the time a table has grown this big, and
        # a checkpoint now rather than in the middle of a measurement.
        try:
            await self._conn.execute("VACUUM ANALYZE tasks")
            await self._conn.execute("VACUUM ANALYZE clips")
            await self._conn.execute("CHECKPOINT")
        finally:
            await self._conn.close()

    async def close(self) -> None:
        self._conn.terminate()


def make_batch(account: Account, count: int, now: float, first: int) -> Batch:
    """Tasks ``first`` .. ``first + BATCH`` of ``count``, submitted over the last 30 days."""
    spacing = 30 * 86400 / count  # as _dataset does
    return task_batch([make_task(index, account, now - (count - index) * spacing)
                       for index in range(first, min(first + BATCH, count))])


async def fill(dbs: Sequence[Db], account: Account, count: int) -> list[str]:
    """``count`` tasks from ``make_task``, the same rows in every database; returns their ids.

    Child processes make the next batches (making tasks is the slowest part,
    and in a thread of this process it would starve the SQLite thread of the
    GIL) while the current one is written to all databases at once: SQLite
    from a thread, PostgreSQL by COPY on the loop.
    """
    now = time.time()
    loop = asyncio.get_running_loop()
    writers: list[SqliteWriter | PostgresWriter] = []
    ids: list[str] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=MAKERS, mp_context=context) as pool:
        made = iter(range(0, count, BATCH))
        pending: deque[asyncio.Future[Batch]] = deque()

        def make_next() -> None:
            first = next(made, None)
            if first is not None:
                pending.append(loop.run_in_executor(pool, make_batch, account, count, now, first))

        try:
            for db in dbs:
                writers.append(SqliteWriter(db.sqlite_path) if db.backend == SQLITE
                               else await PostgresWriter.open(db.dsn))
            for _ in range(MAKERS):
                make_next()
            while pending:
                batch = await pending.popleft()
                make_next()
                await asyncio.gather(*(writer.write(batch) for writer in writers))
                ids.extend(batch.ids)
        except BaseException:
            for future in pending:
                future.cancel()
            await asyncio.gather(*(writer.close() for writer in writers),
                                 return_exceptions=True)
            raise
    await asyncio.gather(*(writer.finish() for writer in writers))
    return ids


async def task_rows(db: Db) -> int:
    if db.backend == SQLITE:
        with sqlite3.connect(db.sqlite_path) as conn:
            (rows,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
        conn.close()
        return int(rows)
    conn_pg = await asyncpg.connect(db.dsn)
    try:
        return int(await conn_pg.fetchval("SELECT count(*) FROM tasks"))
    finally:
        await conn_pg.close()


# -- servers ------------------------------------------------------------------


def launch(args: Sequence[str], env: Mapping[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen([sys.executable, *args], stdout=log, stderr=subprocess.STDOUT,
                                env=dict(env), cwd=REPO)


def stop_process(popen: subprocess.Popen[bytes], signum: int = signal.SIGTERM,
                 timeout: float = 20) -> None:
    if popen.poll() is None:
        popen.send_signal(signum)
        try:
            popen.wait(timeout)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout)


def start_apis(
    stack: ExitStack, envs: Sequence[Mapping[str, str]], log_dir: Path, timeout: float = 90
) -> list[ServerProcess]:
    """``songgate api`` for each environment, all started at once; stopped with ``stack``."""
    servers: list[ServerProcess] = []
    for env in envs:
        port = free_port()
        log_path = log_dir / f"api-{port}.log"
        popen = launch(["-m", "songgate", "api", "--port", str(port)], env, log_path)
        server = ServerProcess(popen, port, log_path)
        stack.callback(server.stop)
        servers.append(server)
    deadline = time.monotonic() + timeout
    for server in servers:
        while True:
            if server.popen.poll() is not None:
                raise BenchmarkError(f"songgate api exited early:\n{server.log_tail()}")
            with suppress(httpx.HTTPError):
                if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchmarkError(f"songgate api did not become healthy:\n{server.log_tail()}")
            time.sleep(0.1)
    return servers


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


# -- CPU accounting -----------------------------------------------------------
# The machine may be shared: CPU that neither the load generator, the server nor
# PostgreSQL used during a window is shown as "other", so that a slow window can
# be told apart from a busy neighbour.

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """CPU seconds the whole machine (all cores) has been busy, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS  # minus idle and iowait


def _stat_fields(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu(cluster: PostgresCluster) -> float:
    """CPU seconds of the postmaster, its live children, and the children it has reaped
    (backends of closed connections), so far."""
    postmaster = int((cluster.root / "data" / "postmaster.pid").read_text().split()[0])
    fields = _stat_fields(postmaster)
    total = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            child = _stat_fields(int(stat.parent.name))
            if int(child[1]) == postmaster:
                total += int(child[11]) + int(child[12])
    return total / CLOCK_TICKS


def cpu_seconds(pids: Sequence[int]) -> float:
    return sum(process_cpu_seconds(pid) or 0.0 for pid in pids)


@dataclass
class Loaded:
    """A measurement with the database's CPU and the machine's in the same windows."""

    measurement: Measurement
    db_cpu: float = 0.0  # PostgreSQL's processes; 0 for SQLite (in the server process)
    machine_cpu: float = 0.0

    @property
    def other_load(self) -> float:
        m = self.measurement
        ours = m.client_cpu + (m.server_cpu or 0.0) + self.db_cpu
        return max(0.0, self.machine_cpu - ours) / m.seconds

    def per_request_ms(self, cpu: float | None) -> str:
        requests = self.measurement.requests
        return "-" if cpu is None or not requests else f"{cpu / requests * 1000:.2f}"

    @classmethod
    def merged(cls, parts: Sequence[Loaded]) -> Loaded:
        return cls(Measurement.merged([part.measurement for part in parts]),
                   sum(part.db_cpu for part in parts), sum(part.machine_cpu for part in parts))


async def measure_loaded(
    port: int, requests: Sequence[bytes], plan: LoadPlan, *, check: Callable[[int, bytes], bool],
    server_pid: int, seed: int, cluster: PostgresCluster | None,
) -> Loaded:
    """``measure``, plus the CPU of PostgreSQL and of the machine in the same window."""
    start = time.perf_counter() + plan.warmup

    async def sample() -> tuple[float, float]:
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        db, machine = postgres_cpu(cluster) if cluster else 0.0, machine_cpu()
        await asyncio.sleep(max(0.0, start + plan.duration - time.perf_counter()))
        return (postgres_cpu(cluster) if cluster else 0.0) - db, machine_cpu() - machine

    sampler = asyncio.ensure_future(sample())
    measurement = await measure(port, requests, plan, check=check, server_pid=server_pid,
                                seed=seed)
    db, machine = await sampler
    return Loaded(measurement, db, machine)


# -- 1. fetch -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchCase:
    backend: str
    size: int
    cache: bool
    pattern: str  # WHOLE or RECENT

    @property
    def label(self) -> str:
        return (f"{self.backend} {self.size} tasks cache {'on' if self.cache else 'off'} "
                f"ids {self.pattern}")


@dataclass
class FetchResults:
    sizes: tuple[int, int]
    measurements: dict[FetchCase, Loaded] = field(default_factory=dict)
    populate_seconds: dict[int, float] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)
    response_kb: dict[FetchCase, float] = field(default_factory=dict)


def choose_lists(
    ids: Sequence[str], lists: int, rng: random.Random, recent: int
) -> dict[str, list[list[str]]]:
    """Random lists of 100 distinct ids per pattern: from the whole table, and from the
    ``recent`` newest tasks (``ids`` are in submission order)."""
    newest = ids[-recent:]
    return {WHOLE: [rng.sample(ids, FETCH_IDS) for _ in range(lists)],
            RECENT: [rng.sample(newest, FETCH_IDS) for _ in range(lists)]}


def verify_fetch(url: str, token: str, lists: Sequence[Sequence[str]]) -> float:
    """Each list comes back whole from ``/suno/fetch``; returns the mean response KB."""
    total = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for ids in lists:
            reply = client.post("/suno/fetch", content=orjson.dumps({"ids": list(ids)}),
                                headers=_auth(token))
            got = {task["task_id"] for task in reply.json().get("data") or []}
            if reply.status_code != 200 or got != set(ids):
                raise BenchmarkError(f"{url}/suno/fetch returned {len(got)} of {len(ids)} "
                                     f"tasks ({reply.status_code})")
            total += len(reply.content)
    return total / len(lists) / 1024


def _is_fetch_success(status: int, body: bytes) -> bool:
    return status == 200 and body.startswith(SUCCESS_PREFIX)


def fetch_plan_sqlite(db: Db, ids: Sequence[str], account_id: str) -> str:
    with sqlite3.connect(f"file:{db.sqlite_path}?mode=ro", uri=True) as conn:
        rows = conn.execute("EXPLAIN QUERY PLAN " + sqlite_dto_rows_sql(len(ids)),
                            [account_id, *ids]).fetchall()
    conn.close()
    return "; ".join(str(row[-1]) for row in rows)


async def fetch_plan_postgres(db: Db, ids: Sequence[str], account_id: str) -> str:
    conn = await asyncpg.connect(db.dsn)
    try:
        marks = ",".join(f"${n}" for n in range(2, len(ids) + 2))
        rows = await conn.fetch(
            f"EXPLAIN SELECT id, action, status, dto FROM tasks "
            f"WHERE account_id = $1 AND id IN ({marks})", account_id, *ids
        )
    finally:
        await conn.close()
    lines = [row[0].strip() for row in rows[:2]]
    # the plan's shape, without costs and without the 100 quoted ids
    lines = [re.sub(r"'[^']{40,}'", "'...'", re.sub(r"\s+\(cost=[^)]*\)", "", line))
             for line in lines]
    return "; ".join(lines)


async def _measure_rounds(
    cases: Sequence[tuple[FetchCase, ServerProcess, list[bytes]]], plan: LoadPlan,
    cluster: PostgresCluster | None,
) -> dict[FetchCase, Loaded]:
    parts: dict[FetchCase, list[Loaded]] = {case: [] for case, _, _ in cases}
    for round_ in range(plan.rounds):
        # every other round in reverse, so that no server always goes first
        for case, server, requests in cases if round_ % 2 == 0 else cases[::-1]:
            parts[case].append(await measure_loaded(
                server.port, requests, plan, check=_is_fetch_success,
                server_pid=server.popen.pid, seed=round_, cluster=cluster))
    return {case: Loaded.merged(found) for case, found in parts.items()}


def run_fetch(
    args: argparse.Namespace, plan: LoadPlan, cluster: PostgresCluster, base: Path
) -> FetchResults:
    sizes = (args.small, args.large)
    results = FetchResults(sizes)
    dbs: dict[tuple[str, int], Db] = {}
    for size in sizes:
        for backend in args.fetch_backends:
            dbs[backend, size] = asyncio.run(new_db(backend, f"fetch_{size}", base, cluster))
    owner = asyncio.run(migrate_with_account(list(dbs.values())))
    rng = random.Random(args.seed)
    lists: dict[int, dict[str, list[list[str]]]] = {}
    changed: dict[int, list[str]] = {}  # the tasks --commits writes, in turn
    for size in sizes:
        started = time.perf_counter()
        say(f"populating {size} tasks in SQLite and PostgreSQL ...")
        ids = run_async(fill([dbs[b, size] for b in args.fetch_backends], owner.account, size))
        results.populate_seconds[size] = time.perf_counter() - started
        for backend in args.fetch_backends:
            rows = asyncio.run(task_rows(dbs[backend, size]))
            if rows != size:
                raise BenchmarkError(f"{backend} holds {rows} tasks, not {size}")
        say(f"populated {size} tasks in {results.populate_seconds[size]:.1f} s "
            f"({size / results.populate_seconds[size]:.0f} tasks/s into both)")
        lists[size] = choose_lists(ids, args.lists, rng, args.recent)
        if args.unfinished:
            mark_unfinished(dbs[SQLITE, size].sqlite_path)
        if args.commits:
            changed[size] = rng.sample(ids, min(size, COMMITTED_TASKS))
        del ids
    log_dir = base / "logs"
    log_dir.mkdir(exist_ok=True)
    for backend in args.fetch_backends:
        configs = [(size, cache) for cache in (True, False) for size in sizes]
        with ExitStack() as stack:
            say(f"starting {len(configs)} songgate api servers on {backend} ...")
            servers = start_apis(stack, [
                dbs[backend, size].env(**({} if cache else {"SONGGATE_FETCH_CACHE_BYTES": "0",
                                                            "SONGGATE_POLL_ANSWER_BYTES": "0"}))
                for size, cache in configs
            ], log_dir)
            for size, ids in changed.items():
                ids_path = log_dir / f"commits-{size}.ids.json"
                ids_path.write_text(json.dumps(ids))
                committer = launch(committer_command(dbs[backend, size].sqlite_path,
                                                     args.commits, ids_path),
                                   os.environ, log_dir / f"commits-{size}.log")
                stack.callback(stop_process, committer)
            measured: list[tuple[FetchCase, ServerProcess, list[bytes]]] = []
            for (size, cache), server in zip(configs, servers, strict=True):
                for pattern in (WHOLE, RECENT):
                    case = FetchCase(backend, size, cache, pattern)
                    chosen = lists[size][pattern]
                    results.response_kb[case] = verify_fetch(
                        server.url, owner.token, chosen[:VERIFY_LISTS])
                    requests = [
                        encode_request("POST", "/suno/fetch", server.port,
                                       body=orjson.dumps({"ids": ids}),
                                       headers=_auth(owner.token))
                        for ids in chosen
                    ]
                    measured.append((case, server, requests))
            say(f"measuring {backend}: " + ", ".join(case.label for case, _, _ in measured)
                + f"; {plan.rounds} round(s) in turns ...")
            results.measurements.update(run_async(_measure_rounds(
                measured, plan, cluster if backend == POSTGRES else None)))
        probe = lists[args.large][WHOLE][0]
        large = dbs[backend, args.large]
        results.plans[backend] = (
            fetch_plan_sqlite(large, probe, owner.account.id) if backend == SQLITE
            else asyncio.run(fetch_plan_postgres(large, probe, owner.account.id))
        )
    return results


def _cpu_per_request(loaded: Loaded) -> float:
    """CPU seconds per request of the server and PostgreSQL together."""
    m = loaded.measurement
    return ((m.server_cpu or 0.0) + loaded.db_cpu) / m.requests if m.requests else float("nan")


def report_fetch(results: FetchResults, args: argparse.Namespace, plan: LoadPlan) -> None:
    small, large = results.sizes
    say("")
    say(f"== 1. POST /suno/fetch with {FETCH_IDS} ids: {small} vs {large} tasks in the table ==")
    say(f"{plan.describe().replace('per endpoint', 'per server')}; {args.lists} id lists per "
        f"size and pattern; ids = drawn from the whole table, or from the {args.recent} newest "
        "tasks; cache = the terminal-task cache"
        + ("; every task unfinished" if args.unfinished else "")
        + (f"; another process commits {args.commits:g} times a second into each database "
           "(a lease and a task's TaskDto)" if args.commits else ""))
    headers = ["backend", "tasks", "cache", "ids", "KB", "requests", "errors", "rps", "p50 ms",
               "p99 ms", "client CPU", "server CPU", "pg CPU", "other CPU", "CPU ms/req"]
    rows = []
    for case, loaded in results.measurements.items():
        m = loaded.measurement
        rows.append([case.backend, str(case.size), "on" if case.cache else "off", case.pattern,
                     f"{results.response_kb[case]:.0f}", str(m.requests), str(m.failures),
                     f"{m.rps:.0f}", fmt_ms(m.p50), fmt_ms(m.p99), fmt_client_load(m),
                     fmt_load(m.server_load),
                     fmt_load(loaded.db_cpu / m.seconds) if case.backend == POSTGRES else "-",
                     fmt_load(loaded.other_load), fmt_ms(_cpu_per_request(loaded))])
    say(render_table(headers, rows))
    say("CPU as a share of one core in the windows: server = the API process, pg = all of "
        "PostgreSQL, other = the\nrest of the machine (neighbours); CPU ms/req = server + pg "
        "CPU per request")
    say("")
    say(f"ratio {large} / {small} tasks (target: p50 and p99 both < {TARGET_RATIO}):")
    headers = ["backend", "cache", "ids", "p50 ratio", "p99 ratio", "rps ratio",
               "CPU/req ratio", "verdict"]
    rows = []
    for backend in args.fetch_backends:
        for cache, pattern in ((False, RECENT), (False, WHOLE), (True, RECENT), (True, WHOLE)):
            big = results.measurements[FetchCase(backend, large, cache, pattern)]
            little = results.measurements[FetchCase(backend, small, cache, pattern)]
            b, s = big.measurement, little.measurement
            p50, p99 = ratio(b.p50, s.p50), ratio(b.p99, s.p99)
            ok = p50 < TARGET_RATIO and p99 < TARGET_RATIO
            rows.append([backend, "on" if cache else "off", pattern, fmt_ratio(p50), fmt_ratio(p99),
                         fmt_ratio(ratio(b.rps, s.rps)),
                         fmt_ratio(ratio(_cpu_per_request(big), _cpu_per_request(little))),
                         "PASS" if ok else "MISS"])
    say(render_table(headers, rows))
    say("")
    say(f"query plan of the batch lookup at {large} tasks:")
    for backend, text in results.plans.items():
        say(f"  {backend}: {text}")
    say("populated: " + ", ".join(
        f"{size} tasks in {seconds:.1f} s" for size, seconds in results.populate_seconds.items()
    ) + " (both backends at once)")


# -- 2. claim -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CpuSnapshot:
    machine: float
    workers: float
    postgres: float
    me: float

    @classmethod
    def take(cls, workers: Sequence[int], cluster: PostgresCluster) -> CpuSnapshot:
        return cls(machine_cpu(), cpu_seconds(workers), postgres_cpu(cluster),
                   time.process_time())


@dataclass(frozen=True, slots=True)
class ClaimRun:
    workers: int
    tasks: int
    seconds: float
    outcomes: dict[tuple[str, int], int]  # (status, attempts) -> tasks
    runs: Counter[int]  # how many of the tasks ran that many times by the provider's log
    per_worker: list[int]  # tasks each worker process ran
    wall: float  # seconds between the CPU snapshots
    worker_cpu: float  # CPU seconds of the worker processes during the run
    postgres_cpu: float  # CPU seconds of PostgreSQL's processes during the run
    other_cpu: float  # CPU seconds of everything else on the machine

    @property
    def rate(self) -> float:
        return self.tasks / self.seconds if self.seconds > 0 else float("nan")

    @property
    def exactly_once(self) -> bool:
        return self.outcomes == {("SUCCESS", 1): self.tasks} and self.runs == Counter(
            {1: self.tasks})


def lyrics_tasks(account_id: str, count: int) -> Batch:
    now = time.time()
    return task_batch([
        task_rules.new_lyrics_task(
            task_id=str(uuid.uuid4()), lyrics_id=str(uuid.uuid4()), account_id=account_id,
            spec=LYRICS_SPEC, provider=NOOP, now=now, max_attempts=3, timeout_seconds=1800.0,
        )
        for _ in range(count)
    ])


def provider_runs(run_dir: Path) -> dict[int, Counter[str]]:
    """Per worker pid, how often the no-op provider ran each task id."""
    runs: dict[int, Counter[str]] = {}
    for path in run_dir.glob("runs-*.txt"):
        for line in path.read_text().splitlines():
            pid, _, task_id = line.partition(" ")
            if task_id:
                runs.setdefault(int(pid), Counter())[task_id] += 1
    return runs


class ClaimBench:
    def __init__(self, db: Db, cluster: PostgresCluster, account_id: str, run_dir: Path,
                 log_dir: Path, concurrency: int) -> None:
        self.db = db
        self.cluster = cluster
        self.account_id = account_id
        self.run_dir = run_dir
        self.log_dir = log_dir
        self.env = db.env(**{
            "SONGGATE_POLL_INTERVAL_SECONDS": "0.05",
            "SONGGATE_WORKER_CONCURRENCY": str(concurrency),
            RUN_DIR_ENV: str(run_dir),
        })
        self.workers: list[subprocess.Popen[bytes]] = []
        self.warmup_tasks = 0

    def add_workers(self, total: int) -> None:
        while len(self.workers) < total:
            log = self.log_dir / f"worker-{len(self.workers) + 1}.log"
            self.workers.append(launch(["-m", "songgate", "worker"], self.env, log))

    def stop(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            stop_process(worker)

    def _check_alive(self) -> None:
        for number, worker in enumerate(self.workers, 1):
            if worker.poll() is not None:
                log = (self.log_dir / f"worker-{number}.log").read_text(errors="replace")
                raise BenchmarkError(f"worker {number} exited ({worker.returncode}):\n"
                                     f"{log[-3000:]}")

    async def insert(self, conn: asyncpg.Connection, batch: Batch) -> float:
        """Commit the batch; returns the wall-clock time of the commit."""
        async with conn.transaction():
            await conn.copy_records_to_table("tasks", records=batch.tasks, columns=batch.columns)
        return time.time()

    async def wait_finished(self, conn: asyncpg.Connection, ids: list[str],
                            timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            done = await conn.fetchval(
                "SELECT count(*) FROM tasks WHERE id = ANY($1::varchar[]) "
                "AND status = ANY($2::varchar[])", ids, list(TERMINAL))
            if done == len(ids):
                return
            self._check_alive()
            if time.monotonic() > deadline:
                raise BenchmarkError(f"only {done} of {len(ids)} tasks finished in {timeout:.0f} s")
            await asyncio.sleep(0.1)

    async def wait_ready(self, conn: asyncpg.Connection, timeout: float = 120) -> None:
        """Small batches of warm-up tasks until every worker process has run one."""
        deadline = time.monotonic() + timeout
        while True:
            pids = {worker.pid for worker in self.workers}
            if pids <= set(provider_runs(self.run_dir)):
                return
            self._check_alive()
            if time.monotonic() > deadline:
                raise BenchmarkError("not every worker took a task within "
                                     f"{timeout:.0f} s")
            batch = lyrics_tasks(self.account_id, 4 * len(self.workers))
            await self.insert(conn, batch)
            self.warmup_tasks += len(batch.ids)
            await self.wait_finished(conn, batch.ids, timeout)
            await asyncio.sleep(0.2)

    async def run(self, workers: int, count: int) -> ClaimRun:
        conn = await asyncpg.connect(self.db.dsn)
        try:
            await self.wait_ready(conn)
            batch = lyrics_tasks(self.account_id, count)
            pids = [worker.pid for worker in self.workers]
            started = time.perf_counter()
            before = CpuSnapshot.take(pids, self.cluster)
            committed = await self.insert(conn, batch)
            await self.wait_finished(conn, batch.ids, timeout=max(120.0, count / 20))
            after = CpuSnapshot.take(pids, self.cluster)
            wall = time.perf_counter() - started
            last = await conn.fetchval(
                "SELECT max(finish_time) FROM tasks WHERE id = ANY($1::varchar[])", batch.ids)
            outcomes = {
                (row["status"], row["attempts"]): row["n"]
                for row in await conn.fetch(
                    "SELECT status, attempts, count(*) AS n FROM tasks "
                    "WHERE id = ANY($1::varchar[]) GROUP BY status, attempts", batch.ids)
            }
        finally:
            await conn.close()
        by_pid = provider_runs(self.run_dir)
        total: Counter[str] = Counter()
        for counter in by_pid.values():
            total.update(counter)
        runs = Counter(total[task_id] for task_id in batch.ids)
        measured = set(batch.ids)
        per_worker = [
            sum(n for task_id, n in by_pid.get(worker.pid, Counter()).items()
                if task_id in measured)
            for worker in self.workers
        ]
        worker_cpu = after.workers - before.workers
        pg_cpu = after.postgres - before.postgres
        own = after.me - before.me
        return ClaimRun(
            workers, count, float(last) - committed, outcomes, runs, per_worker,
            wall=wall, worker_cpu=worker_cpu, postgres_cpu=pg_cpu,
            other_cpu=max(0.0, after.machine - before.machine - worker_cpu - pg_cpu - own),
        )


@dataclass
class ClaimResults:
    runs: list[ClaimRun]
    warmup_tasks: int
    repeated: int  # tasks, warm-up included, that the provider ran more than once


def run_claim(args: argparse.Namespace, cluster: PostgresCluster, base: Path) -> ClaimResults:
    db = asyncio.run(new_db(POSTGRES, "claim", base, cluster))
    owner = asyncio.run(migrate_with_account([db]))
    run_dir, log_dir = base / "claim-runs", base / "claim-logs"
    run_dir.mkdir()
    log_dir.mkdir()
    bench = ClaimBench(db, cluster, owner.account.id, run_dir, log_dir, args.worker_concurrency)
    runs = []
    try:
        for workers in args.workers:
            bench.add_workers(workers)
            say(f"claim: {workers} worker process(es), {args.claim_repeats} x "
                f"{args.claim_tasks} tasks ...")
            for _ in range(args.claim_repeats):
                runs.append(asyncio.run(bench.run(workers, args.claim_tasks)))
    finally:
        bench.stop()
    repeated = sum(1 for counter in provider_runs(run_dir).values()
                   for n in counter.values() if n > 1)
    return ClaimResults(runs, bench.warmup_tasks, repeated)


def report_claim(results: ClaimResults, args: argparse.Namespace) -> bool:
    runs = results.runs
    say("")
    say(f"== 2. Claim throughput on PostgreSQL: {args.claim_tasks} waiting LYRICS tasks per run, "
        f"no-op provider, SONGGATE_WORKER_CONCURRENCY={args.worker_concurrency} ==")
    say("tasks/s = tasks / (last finish_time - commit of the insert); workers are kept running "
        f"and added between runs; {results.warmup_tasks} warm-up tasks\nmade sure each worker "
        "process was taking tasks before its first run")
    headers = ["workers", "tasks", "seconds", "tasks/s", "worker CPU", "pg CPU", "other CPU",
               "worker ms/task", "pg ms/task", "SUCCESS, attempts=1", "ran once",
               "tasks per worker"]
    rows = []
    for run in runs:
        rows.append([
            str(run.workers), str(run.tasks), f"{run.seconds:.2f}", f"{run.rate:.0f}",
            fmt_load(run.worker_cpu / run.wall), fmt_load(run.postgres_cpu / run.wall),
            fmt_load(run.other_cpu / run.wall),
            f"{run.worker_cpu / run.tasks * 1000:.2f}",
            f"{run.postgres_cpu / run.tasks * 1000:.2f}",
            f"{run.outcomes.get(('SUCCESS', 1), 0)}/{run.tasks}",
            f"{run.runs.get(1, 0)}/{run.tasks}",
            " ".join(str(n) for n in run.per_worker),
        ])
    say(render_table(headers, rows))
    say(f"CPU as a share of one core ({os.cpu_count()} cores in all): worker = all worker "
        "processes, pg = all of PostgreSQL,\nother = the rest of the machine (neighbours); "
        "ms/task = CPU per task")
    best = {workers: max(run.rate for run in runs if run.workers == workers)
            for workers in dict.fromkeys(run.workers for run in runs)}
    first = next(iter(best))
    say("")
    say(f"tasks/s by worker processes (best of {args.claim_repeats}), and the ratio to "
        f"{first}: " + ", ".join(
            f"{workers}: {rate:.0f} ({fmt_ratio(ratio(rate, best[first]))})"
            for workers, rate in best.items()))
    ok = all(run.exactly_once for run in runs) and results.repeated == 0
    for run in runs:
        if not run.exactly_once:
            say(f"  {run.workers} workers: outcomes {run.outcomes}, runs per task {dict(run.runs)}")
    if results.repeated:
        say(f"  {results.repeated} task(s), warm-up included, ran more than once")
    say("exactly once (status SUCCESS, attempts 1, one provider run per task): "
        + ("PASS" if ok else "FAIL"))
    return ok


# -- 3. submit ----------------------------------------------------------------


@dataclass
class SubmitResult:
    backend: str
    loaded: Loaded
    acknowledged: list[str]
    found: int = 0
    rows: int = 0

    @property
    def durable(self) -> bool:
        return self.found == len(self.acknowledged) == len(set(self.acknowledged))


async def present_ids(db: Db) -> set[str]:
    if db.backend == SQLITE:
        with sqlite3.connect(db.sqlite_path) as conn:
            found = {row[0] for row in conn.execute("SELECT id FROM tasks")}
        conn.close()
        return found
    conn_pg = await asyncpg.connect(db.dsn)
    try:
        return {row[0] for row in await conn_pg.fetch("SELECT id FROM tasks")}
    finally:
        await conn_pg.close()


async def _submit_rounds(
    servers: Sequence[tuple[str, ServerProcess]], token: str, plan: LoadPlan,
    cluster: PostgresCluster,
) -> dict[str, tuple[Loaded, list[str]]]:
    body = orjson.dumps(SUBMIT_BODY)
    parts: dict[str, list[Loaded]] = {backend: [] for backend, _ in servers}
    acks = {backend: Acknowledged() for backend, _ in servers}
    for round_ in range(plan.rounds):
        for backend, server in servers if round_ % 2 == 0 else servers[::-1]:
            request = encode_request("POST", "/suno/submit/music", server.port, body=body,
                                     headers=_auth(token))
            parts[backend].append(await measure_loaded(
                server.port, [request], plan, check=acks[backend].check,
                server_pid=server.popen.pid, seed=round_,
                cluster=cluster if backend == POSTGRES else None))
    return {backend: (Loaded.merged(parts[backend]), acks[backend].ids) for backend in parts}


def run_submit(
    args: argparse.Namespace, plan: LoadPlan, cluster: PostgresCluster, base: Path
) -> list[SubmitResult]:
    dbs = [asyncio.run(new_db(backend, "submit", base, cluster)) for backend in BACKENDS]
    owner = asyncio.run(migrate_with_account(dbs))
    log_dir = base / "submit-logs"
    log_dir.mkdir()
    with ExitStack() as stack:
        say("starting songgate api on SQLite (synchronous=FULL) and on PostgreSQL ...")
        servers = start_apis(stack, [db.env() for db in dbs], log_dir)
        say(f"measuring submits, {plan.rounds} round(s), backends in turns ...")
        measured = run_async(_submit_rounds(
            list(zip(BACKENDS, servers, strict=True)), owner.token, plan, cluster))
        for server in servers:
            server.stop(signal.SIGKILL)  # a crash, not a clean shutdown
    results = []
    for db in dbs:
        loaded, acknowledged = measured[db.backend]
        present = asyncio.run(present_ids(db))
        results.append(SubmitResult(db.backend, loaded, acknowledged,
                                    found=len(set(acknowledged) & present), rows=len(present)))
    return results


def report_submit(results: Sequence[SubmitResult], plan: LoadPlan) -> bool:
    say("")
    say("== 3. POST /suno/submit/music through songgate api, each backend fresh ==")
    say(f"{plan.describe().replace('per endpoint', 'per backend')}; SQLite synchronous=FULL, "
        "PostgreSQL fsync=on; servers SIGKILLed before the check")
    headers = ["backend", "requests", "errors", "rps", "p50 ms", "p99 ms", "client CPU",
               "server CPU", "pg CPU", "other CPU", "acknowledged", "in database", "rows"]
    rows = []
    for r in results:
        m = r.loaded.measurement
        rows.append([
            r.backend, str(m.requests), str(m.failures), f"{m.rps:.0f}", fmt_ms(m.p50),
            fmt_ms(m.p99), fmt_client_load(m), fmt_load(m.server_load),
            fmt_load(r.loaded.db_cpu / m.seconds) if r.backend == POSTGRES else "-",
            fmt_load(r.loaded.other_load), str(len(r.acknowledged)), str(r.found), str(r.rows),
        ])
    say(render_table(headers, rows))
    by = {r.backend: r.loaded.measurement for r in results}
    pg, lite = by[POSTGRES], by[SQLITE]
    say(f"ratio postgres/sqlite: rps {fmt_ratio(ratio(pg.rps, lite.rps))}, "
        f"p50 {fmt_ratio(ratio(pg.p50, lite.p50))}, p99 {fmt_ratio(ratio(pg.p99, lite.p99))}")
    ok = all(r.durable for r in results)
    say("every acknowledged id present: " + ("PASS" if ok else "FAIL"))
    return ok


# -- main ---------------------------------------------------------------------


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds through the clean-ups


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = plan_of(args)
    signal.signal(signal.SIGTERM, _terminate)
    started = time.perf_counter()
    ok = True
    reports: list[Callable[[], bool]] = []
    say(f"benchmarks.scale{' --quick' if args.quick else ''}: {os.cpu_count()} CPUs, "
        f"stages: {', '.join(s for s in ('fetch', 'claim', 'submit') if s in args.only)}")
    with tempfile.TemporaryDirectory(prefix="songgate-scale-") as tmp, \
            postgres_cluster() as cluster:
        base = Path(tmp)
        say(f"PostgreSQL running on {HOST}:{cluster.port} in {cluster.root}")
        stage_times: dict[str, float] = {}
        if "fetch" in args.only:
            t0 = time.perf_counter()
            fetch = run_fetch(args, plan, cluster, base)
            stage_times["fetch"] = time.perf_counter() - t0

            def fetch_report() -> bool:
                report_fetch(fetch, args, plan)
                return True

            reports.append(fetch_report)
        if "claim" in args.only:
            t0 = time.perf_counter()
            claims = run_claim(args, cluster, base)
            stage_times["claim"] = time.perf_counter() - t0
            reports.append(lambda: report_claim(claims, args))
        if "submit" in args.only:
            t0 = time.perf_counter()
            submits = run_submit(args, plan, cluster, base)
            stage_times["submit"] = time.perf_counter() - t0
            reports.append(lambda: report_submit(submits, plan))
    for report in reports:
        ok = report() and ok
    say("")
    say("stage seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in stage_times.items())
        + f"; total {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
