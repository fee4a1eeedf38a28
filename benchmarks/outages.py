"""Outages: how fast songgate answers, gives up, drains or recovers when its database goes
away, a lock is held, or a process is told to stop, each figure beside the setting that
bounds it.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.outages [--requests 20]

Starts its own throw-away PostgreSQL cluster (``benchmarks._postgres``) and real songgate
processes on loopback with the scripted provider:

1. Database unreachable.  ``songgate api`` alone (it waits for its database before it
   listens, so it starts on the running cluster); then the cluster is stopped and nobody
   listens on its port.  ``--requests`` ``POST /suno/fetch`` one after another: p50 and max
   latency against ``SONGGATE_DB_CONNECT_TIMEOUT_SECONDS``.  Every answer must be 503 with
   Retry-After.
2. PostgreSQL restarted under load.  ``songgate api`` + ``songgate worker`` running LYRICS
   tasks (``script:sleep=...``); the cluster is stopped (``pg_ctl stop -m fast``) while
   they run, fetches are timed through the outage (each 503 or 200, never a 500 or a
   hang), the cluster started again; then the time from ``pg_ctl start``'s return to the
   first 200, and to every task SUCCESS, each finished exactly once by the worker's log
   (finishes on a second attempt are counted: an outage longer than the lease lets the
   reaper requeue tasks whose result was in hand).
3. SIGTERM drain.  ``songgate serve`` (SQLite) with one task hanging
   (``script:hang=1``) and one quick one: SIGTERM to exit, and to "task released" by the
   log's clock, against ``SONGGATE_SHUTDOWN_GRACE_SECONDS``; exit code 0, the quick task
   SUCCESS and the hanging one back to SUBMITTED.
4. A lock held by another session.  An asyncpg connection holds the tasks table in SHARE
   mode (writes wait: a submit) or ACCESS EXCLUSIVE mode (reads wait too: a fetch); time
   to the 503 against ``SONGGATE_DB_LOCK_TIMEOUT_SECONDS``.

Exits 1 when a behaviour check fails (a status other than the allowed ones, a hang, a
task not finished exactly once, a drain that does not exit 0), else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from benchmarks._common import (
    REPO,
    BenchmarkError,
    ServerProcess,
    free_port,
    percentile,
    render_table,
    say,
    songgate_env,
    start_server,
)
from benchmarks._postgres import PostgresCluster, postgres_cluster

PATIENCE = 30.0  # seconds a request may take before it counts as a hang
TERMINAL = ("SUCCESS", "FAILURE")
# Short leases and beats so that a task cut off by the outage is taken back quickly
WORKER_ENV = {
    "SONGGATE_LEASE_SECONDS": "10", "SONGGATE_HEARTBEAT_SECONDS": "0.3",
    "SONGGATE_REAPER_INTERVAL_SECONDS": "0.3", "SONGGATE_RETRY_DELAY_SECONDS": "0",
    "SONGGATE_WORKER_CONCURRENCY": "2", "SONGGATE_POLL_INTERVAL_SECONDS": "0.05",
    "SONGGATE_PROGRESS_WRITE_INTERVAL_SECONDS": "0", "SONGGATE_LOG_LEVEL": "INFO",
}


class CheckFailed(BenchmarkError):
    """songgate did not behave as it must (a wrong status, a hang, a task run twice)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One figure beside the setting it is measured against."""

    case: str
    figure: str
    seconds: float
    bound_name: str
    bound: float
    note: str = ""

    def cells(self) -> list[str]:
        return [self.case, self.figure, f"{self.seconds:.3f}", self.bound_name,
                f"{self.bound:g}", f"{self.seconds / self.bound:.3f}", self.note]


HEADERS = ["case", "figure", "seconds", "bound (setting)", "bound s", "ratio", "checked"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20,
                        help="fetches timed while the database is unreachable")
    parser.add_argument("--connect-timeout", type=float, default=1.0,
                        help="SONGGATE_DB_CONNECT_TIMEOUT_SECONDS")
    parser.add_argument("--outage", type=float, default=3.0,
                        help="seconds PostgreSQL stays down in the restart case")
    parser.add_argument("--tasks", type=int, default=8, help="tasks before and after the restart")
    parser.add_argument("--grace", type=float, default=2.0,
                        help="SONGGATE_SHUTDOWN_GRACE_SECONDS of the drain case")
    parser.add_argument("--lock-timeout", type=float, default=1.0,
                        help="SONGGATE_DB_LOCK_TIMEOUT_SECONDS of the lock case")
    parser.add_argument("--lock-rounds", type=int, default=5, help="blocked requests per lock mode")
    args = parser.parse_args(argv)
    if min(args.requests, args.tasks, args.lock_rounds) < 1:
        parser.error("--requests, --tasks and --lock-rounds must be >= 1")
    return args


# -- processes and requests -----------------------------------------------------------


def make_token(env: Mapping[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "songgate", "tokens", "create", "--account", "outages",
         "--create-account"],
        capture_output=True, text=True, env=dict(env), cwd=REPO, timeout=120, check=False,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"tokens create failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


@contextmanager
def running(command: str, env: Mapping[str, str], log_dir: Path) -> Iterator[ServerProcess]:
    """``songgate <command> --port P`` until healthy; SIGTERM (then SIGKILL) on the way out."""
    port = free_port()
    log = log_dir / f"{command}-{port}.log"
    server = start_server(["-m", "songgate", command, "--port", str(port)], env, log, port)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def worker_process(env: Mapping[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log_path.open("ab") as log:
        popen = subprocess.Popen([sys.executable, "-m", "songgate", "worker"], stdout=log,
                                 stderr=subprocess.STDOUT, env=dict(env), cwd=REPO)
    try:
        yield popen
    finally:
        if popen.poll() is None:
            popen.send_signal(signal.SIGTERM)
            try:
                popen.wait(30)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait(30)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    seconds: float
    retry_after: str | None
    body: Any


def post(server: ServerProcess, token: str, path: str, body: Any) -> Answer:
    """One request; a hang (no answer within PATIENCE) fails the benchmark."""
    started = time.perf_counter()
    try:
        response = httpx.post(server.url + path, json=body, timeout=PATIENCE,
                              headers={"Authorization": f"Bearer {token}"})
    except httpx.TimeoutException:
        raise CheckFailed(f"{path} did not answer within {PATIENCE:g} s") from None
    seconds = time.perf_counter() - started
    try:
        parsed = response.json()
    except ValueError:
        parsed = response.text
    return Answer(response.status_code, seconds, response.headers.get("retry-after"), parsed)


def data(answer: Answer) -> Any:
    if answer.status != 200:
        raise CheckFailed(f"expected 200, got {answer.status}: {answer.body}")
    return answer.body["data"]


def submit(server: ServerProcess, token: str, prompt: str) -> str:
    return str(data(post(server, token, "/suno/submit/lyrics", {"prompt": prompt})))


def statuses(server: ServerProcess, token: str, ids: Sequence[str]) -> dict[str, str]:
    tasks = data(post(server, token, "/suno/fetch", {"ids": list(ids)}))
    return {task["task_id"]: task["status"] for task in tasks}


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what}: not within {timeout:g} s")
        time.sleep(0.02)


def log_entries(log_path: Path) -> Iterator[dict[str, Any]]:
    for line in log_path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            yield json.loads(line)


def finishes(log_path: Path) -> tuple[Counter[str], int]:
    """How many times the worker finished each task, and how many of those finishes
    were on a second or later attempt (the first run's result was lost), from its log."""
    count: Counter[str] = Counter()
    reruns = 0
    for entry in log_entries(log_path):
        if entry.get("msg") == "task left worker":
            count[entry["task_id"]] += 1
            reruns += int(entry.get("attempt", 1)) > 1
    return count, reruns


def latency_rows(case: str, seconds: Sequence[float], bound_name: str, bound: float,
                 note: str) -> list[Row]:
    return [Row(case, "p50", percentile(seconds, 0.5), bound_name, bound, note),
            Row(case, "max", max(seconds), bound_name, bound, "")]


# -- 1. database unreachable ------------------------------------------------------------


def unreachable(args: argparse.Namespace, cluster: PostgresCluster, base: Path) -> list[Row]:
    data_dir = base / "unreachable"
    data_dir.mkdir()
    url = asyncio.run(cluster.create_database("unreachable"))
    env = songgate_env(data_dir, SONGGATE_DATABASE_URL=url,
                       SONGGATE_DB_CONNECT_TIMEOUT_SECONDS=str(args.connect_timeout))
    token = make_token(env)
    with running("api", env, data_dir) as api:
        ids = [submit(api, token, f"u{i}") for i in range(3)]  # no worker: they wait
        cluster.stop()
        try:
            answers = [post(api, token, "/suno/fetch", {"ids": ids})
                       for _ in range(args.requests)]
        finally:
            cluster.start()
    wrong = [a for a in answers if a.status != 503 or not a.retry_after]
    if wrong:
        raise CheckFailed(f"unreachable database: {len(wrong)} answers not 503 with "
                          f"Retry-After, e.g. {wrong[0]}")
    return latency_rows("1 unreachable: fetch -> 503", [a.seconds for a in answers],
                        "db_connect_timeout", args.connect_timeout,
                        f"{len(answers)}/{len(answers)} 503+Retry-After")


# -- 2. PostgreSQL restarted under load -------------------------------------------------


def restart(args: argparse.Namespace, cluster: PostgresCluster, base: Path) -> list[Row]:
    data_dir = base / "restart"
    data_dir.mkdir()
    url = asyncio.run(cluster.create_database("restart"))
    env = songgate_env(data_dir, SONGGATE_DATABASE_URL=url, **WORKER_ENV,
                       SONGGATE_DB_CONNECT_TIMEOUT_SECONDS=str(args.connect_timeout),
                       SONGGATE_TOKEN_CACHE_SECONDS="0")
    token = make_token(env)
    worker_log = data_dir / "worker.log"
    with running("api", env, data_dir) as api, worker_process(env, worker_log):
        ids = [submit(api, token, f"a{i} script:sleep=0.3") for i in range(args.tasks)]
        wait_for("the worker takes tasks", lambda: any(
            status != "SUBMITTED" for status in statuses(api, token, ids).values()))
        stopping = time.perf_counter()
        cluster.stop("fast")
        down = time.perf_counter()
        say(f"  pg_ctl stop -m fast took {down - stopping:.2f} s")
        outage: list[Answer] = []
        try:
            while time.perf_counter() - down < args.outage:
                outage.append(post(api, token, "/suno/fetch", {"ids": ids}))
                time.sleep(0.05)
        finally:
            cluster.start()
        back = time.perf_counter()
        say(f"  PostgreSQL was down (stop begun to start returned) {back - stopping:.2f} s")
        first_200 = _first_200(api, token, ids) - back
        cut_off = list(ids)  # submitted before the outage, some running when it began
        ids += [submit(api, token, f"b{i} script:sleep=0.1") for i in range(args.tasks)]
        done = _finish_times(api, token, {"cut_off": cut_off, "all": ids})
        final = statuses(api, token, ids)
    seen = Counter(a.status for a in outage)
    if not set(seen) <= {503, 200} or 503 not in seen:
        raise CheckFailed(f"restart: outage statuses {dict(seen)}; 503 or 200 only, some 503")
    if set(final.values()) != {"SUCCESS"}:
        raise CheckFailed(f"restart: final statuses {Counter(final.values())}")
    runs, reruns = finishes(worker_log)
    if set(runs) != set(ids) or any(count != 1 for count in runs.values()):
        raise CheckFailed(f"restart: tasks not run exactly once: {runs}")
    lease = float(WORKER_ENV["SONGGATE_LEASE_SECONDS"])
    statuses_note = ", ".join(f"{n}x{s}" for s, n in sorted(seen.items()))
    return [
        *latency_rows("2 restart: fetch in outage", [a.seconds for a in outage],
                      "db_connect_timeout", args.connect_timeout, statuses_note),
        Row("2 restart: start -> first 200", "once", first_200, "db_connect_timeout",
            args.connect_timeout),
        Row("2 restart: start -> cut-off done", "once", done["cut_off"] - back,
            "lease_seconds", lease, f"the {len(cut_off)} tasks submitted before the outage"),
        Row("2 restart: start -> all SUCCESS", "once", done["all"] - back, "lease_seconds",
            lease, f"{len(ids)} tasks, each finished once, {reruns} on attempt 2+"),
    ]


def _finish_times(api: ServerProcess, token: str, groups: Mapping[str, Sequence[str]],
                  timeout: float = 120) -> dict[str, float]:
    """When (perf_counter) each group of tasks was first seen all finished."""
    every = sorted({task for group in groups.values() for task in group})
    seen: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(groups):
        if time.monotonic() > deadline:
            raise CheckFailed(f"restart: tasks not finished within {timeout:g} s")
        now_statuses = statuses(api, token, every)
        now = time.perf_counter()
        for name, group in groups.items():
            if name not in seen and all(now_statuses[task] in TERMINAL for task in group):
                seen[name] = now
        time.sleep(0.02)
    return seen


def _first_200(api: ServerProcess, token: str, ids: Sequence[str]) -> float:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = post(api, token, "/suno/fetch", {"ids": list(ids)})
        if answer.status == 200:
            return time.perf_counter()
        if answer.status != 503:
            raise CheckFailed(f"restart: {answer.status} while reconnecting: {answer.body}")
        time.sleep(0.01)
    raise CheckFailed("restart: no 200 within 60 s of the database's return")


# -- 3. SIGTERM drain -------------------------------------------------------------------


def drain(args: argparse.Namespace, base: Path) -> list[Row]:
    data_dir = base / "drain"
    data_dir.mkdir()
    env = songgate_env(data_dir, **WORKER_ENV, SONGGATE_SHUTDOWN_GRACE_SECONDS=str(args.grace))
    token = make_token(env)
    port = free_port()
    serve = start_server(["-m", "songgate", "serve", "--port", str(port)], env,
                         data_dir / "serve.log", port)
    try:
        hanging = submit(serve, token, "script:hang=1")
        quick = submit(serve, token, "script:sleep=0.1")
        wait_for("the hanging task runs",
                 lambda: statuses(serve, token, [hanging])[hanging] == "IN_PROGRESS")
        wait_for("the quick task finishes",
                 lambda: statuses(serve, token, [quick])[quick] == "SUCCESS")
        started, signalled = time.perf_counter(), time.time()
        serve.popen.send_signal(signal.SIGTERM)
        try:
            code = serve.popen.wait(args.grace + PATIENCE)
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"drain: serve still running {args.grace + PATIENCE:g} s "
                              "after SIGTERM") from None
        seconds = time.perf_counter() - started
    finally:
        serve.stop(signal.SIGKILL)
    if code != 0 or "task released" not in serve.log_path.read_text(errors="replace"):
        raise CheckFailed(f"drain: exit code {code}, log:\n{serve.log_tail()}")
    released = next(entry["ts"] for entry in log_entries(serve.log_path)
                    if entry.get("msg") == "task released") - signalled
    with running("api", songgate_env(data_dir), data_dir) as api:
        after = statuses(api, token, [hanging, quick])
    if after != {hanging: "SUBMITTED", quick: "SUCCESS"}:
        raise CheckFailed(f"drain: after the restart {after}")
    return [Row("3 drain: SIGTERM -> task released", "log", released, "shutdown_grace",
                args.grace, "by the log's clock"),
            Row("3 drain: SIGTERM -> exit", "once", seconds, "shutdown_grace", args.grace,
                "exit 0, quick SUCCESS, hanging SUBMITTED")]


