"""Lyrics: the offline writer in this process, and LYRICS tasks through the real HTTP API.

    .venv/bin/python -m benchmarks.lyrics [--quick]

Part 1 calls ``write_song(prompt, seed)`` for every prompt of the English and
the Chinese fixtures (``tests/lyrics/prompts_*.txt``, 50 each) with many
seeds, after timing the first, cold calls (the CMU dictionary and the phrase
bank index load once) apart.  The baseline is ``parse_form`` of each song's
text, the work the engine does to read the lyrics back, timed in the same
rounds: the figure is the write/parse time ratio, and the mean warm song against
the writer's target (10 ms English, 5 ms Chinese).

Part 2 starts ``songgate serve`` (API and worker in one process, LYRICS and
MUSIC routed to the ``local`` provider, offline writer) on loopback, once with
``SONGGATE_POLL_INTERVAL_SECONDS`` at its default and once at 0.05.  Each run
submits one cold task first (reported apart), then ``POST /suno/submit/lyrics``
from one client, task after task, and from ``--clients`` concurrent ones, each
polling ``GET /suno/fetch/{id}`` every 20 ms until SUCCESS.  Latency is
submit to SUCCESS as the client sees it (so up to one poll late).  From the
TaskDto, ``finish_time - start_time`` (whole seconds) says whether a task
finished within a second of being claimed; the exact float times in the
database split the latency into queueing (submit to claim) and running (claim
to finish).  The baseline is a ``GET /healthz`` round trip on the same server
at the same concurrency.  Exits 0 once measured, 1 if any task failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from benchmarks._common import (
    REPO,
    BenchmarkError,
    HttpConnection,
    encode_request,
    fmt_ms,
    fmt_ratio,
    free_port,
    percentile,
    ratio,
    render_table,
    run_async,
    say,
    serving,
    songgate_env,
)
from benchmarks.submit import create_token
from songgate.domain.submit import parse_lyrics
from songgate.engine.text.form import parse_form
from songgate.errors import InvalidRequest
from songgate.lyrics.writer import WrittenSong, write_song

FIXTURES = {
    "en": REPO / "tests" / "lyrics" / "prompts_en.txt",
    "zh": REPO / "tests" / "lyrics" / "prompts_zh.txt",
}
ROUTES = "MUSIC=local,LYRICS=local"
POLL_ENV = "SONGGATE_POLL_INTERVAL_SECONDS"
DEFAULT_POLL = 0.5  # songgate's default, see songgate.config.Settings
FAST_POLL = 0.05
CLIENT_POLL = 0.02  # seconds between two GET /suno/fetch/{id} of one client
TASK_TIMEOUT = 30.0  # a task not SUCCESS by then counts as failed
CLAIM_TARGET = 1  # seconds from claim to finish, as the TaskDto counts them
WRITE_TARGET = {"en": 0.010, "zh": 0.005}  # mean seconds per warm write_song, by fixture


@dataclass(frozen=True, slots=True)
class Plan:
    seeds: int  # part 1: songs per prompt
    sequential: dict[float, int]  # part 2: tasks from one client, by poll interval
    per_client: dict[float, int]  # part 2: tasks per concurrent client, by poll interval
    clients: int
    healthz: int  # /healthz round trips per concurrency

    @classmethod
    def of(cls, quick: bool, clients: int) -> Plan:
        if quick:
            return cls(seeds=3, sequential={DEFAULT_POLL: 8, FAST_POLL: 20},
                       per_client={DEFAULT_POLL: 2, FAST_POLL: 4}, clients=clients,
                       healthz=100)
        return cls(seeds=20, sequential={DEFAULT_POLL: 30, FAST_POLL: 80},
                   per_client={DEFAULT_POLL: 6, FAST_POLL: 12}, clients=clients, healthz=400)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.lyrics", description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--quick", action="store_true", help="short run for CI smoke tests")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    args = parser.parse_args(argv)
    if args.clients < 1:
        raise SystemExit("--clients must be >= 1")
    return args


def accepted(prompt: str) -> bool:
    """Whether ``POST /suno/submit/lyrics`` takes this prompt (the fixtures hold an empty
    line, which the writer takes and the API refuses)."""
    try:
        parse_lyrics({"prompt": prompt})
    except InvalidRequest:
        return False
    return True


def read_prompts() -> dict[str, list[str]]:
    prompts = {name: path.read_text(encoding="utf-8").splitlines()
               for name, path in FIXTURES.items()}
    if not all(prompts.values()):
        raise BenchmarkError("a prompt fixture is empty")
    return prompts


# -- part 1: the writer in this process ---------------------------------------------------


@dataclass
class WriterRun:
    """Every song written from one fixture, and the time to write and to parse them."""

    fixture: str
    write_times: list[float] = field(default_factory=list)
    parse_seconds: float = 0.0
    chars: int = 0
    languages: Counter[str] = field(default_factory=Counter)

    @property
    def songs(self) -> int:
        return len(self.write_times)

    @property
    def write_seconds(self) -> float:
        return sum(self.write_times)


@dataclass(frozen=True, slots=True)
class ColdCalls:
    """Seconds of the first calls in this process, and of a second, warm one."""

    write: dict[str, float]
    parse: dict[str, float]
    warm_write: dict[str, float]


def timed_write(prompt: str, seed: int) -> tuple[WrittenSong, float]:
    started = time.perf_counter()
    song = write_song(prompt, seed)
    return song, time.perf_counter() - started


def timed_parse(text: str) -> float:
    started = time.perf_counter()
    parse_form(text)
    return time.perf_counter() - started


def cold_calls(prompts: dict[str, list[str]]) -> ColdCalls:
    """English first: its first call loads the CMU dictionary and indexes the banks."""
    write: dict[str, float] = {}
    parse: dict[str, float] = {}
    warm: dict[str, float] = {}
    for fixture, lines in prompts.items():
        song, write[fixture] = timed_write(lines[0], 0)
        parse[fixture] = timed_parse(song.text)
        warm[fixture] = timed_write(lines[0], 1)[1]
    return ColdCalls(write, parse, warm)


def writer_runs(prompts: dict[str, list[str]], seeds: int) -> list[WriterRun]:
    """Seed by seed, each fixture's songs are written, then parsed: writing and its
    baseline alternate in small batches, so drift touches both alike."""
    runs = {fixture: WriterRun(fixture) for fixture in prompts}
    for seed in range(1, seeds + 1):
        for fixture, lines in prompts.items():
            run = runs[fixture]
            songs = []
            for prompt in lines:
                song, seconds = timed_write(prompt, seed)
                run.write_times.append(seconds)
                run.chars += len(song.text)
                run.languages[song.language] += 1
                songs.append(song)
            run.parse_seconds += sum(timed_parse(song.text) for song in songs)
    return list(runs.values())


def report_writer(cold: ColdCalls, runs: Sequence[WriterRun], seeds: int) -> None:
    say("")
    say(f"offline writer in this process: write_song over the fixtures, seeds 1..{seeds}; "
        "baseline: the engine's parse_form of each song")
    say("first calls (cold): " + ", ".join(
        f"write_song {fixture} {fmt_ms(seconds)} ms (warm {fmt_ms(cold.warm_write[fixture])} ms)"
        for fixture, seconds in cold.write.items()
    ) + "; " + ", ".join(
        f"parse_form {fixture} {fmt_ms(seconds)} ms" for fixture, seconds in cold.parse.items()
    ))
    headers = ["fixture", "songs", "write songs/s", "parse songs/s", "write/parse time",
               "write p50 ms", "write p99 ms", "mean chars", "detected language"]
    rows = [
        [
            f"prompts_{run.fixture}.txt", str(run.songs),
            f"{ratio(run.songs, run.write_seconds):.0f}",
            f"{ratio(run.songs, run.parse_seconds):.0f}",
            fmt_ratio(ratio(run.write_seconds, run.parse_seconds)),
            fmt_ms(percentile(run.write_times, 0.50)), fmt_ms(percentile(run.write_times, 0.99)),
            f"{ratio(run.chars, run.songs):.0f}",
            " ".join(f"{lang} {count}" for lang, count in run.languages.most_common()),
        ]
        for run in runs
    ]
    say(render_table(headers, rows))
    for run in runs:
        mean, target = ratio(run.write_seconds, run.songs), WRITE_TARGET[run.fixture]
        say(f"target: mean write_song {run.fixture} < {fmt_ms(target)} ms: "
            f"{'PASS' if mean < target else 'MISS'} ({fmt_ms(mean)} ms)")


# -- part 2: LYRICS tasks through HTTP ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskTiming:
    task_id: str
    latency: float  # client: submit sent -> SUCCESS read
    start_time: int  # TaskDto, whole seconds
    finish_time: int

    @property
    def dto_run_seconds(self) -> int:
        return self.finish_time - self.start_time


@dataclass
class Batch:
    """LYRICS tasks from ``clients`` concurrent clients, and what the database says."""

    clients: int
    seconds: float = 0.0
    done: list[TaskTiming] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    queued: list[float] = field(default_factory=list)  # database: submit -> claim
    running: list[float] = field(default_factory=list)  # database: claim -> finish

    @property
    def latencies(self) -> list[float]:
        return [task.latency for task in self.done]

    @property
    def within_target(self) -> int:
        return sum(1 for task in self.done if task.dto_run_seconds <= CLAIM_TARGET)


@dataclass
class ServerRun:
    poll: float
    poll_is_default: bool
    cold: Batch
    batches: list[Batch]
    healthz: dict[int, list[float]]  # clients -> round-trip seconds


class Client:
    """One keep-alive connection that submits LYRICS tasks and polls them to the end."""

    def __init__(self, port: int, token: str, connection: HttpConnection) -> None:
        self._port = port
        self._connection = connection
        self._auth = {"Authorization": f"Bearer {token}"}

    @classmethod
    async def open(cls, port: int, token: str) -> Client:
        return cls(port, token, await HttpConnection.open(port))

    async def close(self) -> None:
        await self._connection.close()

    async def _json(self, request: bytes) -> object:
        status, body = await self._connection.send(request)
        if status != 200:
            raise BenchmarkError(f"HTTP {status}: {body[:300]!r}")
        reply = orjson.loads(body)
        if not isinstance(reply, dict) or reply.get("code") != "success":
            raise BenchmarkError(f"not a success: {body[:300]!r}")
        return reply.get("data")

    async def lyrics_task(self, prompt: str) -> TaskTiming:
        """Submit one task and poll it every 20 ms; raises when it fails or takes too long."""
        body = orjson.dumps({"prompt": prompt})
        submit = encode_request("POST", "/suno/submit/lyrics", self._port, body=body,
                                headers={**self._auth, "Content-Type": "application/json"})
        started = time.perf_counter()
        task_id = await self._json(submit)
        if not isinstance(task_id, str):
            raise BenchmarkError(f"submit answered no task id: {task_id!r}")
        fetch = encode_request("GET", f"/suno/fetch/{task_id}", self._port, headers=self._auth)
        while time.perf_counter() - started < TASK_TIMEOUT:
            await asyncio.sleep(CLIENT_POLL)
            task = await self._json(fetch)
            if not isinstance(task, dict):
                raise BenchmarkError(f"fetch answered no task: {task!r}")
            if task["status"] == "SUCCESS":
                return TaskTiming(task_id, time.perf_counter() - started,
                                  int(task["start_time"]), int(task["finish_time"]))
            if task["status"] == "FAILURE":
                raise BenchmarkError(f"task {task_id} failed: {task['fail_reason']}")
        raise BenchmarkError(f"task {task_id} not done after {TASK_TIMEOUT:g} s")

    async def healthz(self, count: int) -> list[float]:
        request = encode_request("GET", "/healthz", self._port)
        times: list[float] = []
        for _ in range(count):
            started = time.perf_counter()
            await self._json(request)
            times.append(time.perf_counter() - started)
        return times


async def _client_tasks(port: int, token: str, prompts: Sequence[str], batch: Batch) -> None:
    client = await Client.open(port, token)
    try:
        for prompt in prompts:
            try:
                batch.done.append(await client.lyrics_task(prompt))
            except (BenchmarkError, OSError, asyncio.IncompleteReadError) as error:
                batch.failures.append(str(error))
                await client.close()
                client = await Client.open(port, token)
    finally:
        await client.close()


async def run_batch(
    port: int, token: str, prompts: Sequence[str], clients: int, per_client: int, first: int
) -> Batch:
    """``clients`` clients, each sending ``per_client`` tasks one after another; prompts
    taken in turn from ``prompts`` starting at ``first``."""
    batch = Batch(clients)
    mine = [
        [prompts[(first + index * per_client + k) % len(prompts)] for k in range(per_client)]
        for index in range(clients)
    ]
    started = time.perf_counter()
    async with asyncio.timeout(per_client * TASK_TIMEOUT + 60):
        await asyncio.gather(*(_client_tasks(port, token, own, batch) for own in mine))
    batch.seconds = time.perf_counter() - started
    return batch


async def healthz_round_trips(port: int, token: str, clients: int, total: int) -> list[float]:
    opened = [await Client.open(port, token) for _ in range(clients)]
    try:
        parts = await asyncio.gather(*(c.healthz(max(1, total // clients)) for c in opened))
    finally:
        for client in opened:
            await client.close()
    return [seconds for part in parts for seconds in part]


async def drive(
    port: int, token: str, prompts: Sequence[str], plan: Plan, poll: float
) -> tuple[Batch, list[Batch], dict[int, list[float]]]:
    """The cold task, /healthz, one client, then many clients, then /healthz again."""
    cold = await run_batch(port, token, prompts, 1, 1, 0)
    concurrencies = (1, plan.clients)
    healthz: dict[int, list[float]] = {n: [] for n in concurrencies}
    for clients in concurrencies:
        healthz[clients] += await healthz_round_trips(port, token, clients, plan.healthz // 2)
    batches = [
        await run_batch(port, token, prompts, 1, plan.sequential[poll], 1),
        await run_batch(port, token, prompts, plan.clients, plan.per_client[poll], 7),
    ]
    for clients in concurrencies:
        healthz[clients] += await healthz_round_trips(port, token, clients, plan.healthz // 2)
    return cold, batches, healthz


def database_times(database: Path, batches: Sequence[Batch]) -> None:
    """Exact submit -> claim and claim -> finish of every finished task, from the tasks table."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT id, submit_time, start_time, finish_time FROM tasks WHERE action = 'LYRICS'"
        ).fetchall()
    connection.close()
    times = {row[0]: (float(row[1]), float(row[2]), float(row[3])) for row in rows}
    for batch in batches:
        for task in batch.done:
            submitted, claimed, finished = times[task.task_id]
            batch.queued.append(claimed - submitted)
            batch.running.append(finished - claimed)


