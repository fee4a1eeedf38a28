"""Many real processes on one database: exclusive claims, SIGKILL recovery, SIGTERM draining."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.server import Process, api_data, free_port, songgate_env, start

WORKER_ENV = {
    "SONGGATE_LEASE_SECONDS": "2", "SONGGATE_HEARTBEAT_SECONDS": "0.3",
    "SONGGATE_REAPER_INTERVAL_SECONDS": "0.3", "SONGGATE_RETRY_DELAY_SECONDS": "0",
    "SONGGATE_WORKER_CONCURRENCY": "2", "SONGGATE_SHUTDOWN_GRACE_SECONDS": "0.5",
}


def make_token(data_dir: Path, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "songgate", "tokens", "create", "--account", "load",
         "--create-account"],
        capture_output=True, text=True, check=True, env=songgate_env(data_dir, **env),
        timeout=60,
    )
    return result.stdout.strip()


def call(api: Process, token: str, path: str, body: dict[str, Any]) -> Any:
    return api_data(api, "POST", path, body, token=token, timeout=10)


def wait_all_terminal(api: Process, token: str, ids: list[str], timeout: float = 90) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = call(api, token, "/suno/fetch", {"ids": ids})
        if all(task["status"] in ("SUCCESS", "FAILURE") for task in tasks):
            return list(tasks)
        time.sleep(0.2)
    raise AssertionError("tasks did not finish in time")


def finishes(*workers: Process) -> Counter[str]:
    """How many times any worker finished each task, from their structured logs."""
    count: Counter[str] = Counter()
    for worker in workers:
        for line in worker.log_text().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("msg") == "task left worker":
                    count[entry["task_id"]] += 1
    return count


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_workers_in_many_processes_share_the_queue(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    env = dict(WORKER_ENV)
    if backend == "postgres":
        env["SONGGATE_DATABASE_URL"] = request.getfixturevalue("postgres_database_url")
    token = make_token(tmp_path, **env)
    api = start("api", tmp_path, port=free_port(), **env)
    workers = [start("worker", tmp_path, **env) for _ in range(3)]
    try:
        ids = [call(api, token, "/suno/submit/lyrics", {"prompt": f"song {i} script:sleep=0.2"})
               for i in range(24)]
        tasks = wait_all_terminal(api, token, ids)
    finally:
        for process in [*workers, api]:
            assert process.stop() == 0
    assert {task["status"] for task in tasks} == {"SUCCESS"}
    count = finishes(*workers)
    assert count == Counter({task_id: 1 for task_id in ids})
    busy = [w for w in workers if finishes(w)]
    assert len(busy) >= 2, "the work was not shared"


def test_killed_worker_loses_nothing_and_finishes_nothing_twice(tmp_path: Path) -> None:
    token = make_token(tmp_path)
    api = start("api", tmp_path, port=free_port(), **WORKER_ENV)
    victim = start("worker", tmp_path, **WORKER_ENV)
    ids = [call(api, token, "/suno/submit/lyrics", {"prompt": f"s{i} script:sleep=1"})
           for i in range(6)]
    survivor = None
    try:
        for _ in range(100):  # wait until the victim holds tasks mid-run
            tasks = call(api, token, "/suno/fetch", {"ids": ids})
            if sum(t["status"] == "IN_PROGRESS" for t in tasks) >= 2:
                break
            time.sleep(0.05)
        victim.stop(signal.SIGKILL)
        held = [t["task_id"] for t in tasks if t["status"] in ("IN_PROGRESS", "QUEUED")]
        assert held
        survivor = start("worker", tmp_path, **WORKER_ENV)
        final = wait_all_terminal(api, token, ids)
    finally:
        for process in (survivor, api):
            if process is not None:
                process.stop()
    assert {task["status"] for task in final} == {"SUCCESS"}
    assert all(count == 1 for count in finishes(victim, survivor).values())  # type: ignore[arg-type]
    assert set(finishes(victim, survivor)) == set(ids)  # type: ignore[arg-type]
    # The provider's own record of the run that finished each held task: the second
    # attempt, in the survivor's process, not the killed one's.
    assert survivor is not None and survivor.popen.pid != victim.popen.pid
    rerun = {t["task_id"]: t["data"]["text"] for t in final if t["task_id"] in held}
    assert rerun and all(f"pid {survivor.popen.pid} on attempt 2" in text
                         for text in rerun.values()), rerun


def test_sigterm_drains_serve_and_returns_unfinished_tasks(tmp_path: Path) -> None:
    serve = start("serve", tmp_path, port=free_port(), **WORKER_ENV)
    token = serve.token
    hanging = call(serve, token, "/suno/submit/lyrics", {"prompt": "script:hang=1"})
    quick = call(serve, token, "/suno/submit/lyrics", {"prompt": "script:sleep=0.1"})
    for _ in range(100):
        [task] = call(serve, token, "/suno/fetch", {"ids": [hanging]})
        if task["status"] == "IN_PROGRESS":
            break
        time.sleep(0.05)
    assert serve.stop(signal.SIGTERM, timeout=20) == 0  # drained, not killed after the timeout
    assert "task released" in serve.log_text()
    again = start("api", tmp_path, port=free_port())  # an API alone: nothing runs tasks
    try:
        tasks = call(again, token, "/suno/fetch", {"ids": [hanging, quick]})
    finally:
        again.stop()
    by_id = {t["task_id"]: t for t in tasks}
    assert by_id[quick]["status"] == "SUCCESS"
    assert by_id[hanging]["status"] == "SUBMITTED" and by_id[hanging]["progress"] == "0%"


def test_a_worker_started_before_its_database_waits_for_it(tmp_path: Path) -> None:
    closed = f"postgresql+asyncpg://songgate@127.0.0.1:{free_port()}/songgate"
    worker = start("worker", tmp_path, SONGGATE_DATABASE_URL=closed,
                   SONGGATE_DB_CONNECT_TIMEOUT_SECONDS="0.5")
    deadline = time.monotonic() + 20
    while "waiting for the database" not in worker.log_text() and time.monotonic() < deadline:
        assert worker.popen.poll() is None, worker.log_text()
        time.sleep(0.1)
    assert "waiting for the database" in worker.log_text()
    assert worker.stop(signal.SIGTERM, timeout=20) == 0


def test_a_worker_alone_serves_its_own_metrics(tmp_path: Path) -> None:
    token = make_token(tmp_path)
    api = start("api", tmp_path, port=free_port())
    metrics_port = free_port()
    worker = subprocess.Popen(
        [sys.executable, "-m", "songgate", "worker", "--metrics-port", str(metrics_port)],
        env=songgate_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ids = [call(api, token, "/suno/submit/lyrics", {"prompt": f"m{i}"}) for i in range(3)]
        wait_all_terminal(api, token, ids)
        text = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        api.stop()
    assert 'songgate_tasks_finished_total{action="LYRICS",status="SUCCESS"} 3.0' in text
    assert "songgate_task_claim_latency_seconds_count 3.0" in text


@pytest.mark.parametrize("command", ["worker", "serve"])
def test_a_worker_runs_on_the_loop_the_api_serves_on(tmp_path: Path, command: str) -> None:
    """uvloop's where installed (songgate's dependencies install it), in a worker alone
    and on serve's worker thread alike."""
    process = start(command, tmp_path, port=free_port() if command == "serve" else None)
    try:
        deadline = time.monotonic() + 60
        while "worker started" not in process.log_text() and time.monotonic() < deadline:
            assert process.popen.poll() is None, process.log_text()
            time.sleep(0.1)
    finally:
        assert process.stop(signal.SIGTERM, timeout=30) == 0
    [started] = [json.loads(line) for line in process.log_text().splitlines()
                 if line.startswith("{") and json.loads(line).get("msg") == "worker started"]
    assert started["loop"] == "uvloop"
