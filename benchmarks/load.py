"""Load: many clients mixing submits and batch fetches against one songgate.

    .venv/bin/python -m benchmarks.load [--quick] [--clients 64] [--duration 60]

Starts ``songgate serve`` (API and worker in one process, SQLite,
``synchronous=FULL``, the no-op provider) on loopback; this process is the
load generator.  First ``GET /healthz`` at the same concurrency, the
baseline (the cheapest answer the server gives); then ``--clients`` clients
send the mix of ``benchmarks._mix`` (submit music 15%, submit lyrics 10%,
batch fetch of 100 recent ids 60%, fetch one 15%) for ``--duration``
seconds; then ``/healthz`` again.  Prints per route: requests, errors (by
status), requests/s, p50 and p99, and p50 as a ratio to the baseline's.

Then it waits for the worker to finish every acknowledged task.  Exits 1 if
any request failed or any acknowledged task is missing or not SUCCESS.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import (
    LoadPlan,
    Measurement,
    encode_request,
    fmt_ms,
    fmt_ratio,
    measure,
    ratio,
    render_table,
    run_async,
    say,
)
from benchmarks._mix import ROUTES, MixResult, run_mix
from benchmarks._service import Drained, Memory, drain, memory_of, run_and_report, start_service


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 clients for 5 s")
    parser.add_argument("--clients", type=int, help="concurrent clients (64; quick: 8)")
    parser.add_argument("--duration", type=float, help="seconds of mixed load (60; quick: 5)")
    parser.add_argument("--baseline", type=float, default=5.0,
                        help="seconds of /healthz before and after the mix")
    args = parser.parse_args(argv)
    args.clients = args.clients or (8 if args.quick else 64)
    args.duration = args.duration or (5.0 if args.quick else 60.0)
    if args.clients < 1 or args.duration <= 0 or args.baseline <= 0:
        parser.error("clients must be >= 1, durations > 0")
    return args


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    clients: int
    mix: MixResult
    healthz: Measurement
    drained: Drained
    memory_before: Memory
    memory_after: Memory

    @property
    def ok(self) -> bool:
        d = self.drained
        return self.mix.errors == 0 and d.lost == 0 and d.succeeded == d.acknowledged


def _healthy(status: int, body: bytes) -> bool:
    return status == 200


async def _baseline(port: int, clients: int, seconds: float, pid: int, seed: int) -> Measurement:
    plan = LoadPlan(concurrency=clients, warmup=0.5, duration=seconds, rounds=1)
    return await measure(port, [encode_request("GET", "/healthz", port)], plan,
                         check=_healthy, server_pid=pid, seed=seed)


async def _load(port: int, token: str, args: argparse.Namespace, pid: int
                ) -> tuple[Measurement, MixResult]:
    before = await _baseline(port, args.clients, args.baseline / 2, pid, 1)
    mix = await run_mix(port, token, clients=args.clients, seconds=args.duration)
    after = await _baseline(port, args.clients, args.baseline / 2, pid, 2)
    return Measurement.merged([before, after]), mix


def run_load(args: argparse.Namespace, data_dir: Path) -> LoadOutcome:
    server, token = start_service(data_dir)
    try:
        memory_before = memory_of(server.popen.pid)
        say(f"{args.clients} clients: /healthz, then the mix for {args.duration:g} s, "
            f"then /healthz ...")
        healthz, mix = run_async(_load(server.port, token, args, server.popen.pid))
        memory_after = memory_of(server.popen.pid)
        say(f"waiting for the worker to finish {len(mix.acknowledged)} acknowledged tasks ...")
        drained = drain(server.url, token, mix.acknowledged)
    finally:
        server.stop()
    return LoadOutcome(args.clients, mix, healthz, drained, memory_before, memory_after)


def report(outcome: LoadOutcome) -> None:
    mix, base = outcome.mix, outcome.healthz
    say("")
    say(f"== load: {outcome.clients} clients, {mix.seconds:g} s of mixed traffic ==")
    headers = ["route", "requests", "errors", "req/s", "p50 ms", "p99 ms", "p50 / healthz"]
    rows = []
    for route in ROUTES:
        figures = mix.routes[route]
        errors = ", ".join(f"{count} x {status or 'no answer'}"
                           for status, count in sorted(figures.errors.items())) or "0"
        rows.append([route, str(figures.requests), errors,
                     f"{figures.requests / mix.seconds:.0f}", fmt_ms(figures.p50),
                     fmt_ms(figures.p99), fmt_ratio(ratio(figures.p50, base.p50))])
    rows.append(["all routes", str(mix.requests), str(mix.errors),
                 f"{mix.requests / mix.seconds:.0f}", "", "", ""])
    rows.append(["GET /healthz (baseline)", str(base.requests), str(base.failures),
                 f"{base.rps:.0f}", fmt_ms(base.p50), fmt_ms(base.p99), "1.00"])
    say(render_table(headers, rows))
    d = outcome.drained
    say(f"acknowledged tasks: {d.acknowledged}; found afterwards: {d.found}; "
        f"SUCCESS: {d.succeeded}; {d.backlog} still waiting when the load stopped, "
        f"finished {d.seconds:.1f} s later")
    say(f"server memory: RSS {outcome.memory_before.rss_mib:.0f} -> "
        f"{outcome.memory_after.rss_mib:.0f} MiB, heap (RssAnon) "
        f"{outcome.memory_before.anon_mib:.0f} -> {outcome.memory_after.anon_mib:.0f} MiB")
    say("verdict: " + ("PASS (no errors, nothing lost)" if outcome.ok else "FAIL"))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_and_report("songgate-load-", lambda directory: run_load(args, directory), report)


if __name__ == "__main__":
    sys.exit(main())
