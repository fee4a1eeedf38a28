"""Durable, charged submits per second under ``wrk``, against a baseline checkout.

    .venv/bin/python -m benchmarks.submit_wrk [--baseline-src DIR] [--rounds 2] [--seconds 10]
        [--database sqlite|postgres]

For each code (this checkout's, and ``--baseline-src``'s when given, runs alternating):
a fresh SQLite database (``synchronous=FULL``), or with ``--database postgres`` a fresh
database in a throw-away PostgreSQL cluster (fsync on, as shipped), prices set
(``MUSIC=1``, the account topped up well beyond the run), ``songgate api`` with the
scripted provider (no worker runs: only the submits write). ``wrk`` drives
``POST /suno/submit/music`` at ``--connections`` for ``--seconds``, then ``GET /healthz``
on the same server for as long (the same server's ceiling for a request that does no
work). Then the server is killed with SIGKILL, and the database must hold at least every
acknowledged submit, each with exactly one charge, the balance equal to the ledger's
sum: exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import orjson

from benchmarks._common import (
    REPO,
    BenchmarkError,
    fmt_ratio,
    free_port,
    ratio,
    render_table,
    say,
    songgate_env,
    start_server,
)
from benchmarks._postgres import PostgresCluster, postgres_cluster
from benchmarks._wrk import WrkResult, run_wrk, write_script
from benchmarks.submit import create_token, topup

BODY = {"prompt": "[Verse]\nla la", "tags": "pop"}
TOPUP = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Run:
    code: str
    submits: WrkResult
    healthz: WrkResult
    rows: int
    charges: int
    books_balance: bool

    @property
    def acknowledged(self) -> int:
        return self.submits.requests - self.submits.non_2xx

    @property
    def durable(self) -> bool:
        return self.rows >= self.acknowledged and self.charges == self.rows and self.books_balance


def books(database: Path) -> tuple[int, int, bool]:
    """(task rows, charge rows, balance == ledger sum) of a database."""
    with sqlite3.connect(database) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM tasks").fetchone()
        (charges,) = conn.execute("SELECT count(*) FROM ledger WHERE reason = 'charge'").fetchone()
        (balance,) = conn.execute("SELECT coalesce(sum(balance), 0) FROM balances").fetchone()
        (total,) = conn.execute("SELECT coalesce(sum(amount), 0) FROM ledger").fetchone()
    conn.close()
    return int(rows), int(charges), balance == total


async def postgres_books(dsn: str) -> tuple[int, int, bool]:
    """:func:`books` of a PostgreSQL database."""
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetchval("SELECT count(*) FROM tasks")
        charges = await conn.fetchval("SELECT count(*) FROM ledger WHERE reason = 'charge'")
        balance = await conn.fetchval("SELECT coalesce(sum(balance), 0) FROM balances")
        total = await conn.fetchval("SELECT coalesce(sum(amount), 0) FROM ledger")
    finally:
        await conn.close()
    return int(rows), int(charges), balance == total


@dataclass
class Databases:
    """Where each run's fresh database is: SQLite in its data dir, or a new PostgreSQL
    database of one throw-away cluster."""

    cluster: PostgresCluster | None
    made: int = 0

    def new(self, data_dir: Path) -> tuple[dict[str, str], str]:
        """(environment for songgate, asyncpg DSN or "" for SQLite)."""
        if self.cluster is None:
            return {"SONGGATE_SQLITE_SYNCHRONOUS": "FULL"}, ""
        self.made += 1
        name = f"submit{self.made}"
        url = asyncio.run(self.cluster.create_database(name))
        return {"SONGGATE_DATABASE_URL": url}, self.cluster.dsn(name)


@contextlib.contextmanager
def databases(kind: str) -> Iterator[Databases]:
    if kind == "sqlite":
        yield Databases(None)
        return
    with postgres_cluster(prefix="songgate-submit-pg-") as cluster:
        yield Databases(cluster)


def one_run(code: str, src: Path, args: argparse.Namespace, scratch: Path,
            dbs: Databases) -> Run:
    data_dir = Path(tempfile.mkdtemp(prefix=f"{code}-", dir=scratch))
    database_env, dsn = dbs.new(data_dir)
    env = songgate_env(data_dir, PYTHONPATH=f"{src}:{REPO}", SONGGATE_PRICES="MUSIC=1",
                       **database_env)
    token = create_token(env)
    topup(env, TOPUP)
    port = free_port()
    server = start_server(["-m", "songgate", "api", "--port", str(port)], env,
                          data_dir / "api.log", port)
    try:
        submit_script = write_script(
            data_dir / "submit.lua", method="POST", body=orjson.dumps(BODY),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        healthz_script = write_script(data_dir / "healthz.lua", method="GET")
        submits = run_wrk(port, "/suno/submit/music", submit_script,
                          connections=args.connections, seconds=args.seconds)
        healthz = run_wrk(port, "/healthz", healthz_script, connections=args.connections,
                          seconds=args.seconds)
    finally:
        server.stop(signal.SIGKILL)  # a crash: what was acknowledged must be on disk
    if dsn:
        rows, charges, balanced = asyncio.run(postgres_books(dsn))
    else:
        rows, charges, balanced = books(data_dir / "songgate.db")
    return Run(code, submits, healthz, rows, charges, balanced)


def row(run: Run) -> list[str]:
    return [
        run.code, f"{run.submits.rps:,.0f}", f"{run.submits.p50 * 1000:.1f}",
        f"{run.submits.p99 * 1000:.1f}", f"{run.healthz.rps:,.0f}",
        f"{ratio(run.submits.rps, run.healthz.rps):.2f}", f"{run.acknowledged:,}",
        f"{run.rows:,}", "yes" if run.durable else "NO",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="runs per code, alternating")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite",
                        help="SQLite (synchronous=FULL) or a throw-away PostgreSQL cluster")
    args = parser.parse_args(argv)
    codes = [("after", REPO / "src")]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    where = ("SQLite synchronous=FULL" if args.database == "sqlite"
             else "PostgreSQL (throw-away cluster, fsync on)")
    say(f"songgate api, {where}, prices set; wrk {args.connections} "
        f"connections, {args.seconds:g} s per run; {args.rounds} round(s) per code, alternating")
    runs: list[Run] = []
    with (tempfile.TemporaryDirectory(prefix="songgate-submit-") as scratch,
          databases(args.database) as dbs):
        for round_ in range(args.rounds):
            for code, src in codes:
                run = one_run(code, src, args, Path(scratch), dbs)
                runs.append(run)
                say(f"  round {round_ + 1} {code}: " + ", ".join(row(run)[1:]))
    headers = ["code", "submits/s", "p50 ms", "p99 ms", "healthz/s", "of healthz",
               "acknowledged", "rows after kill", "durable"]
    say(render_table(headers, [row(run) for run in runs]))
    if len(codes) == 2:
        mean = {code: sum(r.submits.rps for r in runs if r.code == code)
                / sum(1 for r in runs if r.code == code) for code, _ in codes}
        say(f"submits/s: baseline {mean['baseline']:,.0f}, after {mean['after']:,.0f}, "
            f"after/baseline {fmt_ratio(ratio(mean['after'], mean['baseline']))}")
    return 0 if all(run.durable for run in runs) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
