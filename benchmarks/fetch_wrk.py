"""Polling unfinished tasks under ``wrk``, as a share of a bare app sending the same bytes.

    .venv/bin/python -m benchmarks.fetch_wrk [--baseline-src DIR] [--rounds 2] [--seconds 5]

For each code (this checkout's, and ``--baseline-src``'s when given): ``songgate api``
on a fresh SQLite database with the scripted provider and no worker, so the ``--ids``
tasks submitted through the API stay unfinished (the finished-task cache never
answers). Its answers to ``POST /suno/fetch`` of all ids, ``GET /suno/fetch/{id}`` and
``GET /healthz`` are saved, and a bare uvicorn ASGI app (``benchmarks._bare``) serves
those very bytes from memory. ``wrk`` drives each endpoint on songgate and on the bare
app in turns, ``--rounds`` times, the codes taking turns round by round (a shared machine
drifts); the table shows requests/s, p50, and songgate's share of the bare app's rate,
and the server's CPU time per request beside the bare app's (neighbours on the machine
disturb it less than the rate).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

from benchmarks._common import (
    REPO,
    BenchmarkError,
    ServerProcess,
    free_port,
    process_cpu_seconds,
    ratio,
    render_table,
    say,
    songgate_env,
    start_server,
)
from benchmarks._wrk import WrkResult, run_wrk, write_script
from benchmarks.submit import create_token

BARE_BODIES_ENV = "SONGGATE_BENCH_BODIES"


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Pair:
    code: str
    endpoint: str
    songgate: WrkResult
    bare: WrkResult
    songgate_cpu: float  # server CPU seconds per request
    bare_cpu: float

    @property
    def share(self) -> float:
        return ratio(self.songgate.rps, self.bare.rps)


def endpoints(client: httpx.Client, n: int) -> list[Endpoint]:
    ids = []
    for i in range(n):
        reply = client.post("/suno/submit/music", json={"prompt": f"la {i}", "tags": "pop"})
        reply.raise_for_status()
        ids.append(reply.json()["data"])
    return [
        Endpoint(f"fetch {n} unfinished", "POST", "/suno/fetch", orjson.dumps({"ids": ids})),
        Endpoint("fetch 1 unfinished", "GET", f"/suno/fetch/{ids[-1]}", b""),
        Endpoint("healthz", "GET", "/healthz", b""),
    ]


def answer(client: httpx.Client, endpoint: Endpoint) -> bytes:
    reply = client.request(endpoint.method, endpoint.path, content=endpoint.body or None,
                           headers={"Content-Type": "application/json"})
    if reply.status_code != 200:
        raise BenchmarkError(f"{endpoint.name} answered {reply.status_code}: {reply.text}")
    return reply.content


@dataclass
class Setup:
    """One code's songgate server and the bare app serving its answers."""

    code: str
    server: ServerProcess
    bare: ServerProcess | None
    endpoints: list[Endpoint]
    scripts: list[Path]

    def stop(self) -> None:
        self.server.stop()
        if self.bare is not None:
            self.bare.stop()


def prepare(code: str, src: Path, args: argparse.Namespace, scratch: Path) -> Setup:
    data_dir = Path(tempfile.mkdtemp(prefix=f"{code}-", dir=scratch))
    env = songgate_env(data_dir, PYTHONPATH=f"{src}:{REPO}")
    token = create_token(env)
    headers = {"Authorization": f"Bearer {token}"}
    port, bare_port = free_port(), free_port()
    server = start_server(["-m", "songgate", "api", "--port", str(port)], env,
                          data_dir / "api.log", port)
    setup = Setup(code, server, None, [], [])
    try:
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as client:
            setup.endpoints = endpoints(client, args.ids)
            bodies = {}
            for k, endpoint in enumerate(setup.endpoints):
                file = data_dir / f"body-{k}.json"
                file.write_bytes(answer(client, endpoint))
                bodies[endpoint.path] = str(file)
        spec = data_dir / "bodies.json"
        spec.write_bytes(orjson.dumps(bodies))
        setup.bare = start_server(["-m", "benchmarks._bare", str(bare_port)],
                                  {**env, BARE_BODIES_ENV: str(spec)}, data_dir / "bare.log",
                                  bare_port)
        setup.scripts = [
            write_script(data_dir / f"{endpoint.name.replace(' ', '-')}.lua",
                         method=endpoint.method, body=endpoint.body,
                         headers={**headers, "Content-Type": "application/json"})
            for endpoint in setup.endpoints
        ]
    except BaseException:
        setup.stop()
        raise
    return setup