def serve_lyrics(data_dir: Path, token: str, prompts: Sequence[str], plan: Plan,
                 poll: float | None) -> ServerRun:
    """One ``songgate serve`` on ``data_dir``; ``poll`` None leaves the interval at default."""
    env = songgate_env(data_dir, SONGGATE_ROUTES=ROUTES, SONGGATE_PROVIDERS="",
                       SONGGATE_LYRICS_CHAT_URL="")
    env.pop(POLL_ENV, None)
    if poll is not None:
        env[POLL_ENV] = str(poll)
    interval = DEFAULT_POLL if poll is None else poll
    port = free_port()
    args = ["-m", "songgate", "serve", "--port", str(port)]
    log = data_dir / f"serve-poll-{interval:g}.log"
    with serving(args, env, log, port) as server:
        say(f"poll interval {interval:g} s: LYRICS tasks on {server.url} ...")
        cold, batches, healthz = run_async(drive(port, token, prompts, plan, interval))
    database_times(data_dir / "songgate.db", [cold, *batches])
    return ServerRun(interval, poll is None, cold, batches, healthz)


def _stat_ms(values: Sequence[float], fraction: float) -> str:
    return fmt_ms(percentile(values, fraction)) if values else "-"


def report_http(runs: Sequence[ServerRun], clients: int) -> int:
    """Print part 2; returns how many tasks failed."""
    say("")
    say("LYRICS tasks through songgate serve (local provider, offline writer), client polls "
        f"every {CLIENT_POLL * 1000:.0f} ms; baseline: GET /healthz, same server and concurrency")
    for run in runs:
        cold = run.cold.done[0] if run.cold.done else None
        if cold is None:
            say(f"poll {run.poll:g} s: the cold first task failed: {run.cold.failures}")
            continue
        say(f"poll {run.poll:g} s: cold first task {fmt_ms(cold.latency)} ms submit->SUCCESS, "
            f"claim->finish {fmt_ms(run.cold.running[0])} ms (TaskDto: "
            f"{cold.dto_run_seconds} s)")
    headers = ["poll s", "clients", "tasks", "failed", "tasks/s", "p50 ms", "p99 ms",
               "healthz p50 ms", "p50 ratio", "p99 ratio"]
    rows = []
    for run in runs:
        for batch in run.batches:
            healthz = percentile(run.healthz[batch.clients], 0.50)
            p50, p99 = percentile(batch.latencies, 0.50), percentile(batch.latencies, 0.99)
            label = f"{run.poll:g}" + (" (default)" if run.poll_is_default else "")
            rows.append([
                label, str(batch.clients), str(len(batch.done)), str(len(batch.failures)),
                f"{ratio(len(batch.done), batch.seconds):.1f}", fmt_ms(p50), fmt_ms(p99),
                fmt_ms(healthz), fmt_ratio(ratio(p50, healthz)), fmt_ratio(ratio(p99, healthz)),
            ])
    say(render_table(headers, rows))
    say("")
    say(f"where the time goes (database, exact): queued = submit->claim, running = "
        f"claim->finish; TaskDto finish_time - start_time <= {CLAIM_TARGET} s (whole seconds)")
    headers = ["poll s", "clients", "queued p50 ms", "queued p99 ms", "running p50 ms",
               "running p99 ms", "running max ms", "running < 1 s", "TaskDto <= 1 s"]
    rows = []
    failed = 0
    for run in runs:
        failed += len(run.cold.failures)
        for batch in run.batches:
            failed += len(batch.failures)
            exact = sum(1 for seconds in batch.running if seconds < CLAIM_TARGET)
            rows.append([
                f"{run.poll:g}", str(batch.clients),
                _stat_ms(batch.queued, 0.50), _stat_ms(batch.queued, 0.99),
                _stat_ms(batch.running, 0.50), _stat_ms(batch.running, 0.99),
                fmt_ms(max(batch.running)) if batch.running else "-",
                f"{exact}/{len(batch.done)}", f"{batch.within_target}/{len(batch.done)}",
            ])
    say(render_table(headers, rows))
    everything = [t for run in runs for b in (run.cold, *run.batches) for t in b.done]
    within = sum(1 for task in everything if task.dto_run_seconds <= CLAIM_TARGET)
    say("")
    say(f"finished within {CLAIM_TARGET} s of being claimed (TaskDto, cold tasks included): "
        f"{within}/{len(everything)}; failed tasks: {failed}")
    for run in runs:
        for batch in (run.cold, *run.batches):
            for reason in batch.failures[:3]:
                say(f"  failure (poll {run.poll:g} s, {batch.clients} clients): {reason}")
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan.of(args.quick, args.clients)
    prompts = read_prompts()
    started = time.perf_counter()
    cold = cold_calls(prompts)
    runs = writer_runs(prompts, plan.seeds)
    report_writer(cold, runs, plan.seeds)
    say("")
    # English and Chinese prompts in turn, so every client sends both.
    mixed = [prompt for pair in zip(prompts["en"], prompts["zh"], strict=False) for prompt in pair]
    refused = [prompt for prompt in mixed if not accepted(prompt)]
    mixed = [prompt for prompt in mixed if accepted(prompt)]
    say(f"HTTP prompts: {len(mixed)} of the fixtures' {len(mixed) + len(refused)}, English and "
        f"Chinese in turn; left out, refused by the API: {refused!r}")
    with tempfile.TemporaryDirectory(prefix="songgate-bench-") as tmp:
        data_dir = Path(tmp)
        token = create_token(songgate_env(data_dir))
        servers = [serve_lyrics(data_dir, token, mixed, plan, poll)
                   for poll in (None, FAST_POLL)]
    failed = report_http(servers, plan.clients)
    say("")
    say(f"total {time.perf_counter() - started:.1f} s; writer mean over all songs "
        f"{fmt_ms(statistics.fmean(t for run in runs for t in run.write_times))} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
