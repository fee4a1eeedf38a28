"""Batch fetch throughput and latency, as ratios to a bare endpoint in the same server.

    .venv/bin/python -m benchmarks.fetch [--quick] [--tasks N]

Fills a fresh SQLite database with ``--tasks`` realistic tasks, starts the API
(plus a baseline route, see ``benchmarks._server``) in a subprocess, and loads
``POST /suno/fetch`` with 1, 100 and 1000 random ids from concurrent clients,
each request one of ``--lists`` id lists per size.  Each figure is compared
with ``POST /bench/baseline/{n}/{k}``, which answers the very same bytes for
list ``k`` from memory, lists chosen in the same random order: the ratio is
what the real work (auth, body parsing, the query, splicing) costs, on
whatever machine runs it.  Real and baseline measurements alternate to cancel
drift.  Exits 0 once measured, whether or not the target is met.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from benchmarks._common import (
    LoadPlan,
    Measurement,
    add_plan_arguments,
    encode_request,
    fmt_client_load,
    fmt_load,
    fmt_ms,
    fmt_ratio,
    free_port,
    measure,
    plan_from,
    ratio,
    render_table,
    run_async,
    say,
    serving,
    songgate_env,
)
from benchmarks._dataset import Dataset, populate
from benchmarks._server import BASELINE_FILE_ENV, LOOP_ENV
from songgate.domain.dto import SUCCESS_PREFIX

SIZES = (1, 100, 1000)
TARGET_SIZE = 100
TARGET_RATIO = 0.5


@dataclass(frozen=True, slots=True)
class Comparison:
    size: int
    response_bytes: int
    real: Measurement
    baseline: Measurement


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.fetch",
        description=__doc__.split("\n\n")[0],
    )
    add_plan_arguments(parser)
    parser.add_argument("--tasks", type=int, help="tasks in the database (100000; quick: 10000)")
    parser.add_argument("--lists", type=int, default=20, help="different id lists per size")
    parser.add_argument("--seed", type=int, default=1, help="seed for choosing ids")
    parser.add_argument(
        "--server-loop", choices=("asyncio", "uvloop"), default="asyncio",
        help="event loop of the server (songgate api runs on asyncio's own)",
    )
    args = parser.parse_args(argv)
    if args.tasks is None:
        args.tasks = 10_000 if args.quick else 100_000
    if args.tasks < max(SIZES) or args.lists < 1:
        parser.error(f"--tasks must be at least {max(SIZES)} and --lists at least 1")
    return args


def choose_lists(task_ids: Sequence[str], lists: int, seed: int) -> dict[int, list[list[str]]]:
    """For each size, ``lists`` different random id lists (no id twice within a list)."""
    rng = random.Random(seed)
    return {size: [rng.sample(task_ids, size) for _ in range(lists)] for size in SIZES}


def write_baseline_file(path: Path, dataset: Dataset, lists: dict[int, list[list[str]]]) -> None:
    """Every id list, for the server to render the baseline answers from."""
    spec = {"account": dataset.account, "ids": {str(n): ids for n, ids in lists.items()}}
    path.write_bytes(orjson.dumps(spec))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def verify_baseline(url: str, token: str, lists: dict[int, list[list[str]]]) -> dict[int, int]:
    """Check each baseline answers byte for byte what /suno/fetch does for its list;
    returns the mean response size for each n."""
    sizes: dict[int, int] = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for n, id_lists in lists.items():
            total = 0
            for k, ids in enumerate(id_lists):
                real = client.post("/suno/fetch", content=orjson.dumps({"ids": ids}),
                                   headers=_auth(token))
                baseline = client.post(f"/bench/baseline/{n}/{k}")
                if real.status_code != 200 or real.content != baseline.content:
                    raise SystemExit(f"baseline {n}/{k} differs from /suno/fetch: "
                                     f"{real.status_code} {real.content[:200]!r}")
                found = len(orjson.loads(real.content)["data"])
                if found != n:
                    raise SystemExit(f"/suno/fetch found {found} of {n} tasks")
                total += len(real.content)
            sizes[n] = total // len(id_lists)
    return sizes


def _is_success(status: int, body: bytes) -> bool:
    return status == 200 and body.startswith(SUCCESS_PREFIX)


async def compare(
    port: int, real: list[bytes], baseline: list[bytes], plan: LoadPlan, server_pid: int
) -> tuple[Measurement, Measurement]:
    """Real and baseline, alternating for ``plan.rounds`` rounds, each merged over rounds."""
    real_parts: list[Measurement] = []
    baseline_parts: list[Measurement] = []
    for round_ in range(plan.rounds):
        for requests, parts in ((real, real_parts), (baseline, baseline_parts)):
            parts.append(await measure(port, requests, plan, check=_is_success,
                                       server_pid=server_pid, seed=round_))
    return Measurement.merged(real_parts), Measurement.merged(baseline_parts)


def run_comparisons(
    port: int, token: str, lists: dict[int, list[list[str]]], sizes: dict[int, int],
    plan: LoadPlan, server_pid: int,
) -> list[Comparison]:
    results = []
    for n, id_lists in lists.items():
        say(f"measuring {n} ids ...")
        real = [
            encode_request("POST", "/suno/fetch", port, body=orjson.dumps({"ids": ids}),
                           headers=_auth(token))
            for ids in id_lists
        ]
        baseline = [
            encode_request("POST", f"/bench/baseline/{n}/{k}", port) for k in range(len(id_lists))
        ]
        measured = run_async(compare(port, real, baseline, plan, server_pid))
        results.append(Comparison(n, sizes[n], *measured))
    return results


def results_table(results: Sequence[Comparison]) -> str:
    headers = ["ids", "mean KB", "rps real", "rps base", "rps ratio",
               "p50 real", "p50 base", "p50 ratio", "p99 real", "p99 base", "p99 ratio"]
    rows = []
    for c in results:
        real, base = c.real, c.baseline
        rows.append([
            str(c.size), f"{c.response_bytes / 1024:.1f}",
            f"{real.rps:.0f}", f"{base.rps:.0f}", fmt_ratio(ratio(real.rps, base.rps)),
            fmt_ms(real.p50), fmt_ms(base.p50), fmt_ratio(ratio(real.p50, base.p50)),
            fmt_ms(real.p99), fmt_ms(base.p99), fmt_ratio(ratio(real.p99, base.p99)),
        ])
    return render_table(headers, rows)


def load_table(results: Sequence[Comparison]) -> str:
    headers = ["ids", "endpoint", "requests", "errors", "client CPU", "server CPU"]
    rows = [
        [str(c.size), name, str(m.requests), str(m.failures),
         fmt_client_load(m), fmt_load(m.server_load)]
        for c in results
        for name, m in (("real", c.real), ("baseline", c.baseline))
    ]
    return render_table(headers, rows)


def verdict(results: Sequence[Comparison]) -> str:
    target = next(c for c in results if c.size == TARGET_SIZE)
    achieved = ratio(target.real.rps, target.baseline.rps)
    outcome = "PASS" if achieved >= TARGET_RATIO else "MISS"
    return (f"target: rps ratio >= {TARGET_RATIO:.2f} at {TARGET_SIZE} ids: "
            f"{outcome} ({fmt_ratio(achieved)})")


def report(results: Sequence[Comparison], args: argparse.Namespace, plan: LoadPlan) -> None:
    say("")
    say(f"POST /suno/fetch vs. the same bytes from memory (POST /bench/baseline/n/k); "
        f"{args.tasks} tasks in SQLite; {plan.describe()}; server loop: {args.server_loop}")
    say("rps ratio = real/baseline (higher is better); latencies in ms, "
        "latency ratio = real/baseline (lower is better)")
    say(results_table(results))
    say("")
    say("load check: CPU as a share of one core during the windows. Where the load generator "
        "is client-bound,\nthat endpoint's rps is only a lower bound; a client-bound baseline "
        "makes its ratio look better than it is.")
    say(load_table(results))
    say("")
    say(verdict(results))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = plan_from(args)
    with tempfile.TemporaryDirectory(prefix="songgate-bench-") as tmp:
        data_dir = Path(tmp)
        started = time.perf_counter()
        say(f"populating {args.tasks} tasks in {data_dir} ...")
        dataset = run_async(populate(data_dir, args.tasks))
        say(f"populated in {time.perf_counter() - started:.1f} s")
        lists = choose_lists(dataset.task_ids, args.lists, args.seed)
        baseline_file = data_dir / "baseline.json"
        write_baseline_file(baseline_file, dataset, lists)
        port = free_port()
        env = songgate_env(data_dir, SONGGATE_PORT=str(port), **{
            BASELINE_FILE_ENV: str(baseline_file), LOOP_ENV: args.server_loop,
        })
        with serving(["-m", "benchmarks._server"], env, data_dir / "server.log", port) as server:
            sizes = verify_baseline(server.url, dataset.token, lists)
            say(f"baseline bytes == /suno/fetch bytes for all {args.lists} lists of "
                + ", ".join(map(str, sizes)) + " ids")
            results = run_comparisons(port, dataset.token, lists, sizes, plan, server.popen.pid)
    report(results, args, plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
