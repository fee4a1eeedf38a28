"""Load from ``wrk``, a C load generator that is not the bottleneck of a Python server.

``wrk`` is a Debian package (scripts/system-packages.sh installs it with the test
packages). A request is described by a small Lua script written to a scratch file;
the figures are read from ``wrk --latency``'s report.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import HOST, BenchmarkError

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


@dataclass(frozen=True, slots=True)
class WrkResult:
    rps: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50: float  # seconds
    p99: float


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchmarkError("wrk is not installed (apt-get install wrk)")
    return found


def write_script(
    path: Path, *, method: str, body: bytes = b"", headers: Mapping[str, str] | None = None
) -> Path:
    """A Lua script that sends one fixed request on every connection."""
    lines = [f"wrk.method = {json.dumps(method)}"]
    if body:
        lines.append(f"wrk.body = {json.dumps(body.decode())}")
    for name, value in (headers or {}).items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk_command(
    port: int, path: str, script: Path, *, connections: int, seconds: float, threads: int = 1
) -> list[str]:
    return [
        wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--latency", "-s", str(script), f"http://{HOST}:{port}{path}",
    ]


def parse(report: str) -> WrkResult:
    rps = _RPS.search(report)
    total = _TOTAL.search(report)
    if rps is None or total is None:
        raise BenchmarkError(f"wrk gave no figures:\n{report}")
    non_2xx = _NON_2XX.search(report)
    errors = _ERRORS.search(report)
    percentiles = {
        found.group(1): float(found.group(2)) * _UNIT[found.group(3)]
        for found in _PERCENTILE.finditer(report)
    }
    return WrkResult(
        rps=float(rps.group(1)), requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
        p50=percentiles.get("50", float("nan")), p99=percentiles.get("99", float("nan")),
    )


def run_wrk(
    port: int, path: str, script: Path, *, connections: int, seconds: float, threads: int = 1
) -> WrkResult:
    """Drive ``path`` for ``seconds`` and read wrk's report."""
    command = wrk_command(port, path, script, connections=connections, seconds=seconds,
                          threads=threads)
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          timeout=seconds + 60)
    if done.returncode != 0:
        raise BenchmarkError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    return parse(done.stdout)
