"""What both benchmarks share: the load plan, a lean HTTP/1.1 load generator,
percentiles and tables, and server processes started on loopback.

The load generator speaks HTTP/1.1 over raw asyncio streams with keep-alive.
httpx.AsyncClient was the bottleneck: at 32 clients it managed under 300
requests/s on a full core against a ``/healthz`` that answers 6000/s to this
client, which stays well below a core.  httpx is still used where speed does
not matter (setup and verification).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SCRIPTED_PROVIDERS = "scripted=tests.support.providers:scripted"
SCRIPTED_ROUTES = "MUSIC=scripted,LYRICS=scripted"
READ_LIMIT = 8 * 1024 * 1024  # stream buffer: a 1000-task fetch answers ~2.5 MB
CLIENT_BOUND = 0.9  # share of a core above which the load generator may set the pace

T = TypeVar("T")
Check = Callable[[int, bytes], bool]


class BenchmarkError(RuntimeError):
    """The benchmark cannot give a meaningful figure."""


# -- the plan ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadPlan:
    concurrency: int
    warmup: float  # seconds of load before each measurement window
    duration: float  # seconds in each measurement window
    rounds: int  # how often each endpoint is measured, alternating with its baseline

    def describe(self) -> str:
        return (
            f"{self.concurrency} clients, {self.rounds} x {self.duration:g} s per endpoint "
            f"(each after {self.warmup:g} s warm-up), endpoints alternating"
        )


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="short run for CI smoke tests")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--duration", type=float, help="seconds per measurement (5; quick: 2)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds (1; quick: 0.5)")
    parser.add_argument("--rounds", type=int, default=2, help="measurements per endpoint")


def plan_from(args: argparse.Namespace) -> LoadPlan:
    quick = bool(args.quick)
    plan = LoadPlan(
        concurrency=args.concurrency,
        warmup=args.warmup if args.warmup is not None else (0.5 if quick else 1.0),
        duration=args.duration if args.duration is not None else (2.0 if quick else 5.0),
        rounds=args.rounds,
    )
    if plan.concurrency < 1 or plan.rounds < 1 or plan.duration <= 0 or plan.warmup < 0:
        raise SystemExit("concurrency and rounds must be >= 1, duration > 0, warm-up >= 0")
    return plan


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """Run the load generator on uvloop when it is installed: less client CPU per request."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


# -- numbers and tables -----------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (need not be sorted); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table; the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.ljust(width) if index == 0 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def say(message: str) -> None:
    print(message, flush=True)


# -- server processes -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def songgate_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a songgate process on ``data_dir`` with the scripted provider."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",  # this checkout's songgate, not an installed one
        "SONGGATE_DATA_DIR": str(data_dir),
        "SONGGATE_PROVIDERS": SCRIPTED_PROVIDERS,
        "SONGGATE_ROUTES": SCRIPTED_ROUTES,
        "SONGGATE_LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (all its threads) from /proc; None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class ServerProcess:
    popen: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)


