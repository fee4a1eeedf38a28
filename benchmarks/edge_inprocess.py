"""The app's own cost per request, called in-process: no sockets, no load generator.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.edge_inprocess [--baseline-src DIR]

``create_app`` on a fresh SQLite database with the scripted provider and one unfinished
task; ``GET /healthz`` and ``GET /suno/fetch/{id}`` are called straight through the ASGI
interface (the edge layer, the hot routes, the store) ``--batch`` times per sample, and
the best sample of ``--samples`` is kept: on a shared machine the best is the one least
disturbed. Each code (this checkout's, and ``--baseline-src``'s in a subprocess of its
own) is measured ``--rounds`` times, the codes in turns. What wrk's ratio against a bare
app cannot separate from the server's socket work and the neighbours' load, this shows.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import REPO, ratio, render_table, say

PATHS = ("healthz", "fetch 1 unfinished")


async def measure(samples: int, batch: int) -> dict[str, float]:
    """Best µs per request of each path, in this process's songgate."""
    from songgate.api.app import create_app
    from songgate.clock import SystemClock
    from songgate.config import Settings
    from songgate.wiring import Services, stores_of

    data_dir = Path(tempfile.mkdtemp(prefix="songgate-edge-"))
    settings = Settings(
        data_dir=data_dir, database_url=f"sqlite+aiosqlite:///{data_dir}/songgate.db",
        providers={"scripted": "tests.support.providers:scripted"},
        routes={"MUSIC": "scripted", "LYRICS": "scripted"},
    )
    services = Services.build(settings, SystemClock())
    await services.migrate()
    try:
        stores = stores_of(services)
        account = await stores.accounts.create_account("bench", now=time.time())
        _, secret = await stores.accounts.create_token(account, name="bench", now=time.time())
        app = create_app(services)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://songgate.bench",
                                     headers={"Authorization": f"Bearer {secret}"}) as client:
            reply = await client.post("/suno/submit/music", json={"prompt": "la", "tags": "pop"})
            task_id = reply.json()["data"]
        headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {secret}".encode()),
                   (b"content-type", b"application/json")]

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            return None

        def scope(path: str) -> dict[str, Any]:
            return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                    "method": "GET", "scheme": "http", "path": path,
                    "raw_path": path.encode(), "query_string": b"", "root_path": "",
                    "headers": headers, "client": ("127.0.0.1", 50000),
                    "server": ("127.0.0.1", 8000)}

        best = {}
        for name, path in zip(PATHS, ("/healthz", f"/suno/fetch/{task_id}"), strict=True):
            least = float("inf")
            for _ in range(samples):
                started = time.perf_counter()
                for _ in range(batch):
                    await app(scope(path), receive, send)
                least = min(least, (time.perf_counter() - started) / batch)
            best[name] = least * 1e6
        return best
    finally:
        await services.close()


def run_code(src: Path, args: argparse.Namespace) -> dict[str, float]:
    """One measurement in a fresh process on the songgate under ``src``."""
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{REPO}"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.edge_inprocess", "--child",
         "--samples", str(args.samples), "--batch", str(args.batch)],
        env=env, cwd=REPO, capture_output=True, text=True, check=True,
    )
    figures = dict(line.rsplit(" ", 1) for line in done.stdout.strip().splitlines())
    return {name: float(value) for name, value in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-src", type=Path, help="src/ of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per code")
    parser.add_argument("--samples", type=int, default=15, help="samples per measurement")
    parser.add_argument("--batch", type=int, default=5000, help="requests per sample")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        for name, value in asyncio.run(measure(args.samples, args.batch)).items():
            print(f"{name} {value:.2f}")
        return 0
    codes = [("after", REPO / "src")]
    if args.baseline_src is not None:
        codes.insert(0, ("baseline", args.baseline_src.resolve()))
    best: dict[str, dict[str, float]] = {code: {} for code, _ in codes}
    for _ in range(args.rounds):
        for code, src in codes:
            figures = run_code(src, args)
            say(f"  {code}: " + ", ".join(f"{k} {v:.1f} µs" for k, v in figures.items()))
            for name, value in figures.items():
                best[code][name] = min(best[code].get(name, float("inf")), value)
    rows = []
    for name in PATHS:
        row = [name] + [f"{best[code][name]:.1f}" for code, _ in codes]
        if len(codes) == 2:
            row.append(f"{ratio(best['after'][name], best['baseline'][name]):.2f}")
        rows.append(row)
    heads = ["request"] + [f"{code} µs" for code, _ in codes]
    say(render_table(heads + (["after/baseline"] if len(codes) == 2 else []), rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