def drive(server: ServerProcess, path: str, script: Path,
          args: argparse.Namespace) -> tuple[WrkResult, float]:
    """wrk's figures, and the server's CPU seconds per request meanwhile."""
    before = process_cpu_seconds(server.popen.pid) or 0.0
    result = run_wrk(server.port, path, script, connections=args.connections,
                     seconds=args.seconds)
    used = (process_cpu_seconds(server.popen.pid) or 0.0) - before
    return result, used / max(1, result.requests)


def measure(setups: list[Setup], args: argparse.Namespace) -> list[Pair]:
    """Every endpoint, round after round, each code in turn (songgate, then its bare app)."""
    pairs = []
    for k in range(len(setups[0].endpoints)):
        for _ in range(args.rounds):
            for setup in setups:
                endpoint, script = setup.endpoints[k], setup.scripts[k]
                assert setup.bare is not None
                mine, mine_cpu = drive(setup.server, endpoint.path, script, args)
                ceiling, bare_cpu = drive(setup.bare, endpoint.path, script, args)
                if mine.non_2xx or ceiling.non_2xx:
                    raise BenchmarkError(f"{endpoint.name}: answers other than 200")
                pairs.append(Pair(setup.code, endpoint.name, mine, ceiling, mine_cpu, bare_cpu))
                say(f"  {setup.code} {endpoint.name}: {mine.rps:,.0f}/s, "
                    f"bare {ceiling.rps:,.0f}/s, share {pairs[-1].share:.2f}; CPU/request "
                    f"{mine_cpu * 1e6:.0f} µs, bare {bare_cpu * 1e6:.0f} µs")
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2, help="wrk runs per endpoint and code")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--ids", type=int, default=100, help="unfinished tasks per fetch")
    args = parser.parse_args(argv)
    codes = [("after", REPO / "src")]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    say(f"songgate api (SQLite, no worker) vs a bare uvicorn app sending the same bytes; "
        f"wrk {args.connections} connections, {args.seconds:g} s per run, turn about")
    with tempfile.TemporaryDirectory(prefix="songgate-fetch-") as scratch:
        setups: list[Setup] = []
        try:
            for code, src in codes:
                setups.append(prepare(code, src, args, Path(scratch)))
            pairs = measure(setups, args)
        finally:
            for setup in setups:
                setup.stop()
    rows = []
    for code, _ in codes:
        for name in dict.fromkeys(p.endpoint for p in pairs):
            mine = [p for p in pairs if p.code == code and p.endpoint == name]
            rps = sum(p.songgate.rps for p in mine) / len(mine)
            bare = sum(p.bare.rps for p in mine) / len(mine)
            p50 = sorted(p.songgate.p50 for p in mine)[len(mine) // 2]
            cpu = sum(p.songgate_cpu for p in mine) / len(mine)
            bare_cpu = sum(p.bare_cpu for p in mine) / len(mine)
            rows.append([code, name, f"{rps:,.0f}", f"{p50 * 1000:.1f}", f"{bare:,.0f}",
                         f"{ratio(rps, bare):.2f}", f"{cpu * 1e6:.0f}",
                         f"{bare_cpu * 1e6:.0f}", f"{ratio(bare_cpu, cpu):.2f}"])
    say(render_table(["code", "endpoint", "req/s", "p50 ms", "bare req/s", "share of bare",
                      "CPU µs/req", "bare CPU µs/req", "bare/songgate CPU"], rows))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