# -- 4. a lock held by another session --------------------------------------------------


LOCK_CASES = (  # (row, lock mode, the request it blocks)
    ("4 lock SHARE: submit -> 503", "SHARE", "/suno/submit/lyrics"),
    ("4 lock ACCESS EXCL: fetch -> 503", "ACCESS EXCLUSIVE", "/suno/fetch"),
)


def held_lock(args: argparse.Namespace, cluster: PostgresCluster, base: Path) -> list[Row]:
    data_dir = base / "lock"
    data_dir.mkdir()
    url = asyncio.run(cluster.create_database("lock"))
    env = songgate_env(data_dir, SONGGATE_DATABASE_URL=url,
                       SONGGATE_DB_LOCK_TIMEOUT_SECONDS=str(args.lock_timeout),
                       SONGGATE_TOKEN_CACHE_SECONDS="0")
    token = make_token(env)
    rows: list[Row] = []
    with running("api", env, data_dir) as api:
        task = submit(api, token, "l0")
        bodies = {"/suno/submit/lyrics": {"prompt": "blocked"}, "/suno/fetch": {"ids": [task]}}
        for case, mode, path in LOCK_CASES:
            answers = [asyncio.run(_while_locked(cluster.dsn("lock"), mode, api, token, path,
                                                 bodies[path]))
                       for _ in range(args.lock_rounds)]
            wrong = [a for a in answers if a.status != 503 or not a.retry_after]
            if wrong:
                raise CheckFailed(f"lock {mode}: {wrong[0]}")
            rows += latency_rows(case, [a.seconds for a in answers], "db_lock_timeout",
                                 args.lock_timeout, f"{len(answers)}/{len(answers)} 503")
        data(post(api, token, "/suno/fetch", {"ids": [task]}))  # the lock gone, all is well
    return rows


