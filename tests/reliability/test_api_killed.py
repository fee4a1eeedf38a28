"""The API process SIGKILLed in the middle of a stream of submits, then restarted on the same
data: every submit that was answered 200 is there afterwards, once, and runs once."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_processes import WORKER_ENV, finishes, make_token
from tests.reliability.support import (
    SubmitStream,
    backend_env,
    fetch_all,
    wait_all_succeeded,
    wait_until,
    wait_worker_ready,
)
from tests.support.server import free_port, start

ACKS_PER_PHASE = 40  # acknowledged submits before the kill, and again after the restart


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_every_acknowledged_submit_survives_a_killed_api(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    env = {**WORKER_ENV, **backend_env(backend, request)}
    token = make_token(tmp_path, **env)
    port = free_port()
    api = start("api", tmp_path, port=port, **env)
    worker = start("worker", tmp_path, **env)
    try:
        wait_worker_ready(worker)
        stream = SubmitStream(api.url, token, clients=8, phase="before")
        with stream.running():
            wait_until(lambda: stream.count() >= ACKS_PER_PHASE, timeout=60,
                       what="submits before the kill")
            stream.phase = "down"
            assert api.stop(signal.SIGKILL) == -signal.SIGKILL
            at_kill = stream.count()
            wait_until(lambda: sum(stream.answers("down").values()) >= 8, timeout=30,
                       what="clients meeting the dead API")
            api = start("api", tmp_path, port=port, **env)  # same data, same address
            stream.phase = "after"
            wait_until(lambda: stream.count() >= at_kill + ACKS_PER_PHASE, timeout=60,
                       what="submits after the restart")
        acknowledged = dict(stream.acknowledged)
        ids = list(acknowledged)
        tasks = fetch_all(api, token, ids)
        assert [task["task_id"] for task in tasks] == ids  # every acknowledged submit is there
        for task in tasks:  # ... and is the submission it acknowledged
            assert {clip["metadata"]["prompt"] for clip in task["data"]} == {
                acknowledged[task["task_id"]]}
        wait_all_succeeded(api, token, ids)
        assert httpx.get(api.url + "/readyz", timeout=10).status_code == 200
    finally:
        worker.stop()
        api.stop()
    # Up, the API answered 200 and nothing else (a request cut by the kill gets no answer);
    # once restarted it answered every request 200.
    for phase in ("before", "down"):
        assert {a for a in stream.answers(phase) if a.isdigit()} <= {"200"}, stream.answers(phase)
    after = stream.answers("after")
    assert after == Counter({"200": after["200"]}), after
    finished = finishes(worker)
    assert set(ids) <= set(finished)
    assert set(finished.values()) == {1}  # nothing ran twice, acknowledged or not