def start_server(
    args: Sequence[str], env: Mapping[str, str], log_path: Path, port: int, timeout: float = 60
) -> ServerProcess:
    """Start ``python <args>`` and wait until ``/healthz`` on ``port`` answers 200."""
    with log_path.open("ab") as log:
        popen = subprocess.Popen(
            [sys.executable, *args], stdout=log, stderr=subprocess.STDOUT, env=dict(env),
            cwd=REPO,
        )
    server = ServerProcess(popen, port, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise BenchmarkError(f"the server exited early:\n{server.log_tail()}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop(signal.SIGKILL)
    raise BenchmarkError(f"the server did not become healthy:\n{server.log_tail()}")


@contextmanager
def serving(
    args: Sequence[str], env: Mapping[str, str], log_path: Path, port: int
) -> Iterator[ServerProcess]:
    server = start_server(args, env, log_path, port)
    try:
        yield server
    finally:
        server.stop()


# -- the load generator -----------------------------------------------------


def encode_request(
    method: str, path: str, port: int, *, body: bytes = b"",
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """One complete HTTP/1.1 keep-alive request, ready to write to a socket."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method != "GET":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _content_length(head: bytes) -> int:
    lowered = head.lower()
    start = lowered.find(b"\r\ncontent-length:")
    if start < 0:
        raise BenchmarkError("response without Content-Length; this client reads only those")
    start += len(b"\r\ncontent-length:")
    return int(lowered[start : lowered.index(b"\r\n", start)])


class HttpConnection:
    """One keep-alive connection that sends a request and reads its whole response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def open(cls, port: int) -> HttpConnection:
        reader, writer = await asyncio.open_connection(HOST, port, limit=READ_LIMIT)
        return cls(reader, writer)

    async def send(self, request: bytes) -> tuple[int, bytes]:
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        body = await self._reader.readexactly(_content_length(head))
        return int(head[9:12]), body

    async def close(self) -> None:
        self._writer.close()
        with suppress(OSError):
            await self._writer.wait_closed()


class Percentiles:
    """p50 and p99 of the ``latencies`` (seconds) of successful requests."""

    latencies: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 0.99)


@dataclass
class Measurement(Percentiles):
    """Requests that started inside the measurement window, and the CPU spent meanwhile."""

    seconds: float
    latencies: list[float] = field(default_factory=list)  # successful requests only
    failures: int = 0
    client_cpu: float = 0.0  # CPU seconds of this process in the window
    server_cpu: float | None = None

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def client_load(self) -> float:
        """Share of one core the load generator used."""
        return self.client_cpu / self.seconds

    @property
    def server_load(self) -> float | None:
        return None if self.server_cpu is None else self.server_cpu / self.seconds

    @classmethod
    def merged(cls, parts: Sequence[Measurement]) -> Measurement:
        """All rounds as one measurement: rps over the total time, percentiles over all."""
        server = [part.server_cpu for part in parts]
        return cls(
            seconds=sum(part.seconds for part in parts),
            latencies=[latency for part in parts for latency in part.latencies],
            failures=sum(part.failures for part in parts),
            client_cpu=sum(part.client_cpu for part in parts),
            server_cpu=None if None in server else sum(s or 0.0 for s in server),
        )


@dataclass(frozen=True, slots=True)
class _Window:
    start: float
    stop: float


async def _worker(
    port: int, requests: Sequence[bytes], seed: int, window: _Window, check: Check,
    measurement: Measurement,
) -> None:
    """Send requests back to back until the window ends; reconnect after a broken one."""
    rng = random.Random(seed)
    connection = await HttpConnection.open(port)
    try:
        while (started := time.perf_counter()) < window.stop:
            request = requests[rng.randrange(len(requests))]
            try:
                status, body = await connection.send(request)
                ok = check(status, body)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                ok = False
                await connection.close()
                connection = await HttpConnection.open(port)
            finished = time.perf_counter()
            if started < window.start:
                continue
            if ok:
                measurement.latencies.append(finished - started)
            else:
                measurement.failures += 1
    finally:
        await connection.close()


async def _sample_cpu(window: _Window, measurement: Measurement, server_pid: int | None) -> None:
    """CPU used by this process and the server between the window's start and stop."""
    await asyncio.sleep(max(0.0, window.start - time.perf_counter()))
    client = time.process_time()
    server = process_cpu_seconds(server_pid) if server_pid is not None else None
    await asyncio.sleep(max(0.0, window.stop - time.perf_counter()))
    measurement.client_cpu = time.process_time() - client
    server_after = process_cpu_seconds(server_pid) if server_pid is not None else None
    if server is not None and server_after is not None:
        measurement.server_cpu = server_after - server


async def measure(
    port: int, requests: Sequence[bytes], plan: LoadPlan, *, check: Check,
    server_pid: int | None = None, seed: int = 0,
) -> Measurement:
    """``plan.concurrency`` clients each sending one of ``requests`` (chosen at random)
    back to back; ``check(status, body)`` says whether a response counts as a success.
    ``check`` sees every response, warm-up included."""
    if not requests:
        raise BenchmarkError("nothing to send")
    start = time.perf_counter() + plan.warmup
    window = _Window(start, start + plan.duration)
    measurement = Measurement(seconds=plan.duration)
    workers = [
        _worker(port, requests, seed * 1000 + index, window, check, measurement)
        for index in range(plan.concurrency)
    ]
    async with asyncio.timeout(plan.warmup + plan.duration + 60):
        await asyncio.gather(_sample_cpu(window, measurement, server_pid), *workers)
    return measurement


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def fmt_ratio(value: float) -> str:
    """Two decimals, three below 0.1 so that tiny ratios do not print as zero."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) >= 0.1 else f"{value:.3f}"


def fmt_load(load: float | None) -> str:
    return "-" if load is None else f"{load * 100:.0f}%"


def fmt_client_load(measurement: Measurement) -> str:
    load = measurement.client_load
    return fmt_load(load) + (" (client-bound)" if load >= CLIENT_BOUND else "")
