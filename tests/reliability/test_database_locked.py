"""SQLite's write lock held by another connection while clients submit and fetch.

Shorter than the busy timeout, the lock only delays writes: every request ends 200 and a
worker keeps the task it was running, though the lock outlasts its lease. Longer, writes
give up with 503 and Retry-After in bounded time, never 500, reads go on, and everything
works again once the lock is gone.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.test_processes import WORKER_ENV, call, finishes, make_token
from tests.reliability.support import (
    MUSIC,
    SubmitStream,
    fetch_all,
    wait_all_succeeded,
    wait_until,
    wait_worker_ready,
)
from tests.support.server import Process, free_port, start


@contextmanager
def write_lock(database: Path) -> Iterator[None]:
    """Hold SQLite's write lock from a connection of our own until the block ends."""
    connection = sqlite3.connect(database, isolation_level=None, timeout=30)
    try:
        connection.execute("BEGIN EXCLUSIVE")
        yield
        connection.execute("COMMIT")
    finally:
        connection.close()


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any
    ended: float  # time.monotonic()


def timed(api: Process, token: str, method: str, path: str, body: Any) -> Answer:
    response = httpx.request(method, api.url + path, json=body, timeout=60,
                             headers={"Authorization": f"Bearer {token}"})
    return Answer(response.status_code, response.json().get("data"), time.monotonic())


def lyrics_text(api: Process, token: str, task_id: str) -> str:
    [task] = call(api, token, "/suno/fetch", {"ids": [task_id]})
    return str(task["data"]["text"])


def test_a_lock_within_the_busy_timeout_only_delays_writes(tmp_path: Path) -> None:
    lock_seconds = 3.0  # longer than the workers' lease (2 s); SQLite's busy timeout is 30 s
    token = make_token(tmp_path, **WORKER_ENV)
    api = start("api", tmp_path, port=free_port(), **WORKER_ENV)
    worker = start("worker", tmp_path, **WORKER_ENV)
    try:
        wait_worker_ready(worker)
        running = call(api, token, "/suno/submit/lyrics", {"prompt": "script:sleep=3"})
        wait_until(lambda: call(api, token, "/suno/fetch", {"ids": [running]})[0]["status"]
                   == "IN_PROGRESS", timeout=30, what="the first task did not start")
        with ThreadPoolExecutor(8) as pool:
            with write_lock(tmp_path / "songgate.db"):
                submits = [pool.submit(timed, api, token, "POST", "/suno/submit/music",
                                       {**MUSIC, "prompt": f"locked {n}"}) for n in range(4)]
                fetches = [pool.submit(timed, api, token, "POST", "/suno/fetch",
                                       {"ids": [running]}) for _ in range(4)]
                time.sleep(lock_seconds)
                released = time.monotonic()
            written = [future.result() for future in submits]
            read = [future.result() for future in fetches]
        assert [a.status for a in written + read] == [200] * 8
        assert all(a.ended >= released for a in written)  # writes waited for the lock ...
        assert all(a.ended < released for a in read)  # ... reads did not
        after = call(api, token, "/suno/submit/lyrics", {"prompt": "after the lock"})
        ids = [running, *(a.data for a in written), after]
        wait_all_succeeded(api, token, ids)
        # The worker kept its task through a lock longer than its lease: no second attempt.
        assert "on attempt 1" in lyrics_text(api, token, running)
        assert worker.popen.poll() is None
    finally:
        worker.stop()
        api.stop()
    assert "lease lost" not in worker.log_text()
    assert set(finishes(worker).values()) == {1} and set(ids) <= set(finishes(worker))


def test_a_lock_beyond_the_busy_timeout_gets_503_never_500(tmp_path: Path) -> None:
    env = {**WORKER_ENV, "SONGGATE_SQLITE_BUSY_TIMEOUT_SECONDS": "1"}
    lock_seconds = 7.0  # with 8 clients, long enough to queue writes for longer than 4 s
    token = make_token(tmp_path, **env)
    api = start("api", tmp_path, port=free_port(), **env)
    worker = start("worker", tmp_path, **env)
    try:
        wait_worker_ready(worker)
        before = call(api, token, "/suno/submit/lyrics", {"prompt": "before the lock"})
        wait_all_succeeded(api, token, [before])
        stream = SubmitStream(api.url, token, clients=8, phase="locked")
        with stream.running(), ThreadPoolExecutor(2) as pool:
            with write_lock(tmp_path / "songgate.db"):
                reads: list[Future[Answer]] = []
                started = time.monotonic()
                while time.monotonic() - started < lock_seconds:
                    reads.append(pool.submit(timed, api, token, "POST", "/suno/fetch",
                                             {"ids": [before]}))
                    reads.append(pool.submit(timed, api, token, "GET", "/healthz", None))
                    time.sleep(0.25)
            stream.phase = "released"
            released = stream.count()
            wait_until(lambda: stream.count() >= released + 20, timeout=60,
                       what="submits after the lock")
        locked = [o for o in stream.outcomes if o.phase == "locked"]
        assert {o.answer for o in locked} <= {"200", "503"}, Counter(o.answer for o in locked)
        refused = [o for o in locked if o.answer == "503"]
        # An answer comes within two busy timeouts, however many writes are queued.
        assert max(o.seconds for o in locked) < 4.0, sorted(o.seconds for o in locked)[-5:]
        assert len(refused) >= 8  # the lock outlasted the busy timeout
        for outcome in refused:
            assert outcome.retry_after == "5"
            assert outcome.body is not None and outcome.body["code"] == "service_unavailable"
        assert {read.result().status for read in reads} == {200}
        assert stream.answers("released") == Counter({"200": stream.answers("released")["200"]})
        ids = list(stream.acknowledged)
        assert [task["task_id"] for task in fetch_all(api, token, ids)] == ids
        wait_all_succeeded(api, token, ids)  # the worker runs everything after the lock
        assert worker.popen.poll() is None
    finally:
        worker.stop()
        api.stop()
    assert set(finishes(worker).values()) == {1} and set(ids) <= set(finishes(worker))
