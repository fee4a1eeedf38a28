"""Relay: thousands of relayed tasks in flight, followed by batched polling.

    .venv/bin/python -m benchmarks.relay [--tasks 5000] [--interval 2] [--quick]

Two runs side by side, each with its own fake upstream process and its own
``songgate serve`` (SQLite, one process: API, worker and relay poller):

* ``batched``: the ``suno-task`` protocol, whose status request carries up to
  ``relay_batch_size`` (100) ids;
* ``per-task`` (the baseline): the ``sunoapi-v1`` protocol, which has no batch
  query, so the poller asks for one id per request, as a naive relay would.

For each run: submit N MUSIC tasks through HTTP and wait until the upstream
holds all of them; then, with nothing changing upstream, measure a few poll
intervals (upstream status requests, tasks written, songgate's CPU per round);
then mark tasks complete upstream in 20 waves at random moments and measure, from the moment the
upstream completed a task, how long until a client polling ``POST /suno/fetch``
(100 ids per request, its unfinished tasks only) sees it SUCCESS, and the tasks
written per round.

Figures come from the fake upstream's own counters (``/_control/stats``), from
songgate's ``/metrics`` (``songgate_relay_*``) and from /proc for CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks._common import (
    HOST,
    REPO,
    BenchmarkError,
    ServerProcess,
    fmt_ms,
    fmt_ratio,
    free_port,
    percentile,
    process_cpu_seconds,
    ratio,
    render_table,
    say,
    songgate_env,
    start_server,
)

MUSIC = {"prompt": "[Verse]\nrelayed", "tags": "pop", "mv": "chirp-v4"}


@dataclass
class RunFigures:
    name: str
    tasks: int
    submit_seconds: float
    idle_rounds: int
    requests_per_round: float
    writes_per_idle_round: float
    cpu_per_round: float
    round_seconds: float
    writes_per_wave_round: float
    visible_p50: float
    visible_p99: float
    visible_max: float


@contextmanager
def fake_upstream(protocol: str, key: str) -> Iterator[str]:
    popen = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_upstream", "--protocol", protocol,
         "--port", "0", "--steps", "0", "--key", key],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO,
    )
    try:
        assert popen.stdout is not None
        line = popen.stdout.readline().decode()
        found = re.match(r"READY (\d+)", line)
        if not found:
            raise BenchmarkError(f"the fake upstream did not start: {line!r}")
        yield f"http://{HOST}:{found.group(1)}"
    finally:
        popen.terminate()
        popen.wait(10)


def metric(text: str, name: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def read_metrics(server: ServerProcess) -> dict[str, float]:
    text = httpx.get(server.url + "/metrics", timeout=10).text
    return {
        "requests": metric(text, "songgate_relay_requests_total"),
        "writes": metric(text, "songgate_relay_task_writes_total"),
        "poll_seconds": metric(text, "songgate_relay_poll_seconds_sum"),
        "rounds": metric(text, "songgate_relay_poll_seconds_count"),
    }


async def submit_all(server: ServerProcess, token: str, count: int) -> list[str]:
    headers = {"Authorization": f"Bearer {token}"}
    ids: list[str] = []
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as http:
        async def one(_: int) -> None:
            answer = await http.post("/suno/submit/music", json=MUSIC)
            if answer.status_code != 200:
                raise BenchmarkError(f"submit answered {answer.status_code}: {answer.text}")
            ids.append(answer.json()["data"])

        for start in range(0, count, 32):
            await asyncio.gather(*(one(i) for i in range(start, min(count, start + 32))))
    return ids


def upstream_ids(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT upstream_id, task_id FROM relay_jobs WHERE upstream_id IS NOT NULL"
        ).fetchall()
    return {row[0]: row[1] for row in rows}


async def watch(
    server: ServerProcess, token: str, completed_at: dict[str, float], seen: dict[str, float],
    stop: asyncio.Event,
) -> None:
    """Clients polling, 100 ids a request, the tasks completed upstream that they have not
    seen finish yet; records when each was first SUCCESS (as a client polls its own tasks)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60) as http:
        async def client(index: int) -> None:
            while not stop.is_set():
                waiting = [t for n, t in enumerate(completed_at) if n % 4 == index
                           and t not in seen]
                for start in range(0, len(waiting), 100):
                    answer = await http.post("/suno/fetch",
                                             json={"ids": waiting[start:start + 100]})
                    now = time.time()
                    for task in answer.json()["data"]:
                        if task["status"] == "SUCCESS":
                            seen.setdefault(task["task_id"], now)
                await asyncio.sleep(0.02)

        await asyncio.gather(*(client(n) for n in range(4)))