async def _while_locked(dsn: str, mode: str, api: ServerProcess, token: str, path: str,
                        body: Any) -> Answer:
    other = await asyncpg.connect(dsn)
    try:
        async with other.transaction():
            await other.execute(f"LOCK TABLE tasks IN {mode} MODE")
            return await asyncio.to_thread(post, api, token, path, body)
    finally:
        await other.close()


# -- main -------------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"benchmarks.outages: {os.cpu_count()} CPUs, load average {load_average()}")
    rows: list[Row] = []
    failure = ""
    with tempfile.TemporaryDirectory(prefix="songgate-outages-") as tmp, \
            postgres_cluster("songgate-outages-pg-") as cluster:
        base = Path(tmp)
        stages: list[tuple[str, Callable[[], list[Row]]]] = [
            ("database unreachable", lambda: unreachable(args, cluster, base)),
            ("PostgreSQL restarted under load", lambda: restart(args, cluster, base)),
            ("SIGTERM drain", lambda: drain(args, base)),
            ("a lock held by another session", lambda: held_lock(args, cluster, base)),
        ]
        for name, stage in stages:
            say(f"{name} ...")
            try:
                rows += stage()
            except CheckFailed as error:
                failure += f"\n{name}: {error}"
                say(f"  FAILED: {error}")
    say("")
    say(render_table(HEADERS, [row.cells() for row in rows]))
    say(f"\nratio = seconds / bound; load average at the end {load_average()}")
    if failure:
        say(f"\nbehaviour checks failed:{failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
