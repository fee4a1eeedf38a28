"""Durable submits per second on SQLite through the real HTTP API.

    .venv/bin/python -m benchmarks.submit [--quick]

Starts ``songgate api`` on a fresh SQLite database (``synchronous=FULL`` by
default), loads ``POST /suno/submit/music`` from concurrent clients, and
compares with the same server's ``GET /healthz`` at the same concurrency,
alternating the two to cancel drift.  Then it kills the server with SIGKILL,
starts a new one on the same database, and fetches every acknowledged task
id back through ``POST /suno/fetch``: exits 1 if any acknowledged submit was
lost, else 0.

Then charging: two more ``songgate api`` servers on fresh databases, one with
prices (``SONGGATE_PRICES=MUSIC=1``, the account topped up well beyond the
run) and one without, loaded in turns; prints submits/s with charging on as a
ratio to charging off. Every charged submit must leave exactly one ledger
entry, and the balance must equal the ledger's sum.
"""

from __future__ import annotations

import argparse
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from benchmarks._common import (
    REPO,
    BenchmarkError,
    LoadPlan,
    Measurement,
    ServerProcess,
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
    start_server,
)

SUBMIT_BODY = {"prompt": "[Verse]\nla la", "tags": "pop"}
FETCH_CHUNK = 1000
ACCOUNT = "bench"


@dataclass
class Acknowledged:
    """Task ids the server acknowledged, collected from every response."""

    ids: list[str] = field(default_factory=list)

    def check(self, status: int, body: bytes) -> bool:
        if status != 200:
            return False
        try:
            reply = orjson.loads(body)
        except orjson.JSONDecodeError:
            return False
        if not isinstance(reply, dict) or reply.get("code") != "success":
            return False
        task_id = reply.get("data")
        if not isinstance(task_id, str):
            return False
        self.ids.append(task_id)
        return True


@dataclass(frozen=True, slots=True)
class Outcome:
    submit: Measurement
    healthz: Measurement
    acknowledged: list[str]
    found: int
    rows: int


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.submit",
        description=__doc__.split("\n\n")[0],
    )
    add_plan_arguments(parser)
    parser.add_argument(
        "--synchronous", choices=("OFF", "NORMAL", "FULL", "EXTRA"), default="FULL",
        help="SONGGATE_SQLITE_SYNCHRONOUS of the server (default: FULL, songgate's default)",
    )
    return parser.parse_args(argv)


def create_token(env: dict[str, str]) -> str:
    """``songgate tokens create``, which also migrates the empty database."""
    command = [sys.executable, "-m", "songgate", "tokens", "create", "--account", ACCOUNT,
               "--create-account"]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)
    secret = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not secret.startswith("sk-"):
        raise BenchmarkError(f"could not create a token:\n{done.stdout}\n{done.stderr}")
    return secret


def _api_args(port: int) -> list[str]:
    return ["-m", "songgate", "api", "--port", str(port)]


def _healthy(status: int, body: bytes) -> bool:
    return status == 200