async def run_one(name: str, protocol: str, tasks: int, interval: float, work: Path) -> RunFigures:
    key = "bench-upstream-key"
    data_dir = work / name
    data_dir.mkdir()
    with fake_upstream(protocol, key) as upstream_url:
        channels = data_dir / "channels.toml"
        channels.write_text(
            f'[[channel]]\nname = "up"\nprotocol = "{protocol}"\nbase_url = "{upstream_url}"\n'
            f'key = "{key}"\nmedia = "link"\n'
        )
        port = free_port()
        env = songgate_env(
            data_dir, SONGGATE_ROUTES="MUSIC=channels,LYRICS=channels",
            SONGGATE_CHANNELS_FILE=str(channels),
            SONGGATE_RELAY_POLL_INTERVAL_SECONDS=str(interval),
            SONGGATE_RELAY_TIMEOUT_SECONDS="30", SONGGATE_TASK_TIMEOUT_SECONDS="36000",
            SONGGATE_WORKER_CONCURRENCY="16", SONGGATE_LOG_LEVEL="WARNING",
            SONGGATE_SQLITE_SYNCHRONOUS="NORMAL",
        )
        server = start_server(["-m", "songgate", "serve", "--port", str(port)], env,
                              data_dir / "serve.log", port)
        try:
            return await measure(name, server, data_dir, upstream_url, tasks, interval)
        finally:
            server.stop()


def upstream_stats(url: str) -> dict[str, float]:
    stats: dict[str, float] = httpx.get(url + "/_control/stats", timeout=30).json()
    return stats


