"""songgate processes started for real, on loopback, for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
SCRIPTED = "scripted=tests.support.providers:scripted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def songgate_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",  # this checkout's songgate
        "SONGGATE_DATA_DIR": str(data_dir),
        "SONGGATE_PROVIDERS": SCRIPTED,
        "SONGGATE_ROUTES": "MUSIC=scripted,LYRICS=scripted",
        "SONGGATE_POLL_INTERVAL_SECONDS": "0.05",
        "SONGGATE_PROGRESS_WRITE_INTERVAL_SECONDS": "0",
        "SONGGATE_TOKEN_CACHE_SECONDS": "0",
    }
    env.update(extra)
    return env


@dataclass
class Process:
    popen: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""
    token: str = ""
    lines: list[str] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signum)
        return self.popen.wait(timeout)


def start(
    command: str, data_dir: Path, *, port: int | None = None,
    preexec_fn: Callable[[], None] | None = None, **env: str,
) -> Process:
    """Start ``songgate <command>``; for API commands wait until /healthz answers.

    ``preexec_fn`` runs in the child before songgate starts (resource limits, say).
    """
    args = [sys.executable, "-m", "songgate", command]
    if port is not None:
        args += ["--port", str(port)]
    log_path = data_dir / f"{command}-{time.monotonic_ns()}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, env=songgate_env(data_dir, **env),
            cwd=REPO, preexec_fn=preexec_fn,
        )
    process = Process(popen, log_path)
    if port is not None:
        process.url = f"http://127.0.0.1:{port}"
        _wait_healthy(process)
        found = re.search(r"with token (sk-\S+)", process.log_text())
        process.token = found.group(1) if found else ""
    return process


@contextlib.contextmanager
def serving(data_dir: Path, **env: str) -> Iterator[Process]:
    """``songgate serve`` on a free loopback port with ``env``, stopped afterwards."""
    process = start("serve", data_dir, port=free_port(), **env)
    try:
        yield process
    finally:
        process.stop()


def _wait_healthy(process: Process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"songgate exited early:\n{process.log_text()}")
        try:
            if httpx.get(process.url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.stop(signal.SIGKILL)
    raise RuntimeError(f"songgate did not become healthy:\n{process.log_text()}")


TERMINAL = ("SUCCESS", "FAILURE")


def api_data(
    server: Process, method: str, path: str, body: Any = None, *,
    token: str | None = None, timeout: float = 30,
) -> Any:
    """The envelope's ``data`` of a request that must succeed; the first token by default."""
    response = httpx.request(method, server.url + path, json=body, timeout=timeout,
                             headers={"Authorization": f"Bearer {token or server.token}"})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def get_as(server: Process, path: str, token: str) -> httpx.Response:
    """``GET path`` with ``token``, whatever it answers."""
    return httpx.get(server.url + path, timeout=30, headers={"Authorization": f"Bearer {token}"})


def wait_task(
    server: Process, task_id: str, *, timeout: float = 240, token: str | None = None
) -> dict[str, Any]:
    """Poll one task until it succeeds or fails."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task: dict[str, Any] = api_data(server, "GET", f"/suno/fetch/{task_id}", token=token)
        if task["status"] in TERMINAL:
            return task
        time.sleep(0.05)
    raise AssertionError(f"task {task_id} did not finish within {timeout:g} s")