async def alternate(
    port: int, token: str, plan: LoadPlan, server_pid: int
) -> tuple[Measurement, Measurement, list[str]]:
    """Submits and /healthz, alternating for ``plan.rounds`` rounds."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    submit = [encode_request("POST", "/suno/submit/music", port,
                             body=orjson.dumps(SUBMIT_BODY), headers=headers)]
    healthz = [encode_request("GET", "/healthz", port)]
    acknowledged = Acknowledged()
    submits: list[Measurement] = []
    checks: list[Measurement] = []
    for round_ in range(plan.rounds):
        submits.append(await measure(port, submit, plan, check=acknowledged.check,
                                     server_pid=server_pid, seed=round_))
        checks.append(await measure(port, healthz, plan, check=_healthy,
                                    server_pid=server_pid, seed=round_))
    return Measurement.merged(submits), Measurement.merged(checks), acknowledged.ids


def fetch_statuses(client: httpx.Client, task_ids: Sequence[str]) -> dict[str, str]:
    """Status by id of those of ``task_ids`` that ``POST /suno/fetch`` returns, 1000 at a time."""
    statuses: dict[str, str] = {}
    for first in range(0, len(task_ids), FETCH_CHUNK):
        chunk = list(task_ids[first : first + FETCH_CHUNK])
        reply = client.post("/suno/fetch", json={"ids": chunk})
        reply.raise_for_status()
        statuses.update((task["task_id"], task["status"]) for task in reply.json()["data"])
    return statuses


def count_found(url: str, token: str, task_ids: Sequence[str]) -> int:
    """How many of ``task_ids`` ``POST /suno/fetch`` returns."""
    with httpx.Client(base_url=url, timeout=60,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        return len(fetch_statuses(client, task_ids))


def count_rows(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM tasks").fetchone()
    connection.close()
    return int(rows)


def run(data_dir: Path, plan: LoadPlan, synchronous: str) -> Outcome:
    env = songgate_env(data_dir, SONGGATE_SQLITE_SYNCHRONOUS=synchronous)
    token = create_token(env)
    port = free_port()
    server: ServerProcess = start_server(_api_args(port), env, data_dir / "api.log", port)
    try:
        say(f"measuring submits and /healthz on {server.url} ...")
        submit, healthz, acknowledged = run_async(alternate(port, token, plan, server.popen.pid))
    finally:
        server.stop(signal.SIGKILL)  # a crash, not a clean shutdown
    say(f"killed the server; checking {len(acknowledged)} acknowledged ids on a new one ...")
    port = free_port()
    with serving(_api_args(port), env, data_dir / "api-after-kill.log", port) as server:
        found = count_found(server.url, token, acknowledged)
    rows = count_rows(data_dir / "songgate.db")
    return Outcome(submit, healthz, acknowledged, found, rows)


def topup(env: dict[str, str], amount: int) -> None:
    command = [sys.executable, "-m", "songgate", "accounts", "topup", ACCOUNT, str(amount)]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=60, check=False)
    if done.returncode != 0:
        raise BenchmarkError(f"could not top up:\n{done.stdout}\n{done.stderr}")


async def alternate_charging(
    servers: Sequence[tuple[int, str, int]], plan: LoadPlan
) -> list[tuple[Measurement, list[str]]]:
    """Submits on each (port, token, pid) in turns, ``plan.rounds`` rounds."""
    parts: list[list[Measurement]] = [[] for _ in servers]
    acknowledged = [Acknowledged() for _ in servers]
    for round_ in range(plan.rounds):
        for index, (port, token, pid) in enumerate(servers):
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            request = [encode_request("POST", "/suno/submit/music", port,
                                      body=orjson.dumps(SUBMIT_BODY), headers=headers)]
            parts[index].append(await measure(port, request, plan,
                                              check=acknowledged[index].check,
                                              server_pid=pid, seed=round_))
    return [(Measurement.merged(p), a.ids) for p, a in zip(parts, acknowledged, strict=True)]


def ledger_check(database: Path, acknowledged: int) -> tuple[int, int, int]:
    """(charge entries, balance, ledger sum) of the charged database."""
    with sqlite3.connect(database) as connection:
        (charges,) = connection.execute(
            "SELECT count(*) FROM ledger WHERE reason = 'charge'").fetchone()
        (balance,) = connection.execute("SELECT balance FROM balances").fetchone()
        (total,) = connection.execute("SELECT sum(amount) FROM ledger").fetchone()
    connection.close()
    return int(charges), int(balance), int(total)


def run_charging(base: Path, plan: LoadPlan, synchronous: str) -> bool:
    stack = []
    servers = []
    dirs = [base / "charging-on", base / "charging-off"]
    try:
        for data_dir, prices in zip(dirs, ("MUSIC=1", ""), strict=True):
            data_dir.mkdir()
            env = songgate_env(data_dir, SONGGATE_SQLITE_SYNCHRONOUS=synchronous,
                               SONGGATE_PRICES=prices)
            token = create_token(env)
            if prices:
                topup(env, 1_000_000_000)
            port = free_port()
            server = start_server(_api_args(port), env, data_dir / "api.log", port)
            stack.append(server)
            servers.append((port, token, server.popen.pid))
        say("measuring submits with charging on and off, in turns ...")
        (on, on_ids), (off, _) = run_async(alternate_charging(servers, plan))
    finally:
        for server in stack:
            server.stop()
    charges, balance, total = ledger_check(dirs[0] / "songgate.db", len(on_ids))
    headers = ["charging", "requests", "errors", "rps", "p50 ms", "p99 ms", "server CPU"]
    say("")
    say(render_table(headers, [
        [name, str(m.requests), str(m.failures), f"{m.rps:.0f}", fmt_ms(m.p50), fmt_ms(m.p99),
         fmt_load(m.server_load)] for name, m in (("on", on), ("off", off))
    ]))
    say(f"submits/s with charging on as a ratio to off: rps {fmt_ratio(ratio(on.rps, off.rps))}, "
        f"p50 {fmt_ratio(ratio(on.p50, off.p50))}, p99 {fmt_ratio(ratio(on.p99, off.p99))}")
    exact = charges == len(on_ids) and balance == total == 1_000_000_000 - len(on_ids)
    say(f"ledger: {charges} charges for {len(on_ids)} acknowledged submits; balance {balance}, "
        f"ledger sum {total}: " + ("PASS" if exact else "FAIL"))
    return exact


def report(outcome: Outcome, plan: LoadPlan, synchronous: str) -> bool:
    """Print the results; True when every acknowledged submit was found."""
    submit, healthz = outcome.submit, outcome.healthz
    headers = ["endpoint", "requests", "errors", "rps", "p50 ms", "p99 ms",
               "client CPU", "server CPU"]
    rows = [
        [name, str(m.requests), str(m.failures), f"{m.rps:.0f}", fmt_ms(m.p50), fmt_ms(m.p99),
         fmt_client_load(m), fmt_load(m.server_load)]
        for name, m in (("POST /suno/submit/music", submit), ("GET /healthz", healthz))
    ]
    acknowledged = len(outcome.acknowledged)
    unique = len(set(outcome.acknowledged))
    durable = outcome.found == acknowledged == unique
    say("")
    say(f"songgate api on SQLite, synchronous={synchronous}; {plan.describe()}")
    say(render_table(headers, rows))
    say("")
    say(f"submits/s: {submit.rps:.0f}; ratio to /healthz (submit/healthz): "
        f"rps {fmt_ratio(ratio(submit.rps, healthz.rps))}, "
        f"p50 {fmt_ratio(ratio(submit.p50, healthz.p50))}, "
        f"p99 {fmt_ratio(ratio(submit.p99, healthz.p99))}")
    say(f"acknowledged: {acknowledged} ({unique} distinct), found after SIGKILL and restart: "
        f"{outcome.found}/{acknowledged}, task rows in database: {outcome.rows}")
    say("durability: " + ("PASS" if durable else "FAIL: acknowledged submits are missing"))
    return durable


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = plan_from(args)
    with tempfile.TemporaryDirectory(prefix="songgate-bench-") as tmp:
        outcome = run(Path(tmp), plan, args.synchronous)
        durable = report(outcome, plan, args.synchronous)
        exact = run_charging(Path(tmp), plan, args.synchronous)
    return 0 if durable and exact else 1


if __name__ == "__main__":
    sys.exit(main())