async def measure(
    name: str, server: ServerProcess, data_dir: Path, upstream_url: str, tasks: int,
    interval: float,
) -> RunFigures:
    found = re.search(r"with token (sk-\S+)", server.log_path.read_text())
    if not found:
        raise BenchmarkError("no first token in the server's output")
    token = found.group(1)
    say(f"[{name}] submitting {tasks} tasks")
    started = time.monotonic()
    ids = await submit_all(server, token, tasks)
    while upstream_stats(upstream_url)["tasks"] < tasks:
        await asyncio.sleep(0.2)
    submit_seconds = time.monotonic() - started
    say(f"[{name}] upstream holds all {tasks} after {submit_seconds:.1f} s; measuring idle rounds")
    await asyncio.sleep(interval * 1.5)  # the first round after the hand-offs marks them started

    idle_rounds = 4
    before, cpu_before = read_metrics(server), process_cpu_seconds(server.popen.pid) or 0.0
    up_before = upstream_stats(upstream_url)
    await asyncio.sleep(interval * idle_rounds)
    after, cpu_after = read_metrics(server), process_cpu_seconds(server.popen.pid) or 0.0
    up_after = upstream_stats(upstream_url)
    rounds = max(1.0, after["rounds"] - before["rounds"])
    requests_per_round = (after["requests"] - before["requests"]) / rounds
    upstream_saw = up_after["fetch_requests"] - up_before["fetch_requests"]
    counted = after["requests"] - before["requests"]
    say(f"[{name}] {rounds:g} idle rounds: songgate counted {counted:g} status requests, "
        f"the upstream {upstream_saw:g} (a round may straddle the window)")

    say(f"[{name}] completing tasks upstream in waves; clients watch for SUCCESS")
    mapping = upstream_ids(data_dir / "songgate.db")
    if sorted(mapping.values()) != sorted(ids):
        raise BenchmarkError(f"[{name}] not every submitted task reached the upstream once")
    seen: dict[str, float] = {}
    stop = asyncio.Event()
    completed_at: dict[str, float] = {}
    watcher = asyncio.create_task(watch(server, token, completed_at, seen, stop))
    wave_before = read_metrics(server)
    # waves at random moments, so completions fall anywhere within a poll interval
    waves = 20
    rng = random.Random(11)
    upstream_order = list(mapping)
    size = max(1, len(upstream_order) // waves)
    async with httpx.AsyncClient(timeout=60) as control:
        for wave in range(waves):
            chunk = upstream_order[wave * size:(wave + 1) * size]
            answer = await control.post(upstream_url + "/_control/complete", json={"ids": chunk})
            for upstream_id, moment in answer.json()["completed"].items():
                completed_at[mapping[upstream_id]] = moment
            await asyncio.sleep(rng.uniform(0.2, 1.2) * interval)
    deadline = time.monotonic() + interval * 10 + 60
    while len(seen) < len(completed_at) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    stop.set()
    await watcher
    wave_after = read_metrics(server)
    delays = [seen[t] - completed_at[t] for t in completed_at if t in seen]
    if len(delays) != len(completed_at):
        raise BenchmarkError(f"[{name}] {len(completed_at) - len(delays)} tasks never showed "
                             "SUCCESS to the client")
    wave_rounds = max(1.0, wave_after["rounds"] - wave_before["rounds"])
    return RunFigures(
        name=name, tasks=tasks, submit_seconds=submit_seconds, idle_rounds=int(rounds),
        requests_per_round=requests_per_round,
        writes_per_idle_round=(after["writes"] - before["writes"]) / rounds,
        cpu_per_round=(cpu_after - cpu_before) / rounds,
        round_seconds=(after["poll_seconds"] - before["poll_seconds"]) / rounds,
        writes_per_wave_round=(wave_after["writes"] - wave_before["writes"]) / wave_rounds,
        visible_p50=percentile(delays, 0.5), visible_p99=percentile(delays, 0.99),
        visible_max=max(delays),
    )


def report(batched: RunFigures, baseline: RunFigures, interval: float) -> None:
    def row(label: str, get: str, fmt: str = "{:.1f}") -> list[str]:
        ours, theirs = getattr(batched, get), getattr(baseline, get)
        return [label, fmt.format(ours), fmt.format(theirs), fmt_ratio(ratio(ours, theirs))]

    say("")
    say(f"{batched.tasks} relayed tasks in flight, poll interval {interval:g} s "
        f"({batched.idle_rounds} idle rounds measured)")
    say(render_table(
        ["figure", "batched (suno-task)", "per-task (sunoapi-v1)", "ratio"],
        [
            row("upstream requests per round", "requests_per_round"),
            row("tasks written per idle round", "writes_per_idle_round"),
            row("songgate CPU s per round (idle)", "cpu_per_round", "{:.3f}"),
            row("round duration s (idle)", "round_seconds", "{:.3f}"),
            row("tasks written per round (completing)", "writes_per_wave_round"),
            ["upstream done → client sees SUCCESS p50", fmt_ms(batched.visible_p50),
             fmt_ms(baseline.visible_p50), fmt_ratio(ratio(batched.visible_p50,
                                                           baseline.visible_p50))],
            ["upstream done → client sees SUCCESS p99", fmt_ms(batched.visible_p99),
             fmt_ms(baseline.visible_p99), fmt_ratio(ratio(batched.visible_p99,
                                                           baseline.visible_p99))],
        ],
    ))
    per_task = batched.requests_per_round / batched.tasks
    say(f"requests per round per task in flight: batched {per_task:.4f} (one per 100 ids: 0.01), "
        f"per-task {baseline.requests_per_round / baseline.tasks:.2f}")
    say(f"p99 delay as a share of the poll interval: {batched.visible_p99 / interval:.2f}")


async def main_async(tasks: int, interval: float) -> None:
    with tempfile.TemporaryDirectory(prefix="songgate-relay-") as work:
        batched = await run_one("batched", "suno-task", tasks, interval, Path(work))
        baseline = await run_one("per-task", "sunoapi-v1", tasks, interval, Path(work))
    report(batched, baseline, interval)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--quick", action="store_true", help="1,000 tasks")
    args = parser.parse_args()
    asyncio.run(main_async(1000 if args.quick else args.tasks, args.interval))


if __name__ == "__main__":
    main()
