"""A cluster on one machine: 2 API and 3 worker processes on PostgreSQL, 5,000 tasks through
HTTP, one API killed with SIGKILL halfway; every acknowledged task finished exactly once."""

from __future__ import annotations

import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.test_processes import WORKER_ENV, finishes, make_token
from tests.support.server import Process, free_port, start

TASKS = 5_000


def submit_many(api: Process, token: str, count: int, tag: str) -> list[str]:
    """Submit from 16 threads; the ids the API acknowledged (a killed API acknowledges none)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"

    def one(index: int) -> str | None:
        try:
            response = session.post(f"{api.url}/suno/submit/lyrics",
                                    json={"prompt": f"{tag}-{index}"}, timeout=30)
        except requests.RequestException:
            return None
        return str(response.json()["data"]) if response.status_code == 200 else None

    with ThreadPoolExecutor(16) as pool:
        return [task_id for task_id in pool.map(one, range(count)) if task_id]


def statuses(api: Process, token: str, ids: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for start_at in range(0, len(ids), 1000):
        response = requests.post(f"{api.url}/suno/fetch", json={"ids": ids[start_at:][:1000]},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=30)
        counts.update(task["status"] for task in response.json()["data"])
    return counts


@pytest.mark.postgres
def test_two_apis_three_workers_five_thousand_tasks(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database_url = request.getfixturevalue("postgres_database_url")
    env: dict[str, Any] = {**WORKER_ENV, "SONGGATE_WORKER_CONCURRENCY": "8",
                           "SONGGATE_DATABASE_URL": database_url}
    token = make_token(tmp_path, **env)
    apis = [start("api", tmp_path, port=free_port(), **env) for _ in range(2)]
    workers = [start("worker", tmp_path, **env) for _ in range(3)]
    try:
        with ThreadPoolExecutor(2) as pool:
            doomed = pool.submit(submit_many, apis[0], token, TASKS // 2, "a")
            time.sleep(2)
            apis[0].stop(signal.SIGKILL)  # mid-stream: in-flight submits get no answer
            acknowledged = doomed.result()
        acknowledged += submit_many(apis[1], token, TASKS - len(acknowledged), "b")
        assert len(acknowledged) >= TASKS * 0.8
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            counts = statuses(apis[1], token, acknowledged)
            if counts["SUCCESS"] == len(acknowledged):
                break
            time.sleep(1)
    finally:
        for process in [*workers, apis[1]]:
            process.stop()
    assert counts == Counter({"SUCCESS": len(acknowledged)}), counts
    finished = finishes(*workers)
    assert set(acknowledged) <= set(finished)
    assert all(times == 1 for times in finished.values())
    assert sum(1 for worker in workers if finishes(worker)) == 3  # the work was shared
