"""Does ``songgate serve`` keep finishing tasks while its API is flooded?

    .venv/bin/python -m benchmarks.busy_serve [--baseline-src DIR] [--rounds 2] [--seconds 30]

Starts ``songgate serve`` (the embedded default: API and worker in one process,
SQLite, the offline providers) on a fresh data directory, submits ``--ids`` LYRICS
tasks to poll, then floods ``POST /suno/fetch`` of those ids with ``wrk`` at
``--connections`` for ``--seconds`` while one client submits a LYRICS task every
100 ms (the next one as soon as the last is answered when a submit takes longer).
Prints, per run: submits answered during the flood, how many of those tasks reached
SUCCESS before the flood ended, and submit→SUCCESS p50/p99 (the submit's send time
to the task's ``finish_time``; a task unfinished 30 s after the flood counts as
never). With ``--baseline-src`` (the ``src`` directory of another checkout) the same
runs alternate with that code, which runs first in every other round (an A/A run with
one order, baseline first, gave the second code 1.11 times the fetch rate), and the
table shows both side by side.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from benchmarks._common import (
    REPO,
    BenchmarkError,
    ServerProcess,
    fmt_ms,
    fmt_ratio,
    free_port,
    percentile,
    ratio,
    render_table,
    say,
    start_server,
)
from benchmarks._wrk import WrkResult, run_wrk, write_script

SUBMIT_EVERY = 0.1
SETTLE_SECONDS = 30.0
_TOKEN = re.compile(r"with token (\S+)")


@dataclass
class Submits:
    """Submits the steady client made: its send time per acknowledged task id."""

    sent_at: dict[str, float] = field(default_factory=dict)
    refused: int = 0


@dataclass(frozen=True, slots=True)
class Run:
    code: str
    flood: WrkResult
    submits: int
    refused: int
    finished_in_flood: int
    latencies: list[float]

    @property
    def share_finished(self) -> float:
        return ratio(self.finished_in_flood, self.submits)


def serve_env(data_dir: Path, src: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("SONGGATE_")},
        "PYTHONPATH": f"{src}:{REPO}",
        "SONGGATE_DATA_DIR": str(data_dir),
        "SONGGATE_LOG_LEVEL": "WARNING",
    }


def first_token(server: ServerProcess) -> str:
    found = _TOKEN.search(server.log_path.read_text(errors="replace"))
    if found is None:
        raise BenchmarkError(f"serve printed no first token:\n{server.log_tail()}")
    return found.group(1)


def submit_lyrics(client: httpx.Client, prompt: str) -> str | None:
    reply = client.post("/suno/submit/lyrics", json={"prompt": prompt})
    if reply.status_code != 200:
        return None
    data = reply.json().get("data")
    return data if isinstance(data, str) else None


def steady_submits(client: httpx.Client, stop: threading.Event, submits: Submits) -> None:
    due = time.monotonic()
    n = 0
    while not stop.is_set():
        pause = due - time.monotonic()
        if pause > 0 and stop.wait(pause):
            break
        sent = time.time()
        n += 1
        try:
            task_id = submit_lyrics(client, f"steady song {n}")
        except httpx.HTTPError:
            task_id = None
        if task_id is None:
            submits.refused += 1
        else:
            submits.sent_at[task_id] = sent
        due = max(due + SUBMIT_EVERY, time.monotonic())


def finish_times(database: Path, ids: list[str]) -> dict[str, float]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT id, finish_time FROM tasks WHERE status = 'SUCCESS' AND id IN "
            f"({','.join('?' * len(ids))})", ids,
        ).fetchall()
    return {row[0]: float(row[1]) for row in rows}


def wait_finished(database: Path, ids: list[str], timeout: float) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    while True:
        done = finish_times(database, ids) if ids else {}
        if len(done) == len(ids) or time.monotonic() > deadline:
            return done
        time.sleep(0.25)


def one_run(code: str, src: Path, args: argparse.Namespace, scratch: Path) -> Run:
    data_dir = Path(tempfile.mkdtemp(prefix=f"{code}-", dir=scratch))
    port = free_port()
    server = start_server(["-m", "songgate", "serve", "--port", str(port)],
                          serve_env(data_dir, src), data_dir / "serve.log", port)
    try:
        token = first_token(server)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            polled = [submit_lyrics(client, f"polled song {i}") for i in range(args.ids)]
            if None in polled:
                raise BenchmarkError(f"a setup submit was refused:\n{server.log_tail()}")
            wait_finished(data_dir / "songgate.db", [str(i) for i in polled], SETTLE_SECONDS)
            script = write_script(
                data_dir / "fetch.lua", method="POST", body=orjson.dumps({"ids": polled}),
                headers={**headers, "Content-Type": "application/json"},
            )
            submits = Submits()
            stop = threading.Event()
            submitter = threading.Thread(target=steady_submits, args=(client, stop, submits))
            submitter.start()
            try:
                flood = run_wrk(port, "/suno/fetch", script, connections=args.connections,
                                seconds=args.seconds)
            finally:
                flood_end = time.time()
                stop.set()
                submitter.join()
        ids = list(submits.sent_at)
        finished = wait_finished(data_dir / "songgate.db", ids, SETTLE_SECONDS)
    finally:
        server.stop()
    latencies = [
        finished[task_id] - sent if task_id in finished else float("inf")
        for task_id, sent in submits.sent_at.items()
    ]
    in_flood = sum(1 for task_id in ids if finished.get(task_id, float("inf")) <= flood_end)
    return Run(code, flood, len(ids), submits.refused, in_flood, latencies)


def row(run: Run) -> list[str]:
    return [
        run.code, f"{run.flood.rps:,.0f}", str(run.submits), str(run.finished_in_flood),
        f"{run.share_finished:.0%}", fmt_ms(percentile(run.latencies, 0.5)),
        fmt_ms(percentile(run.latencies, 0.99)), str(run.refused),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="runs per code, alternating")
    parser.add_argument("--seconds", type=float, default=30.0, help="flood length")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--ids", type=int, default=100, help="task ids per fetch")
    args = parser.parse_args(argv)
    codes = [("after", REPO / "src")]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    say(f"songgate serve, wrk {args.connections} connections of POST /suno/fetch "
        f"({args.ids} ids) for {args.seconds:g} s, one LYRICS submit every "
        f"{SUBMIT_EVERY * 1000:.0f} ms; {args.rounds} round(s) per code, alternating")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="songgate-busy-") as scratch:
        for round_ in range(args.rounds):
            # every other round in reverse, so that neither code always runs first
            for code, src in codes if round_ % 2 == 0 else codes[::-1]:
                run = one_run(code, src, args, Path(scratch))
                runs.append(run)
                say(f"  round {round_ + 1} {code}: " + ", ".join(row(run)[1:]))
    headers = ["code", "fetch req/s", "submits", "done in flood", "share", "p50 s→OK",
               "p99 s→OK", "refused"]
    say(render_table(headers, [row(run) for run in runs]))
    if len(codes) == 2:
        say(summary(runs))
    return 0


def summary(runs: list[Run]) -> str:
    def pooled(code: str) -> tuple[int, int, list[float], float]:
        mine = [run for run in runs if run.code == code]
        latencies = [value for run in mine for value in run.latencies]
        rps = sum(run.flood.rps for run in mine) / len(mine)
        return (sum(run.submits for run in mine), sum(run.finished_in_flood for run in mine),
                latencies, rps)

    base, after = pooled("baseline"), pooled("after")
    lines = ["pooled            baseline      after   after/baseline"]
    for label, b, a in (
        ("submits", float(base[0]), float(after[0])),
        ("done in flood", float(base[1]), float(after[1])),
        ("share done", ratio(base[1], base[0]), ratio(after[1], after[0])),
        ("p50 s→OK (s)", percentile(base[2], 0.5), percentile(after[2], 0.5)),
        ("p99 s→OK (s)", percentile(base[2], 0.99), percentile(after[2], 0.99)),
        ("fetch req/s", base[3], after[3]),
    ):
        lines.append(f"{label:<16}{b:>10.2f}{a:>11.2f}   {fmt_ratio(ratio(a, b)):>8}")
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchmarkError, subprocess.SubprocessError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
