"""What the crash tests share: clients submitting from threads through real HTTP, and
reading back everything that was acknowledged."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support.server import Process

# A body the scripted provider finishes at once; its prompt comes back in the clip's metadata.
MUSIC = {"tags": "pop", "mv": "chirp-v4"}


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll ``condition`` every 50 ms until it holds; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(0.05)


def wait_worker_ready(worker: Process, timeout: float = 60) -> None:
    """A worker process has migrated and runs its claim loop."""
    def ready() -> bool:
        assert worker.popen.poll() is None, worker.log_text()[-3000:]
        return "worker started" in worker.log_text()
    wait_until(ready, timeout=timeout, what="the worker did not start")


def backend_env(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings for SQLite in the data dir, or for a fresh PostgreSQL database."""
    if backend == "postgres":
        return {"SONGGATE_DATABASE_URL": request.getfixturevalue("postgres_database_url")}
    return {}


@dataclass
class Outcome:
    """One request: what it answered (a status, or the transport error) and when."""

    phase: str
    answer: str  # "200", "503", ... or an httpx error class name
    started: float
    seconds: float
    body: dict[str, Any] | None = None
    retry_after: str | None = None


@dataclass
class SubmitStream:
    """Clients that submit MUSIC tasks in a loop from threads, until stopped.

    Each acknowledged id is kept with the prompt it was submitted with; every request's
    outcome is kept with the ``phase`` the test had set when the request started.
    """

    url: str
    token: str
    clients: int = 8
    phase: str = "start"
    acknowledged: dict[str, str] = field(default_factory=dict)  # task id -> prompt
    outcomes: list[Outcome] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    @contextmanager
    def running(self) -> Iterator[SubmitStream]:
        threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                   for n in range(self.clients)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(timeout=60)

    def count(self) -> int:
        with self._lock:
            return len(self.acknowledged)

    def answers(self, phase: str) -> Counter[str]:
        with self._lock:
            return Counter(o.answer for o in self.outcomes if o.phase == phase)

    def _client(self, number: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=30) as http:
            sent = 0
            while not self._stop.is_set():
                sent += 1
                prompt = f"[Verse]\nclient {number} song {sent}"
                phase, started = self.phase, time.monotonic()
                try:
                    response = http.post("/suno/submit/music", json={**MUSIC, "prompt": prompt})
                except httpx.HTTPError as error:
                    self._record(Outcome(phase, type(error).__name__, started,
                                         time.monotonic() - started))
                    time.sleep(0.05)  # the API is down: try again shortly
                    continue
                outcome = Outcome(phase, str(response.status_code), started,
                                  time.monotonic() - started, response.json(),
                                  response.headers.get("retry-after"))
                self._record(outcome, prompt)

    def _record(self, outcome: Outcome, prompt: str = "") -> None:
        with self._lock:
            self.outcomes.append(outcome)
            if outcome.answer == "200" and outcome.body is not None:
                self.acknowledged[str(outcome.body["data"])] = prompt


def fetch_all(api: Process, token: str, ids: list[str]) -> list[dict[str, Any]]:
    """Every task of ``ids`` through ``POST /suno/fetch``, in order, 1000 at a time."""
    found: list[dict[str, Any]] = []
    with httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as http:
        for at in range(0, len(ids), 1000):
            response = http.post("/suno/fetch", json={"ids": ids[at:at + 1000]})
            assert response.status_code == 200, response.text
            found.extend(response.json()["data"])
    return found


def wait_all_succeeded(
    api: Process, token: str, ids: list[str], timeout: float = 90
) -> list[dict[str, Any]]:
    """Poll until every task of ``ids`` has ended; they must all have succeeded."""
    tasks: list[dict[str, Any]] = []

    def ended() -> bool:
        nonlocal tasks
        tasks = fetch_all(api, token, ids)
        return all(task["status"] in ("SUCCESS", "FAILURE") for task in tasks)

    wait_until(ended, timeout=timeout, what="the tasks did not finish")
    failed = {task["task_id"]: task["fail_reason"] for task in tasks
              if task["status"] != "SUCCESS"}
    assert not failed and len(tasks) == len(ids), failed
    return tasks
