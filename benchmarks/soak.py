"""Soak: the load mix for ten minutes, the server's memory sampled every 10 s.

    .venv/bin/python -m benchmarks.soak [--quick] [--minutes 10] [--clients 16]

Starts ``songgate serve`` (API and worker, SQLite, the no-op provider) and
sends a polling-heavy version of the mix of ``benchmarks._mix`` (submits 5%,
batch fetches 80%, single fetches 15%, as clients that poll their tasks send)
from ``--clients`` clients without a pause.  Every ``--every`` seconds it
reads the server's resident memory (VmRSS, which includes the database
file's mapped pages and so grows with the file) and its heap (RssAnon, what
a leak grows).  The terminal-task cache is capped at 8 MiB here, so it is
full within the first minute.

Bound: the heap at the end (the largest of the last three samples) may
exceed the heap after the first minute by at most ``--bound-mib`` (32 MiB),
and its trend over the second half, by least squares, must stay under
``--slope-mib`` MiB per minute.  Exits 1 if the bound is broken, a request
failed or an acknowledged task was lost or not finished.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import render_table, run_async, say
from benchmarks._mix import (
    FETCH_BATCH,
    FETCH_ONE,
    SUBMIT_LYRICS,
    SUBMIT_MUSIC,
    MixResult,
    run_mix,
)
from benchmarks._service import Drained, Memory, drain, memory_of, run_and_report, start_service

CACHE_BYTES = 8 * 1024 * 1024
WEIGHTS = {SUBMIT_MUSIC: 3, SUBMIT_LYRICS: 2, FETCH_BATCH: 80, FETCH_ONE: 15}
WARM_UP_SECONDS = 60.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="two minutes")
    parser.add_argument("--minutes", type=float, help="length of the soak (10; quick: 2)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--bound-mib", type=float, default=32.0,
                        help="allowed heap growth after the first minute")
    parser.add_argument("--slope-mib", type=float, default=2.0,
                        help="allowed heap trend over the second half, MiB per minute")
    args = parser.parse_args(argv)
    args.minutes = args.minutes or (2.0 if args.quick else 10.0)
    if args.minutes * 60 <= WARM_UP_SECONDS + 3 * args.every:
        parser.error("the soak must outlast the first minute by at least three samples")
    if args.clients < 1 or args.every <= 0:
        parser.error("clients must be >= 1 and --every > 0")
    return args


@dataclass(frozen=True, slots=True)
class Sample:
    at: float  # seconds since the load began
    memory: Memory


def slope_per_minute(samples: Sequence[Sample]) -> float:
    """Least-squares trend of the heap, MiB per minute."""
    xs = [sample.at / 60 for sample in samples]
    ys = [sample.memory.anon_mib for sample in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


@dataclass(frozen=True, slots=True)
class SoakOutcome:
    clients: int
    samples: list[Sample]
    mix: MixResult
    drained: Drained
    bound_mib: float
    slope_mib: float

    @property
    def baseline(self) -> Sample:
        return next(s for s in self.samples if s.at >= WARM_UP_SECONDS)

    @property
    def growth_mib(self) -> float:
        return max(s.memory.anon_mib for s in self.samples[-3:]) - self.baseline.memory.anon_mib

    @property
    def slope(self) -> float:
        half = self.samples[len(self.samples) // 2:]
        return slope_per_minute(half)

    @property
    def ok(self) -> bool:
        d = self.drained
        return (self.growth_mib <= self.bound_mib and self.slope <= self.slope_mib
                and self.mix.errors == 0 and d.lost == 0 and d.succeeded == d.acknowledged)


async def _soak(port: int, token: str, pid: int, args: argparse.Namespace
                ) -> tuple[list[Sample], MixResult]:
    seconds = args.minutes * 60
    samples: list[Sample] = []
    load = asyncio.ensure_future(
        run_mix(port, token, clients=args.clients, seconds=seconds, weights=WEIGHTS))
    started = time.perf_counter()
    while not load.done():
        at = time.perf_counter() - started
        samples.append(Sample(at, memory_of(pid)))
        if len(samples) % 6 == 1:
            say(f"  {at:5.0f} s: RSS {samples[-1].memory.rss_mib:.0f} MiB, "
                f"heap {samples[-1].memory.anon_mib:.0f} MiB")
        next_at = started + len(samples) * args.every
        await asyncio.wait({load}, timeout=max(0.0, next_at - time.perf_counter()))
    last = Sample(time.perf_counter() - started, memory_of(pid))
    if last.at - samples[-1].at >= 1:
        samples.append(last)
    return samples, load.result()


def run_soak(args: argparse.Namespace, data_dir: Path) -> SoakOutcome:
    server, token = start_service(data_dir, SONGGATE_FETCH_CACHE_BYTES=str(CACHE_BYTES))
    try:
        say(f"soaking for {args.minutes:g} min with {args.clients} clients, "
            f"memory every {args.every:g} s ...")
        samples, mix = run_async(_soak(server.port, token, server.popen.pid, args))
        say(f"waiting for the worker to finish {len(mix.acknowledged)} acknowledged tasks ...")
        drained = drain(server.url, token, mix.acknowledged)
    finally:
        server.stop()
    return SoakOutcome(args.clients, samples, mix, drained, args.bound_mib, args.slope_mib)


def report(outcome: SoakOutcome) -> None:
    say("")
    say(f"== soak: {outcome.mix.seconds / 60:g} min, {outcome.mix.requests} requests "
        f"({outcome.mix.requests / outcome.mix.seconds:.0f}/s), "
        f"{outcome.mix.errors} errors ==")
    rows = [[f"{s.at:.0f}", f"{s.memory.rss_mib:.0f}", f"{s.memory.anon_mib:.0f}"]
            for s in outcome.samples]
    say(render_table(["s", "RSS MiB", "heap MiB"], rows))
    base = outcome.baseline
    say(f"heap after the first minute ({base.at:.0f} s): {base.memory.anon_mib:.1f} MiB; "
        f"growth to the end: {outcome.growth_mib:+.1f} MiB (bound {outcome.bound_mib:g}); "
        f"trend over the second half: {outcome.slope:+.2f} MiB/min "
        f"(bound {outcome.slope_mib:g})")
    d = outcome.drained
    say(f"acknowledged tasks: {d.acknowledged}; found afterwards: {d.found}; "
        f"SUCCESS: {d.succeeded}; {d.backlog} still waiting when the soak stopped")
    say("verdict: " + ("PASS (bounded memory, no errors, nothing lost)" if outcome.ok
                       else "FAIL"))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return run_and_report("songgate-soak-", lambda directory: run_soak(args, directory), report)


if __name__ == "__main__":
    sys.exit(main())
