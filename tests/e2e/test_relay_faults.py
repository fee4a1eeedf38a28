"""A songgate process relaying to two misbehaving upstreams, through real HTTP.

Faults are switched on and off while clients submit and poll: 500s, 429 with
Retry-After, hangs past the timeout, malformed JSON, wrong content types, enormous
bodies, duplicated and missing ids, ids that never finish. Afterwards: no client saw a
500, every task ended (none stuck past its deadline), and no upstream task was sent
twice for one client task except where songgate logged that it might have been.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.fake_upstream import FakeUpstream
from tests.support.server import Process, free_port, start

TASK_TIMEOUT = 25.0
FAULTS = [("status_500", 3), ("rate_limit", 2), ("hang_seconds", 2.0), ("malformed_json", True),
          ("wrong_content_type", True), ("huge_body_bytes", 9_000_000), ("duplicate_ids", True)]


@pytest.fixture
def upstreams() -> Iterator[tuple[FakeUpstream, FakeUpstream]]:
    with FakeUpstream("suno-task", steps=3).start() as first, \
            FakeUpstream("sunoapi-v1", steps=3, key="second-key").start() as second:
        yield first, second


def channels_file(path: Path, first: FakeUpstream, second: FakeUpstream) -> Path:
    path.write_text(
        f'[[channel]]\nname = "first"\nprotocol = "suno-task"\nbase_url = "{first.url}"\n'
        f'key = "{first.key}"\npriority = 5\nmedia = "link"\n\n'
        f'[[channel]]\nname = "second"\nprotocol = "sunoapi-v1"\nbase_url = "{second.url}"\n'
        f'key = "{second.key}"\nmedia = "copy"\ntrusted = true\n'
    )
    return path


def one_channel(path: Path, up: FakeUpstream) -> Path:
    path.write_text(f'[[channel]]\nname = "only"\nprotocol = "suno-task"\n'
                    f'base_url = "{up.url}"\nkey = "{up.key}"\nmedia = "link"\n')
    return path


def test_faults_lose_nothing_and_never_show_a_500(
    upstreams: tuple[FakeUpstream, FakeUpstream], tmp_path: Path
) -> None:
    first, second = upstreams
    server: Process = start(
        "serve", tmp_path, port=free_port(),
        SONGGATE_ROUTES="MUSIC=channels,LYRICS=channels",
        SONGGATE_CHANNELS_FILE=str(channels_file(tmp_path / "channels.toml", first, second)),
        SONGGATE_RELAY_POLL_INTERVAL_SECONDS="0.3", SONGGATE_RELAY_TIMEOUT_SECONDS="1",
        SONGGATE_RELAY_BREAKER_FAILURES="2", SONGGATE_RELAY_BREAKER_COOLDOWN_SECONDS="2",
        SONGGATE_RELAY_BACKOFF_MAX_SECONDS="2", SONGGATE_RELAY_MAX_RESPONSE_BYTES="1000000",
        SONGGATE_TASK_TIMEOUT_SECONDS=str(TASK_TIMEOUT), SONGGATE_REAPER_INTERVAL_SECONDS="1",
        SONGGATE_RETRY_DELAY_SECONDS="0.5", SONGGATE_MAX_ATTEMPTS="20",
        SONGGATE_LOG_LEVEL="INFO",
    )
    statuses: list[int] = []
    headers = {"Authorization": f"Bearer {server.token}"}
    rng = random.Random(5)
    try:
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            ids = []
            for n in range(40):
                if n % 5 == 0:  # change the weather on both upstreams
                    for up in (first, second):
                        up.switches.merge({"status_500": 0, "rate_limit": 0, "hang_seconds": 0.0,
                                           "malformed_json": False, "wrong_content_type": False,
                                           "huge_body_bytes": 0, "duplicate_ids": False})
                        name, value = rng.choice(FAULTS)
                        up.switches.merge({name: value})
                if n == 34:  # the last tasks wait upstream until told otherwise (below)
                    marks = [len(up.task_ids()) for up in (first, second)]
                    for up in (first, second):
                        up.switches.never_finish_all = True
                action = "lyrics" if n % 4 == 0 else "music"
                body = {"prompt": f"song {n}"} if action == "lyrics" else {
                    "prompt": f"[Verse]\nsong {n}", "tags": "pop", "mv": "chirp-v4"}
                answer = http.post(f"/suno/submit/{action}", json=body)
                statuses.append(answer.status_code)
                assert answer.status_code == 200, answer.text
                ids.append(answer.json()["data"])
                fetched = http.post("/suno/fetch", json={"ids": ids})
                statuses.append(fetched.status_code)
            # of the tasks held back, one vanishes upstream and one never finishes
            time.sleep(3)
            for up, mark in zip((first, second), marks, strict=True):
                held = up.task_ids()[mark:]
                if len(held) >= 2:  # the second channel only sees what the first refused
                    up.forget(held[0])
                    up.switches.never_finish = {held[1]}
                up.switches.never_finish_all = False
            deadline = time.monotonic() + TASK_TIMEOUT + 20
            tasks: list[dict[str, object]] = []
            while time.monotonic() < deadline:
                for up in (first, second):
                    up.switches.merge({"status_500": 0, "rate_limit": 0, "hang_seconds": 0.0,
                                       "malformed_json": False, "wrong_content_type": False,
                                       "huge_body_bytes": 0})
                answer = http.post("/suno/fetch", json={"ids": ids})
                statuses.append(answer.status_code)
                tasks = answer.json()["data"]
                if all(t["status"] in ("SUCCESS", "FAILURE") for t in tasks):
                    break
                time.sleep(0.5)
    finally:
        server.stop()
    log = server.log_text()
    assert set(statuses) == {200}
    assert len(tasks) == 40, "a task went missing"
    stuck = [t for t in tasks if t["status"] not in ("SUCCESS", "FAILURE")]
    assert not stuck, stuck
    for task in tasks:
        if task["status"] == "FAILURE":
            assert task["fail_reason"], task
        elif task["action"] == "MUSIC":
            assert all(clip["audio_url"] for clip in task["data"])  # type: ignore[attr-defined]
    reasons = [str(t["fail_reason"]) for t in tasks if t["status"] == "FAILURE"]
    assert sum("no longer reports this task" in r for r in reasons) >= 1, reasons
    assert sum(r.startswith("timed out") for r in reasons) >= 1, reasons
    assert len(reasons) <= 6, reasons
    # every upstream task belongs to one client task; extra upstream tasks only where logged
    with sqlite3.connect(tmp_path / "songgate.db") as db:
        recorded = db.execute("SELECT upstream_id FROM relay_jobs").fetchall()
    assert len({r[0] for r in recorded}) == len(recorded) == 40
    upstream_total = len(first.submissions) + len(second.submissions)
    flagged = log.count("upstream may have accepted the task")
    assert upstream_total - 40 <= flagged, (upstream_total, flagged)
    assert "Traceback" not in log


def test_a_crash_between_upstream_accept_and_commit_is_logged(tmp_path: Path) -> None:
    """The one way a client task becomes two upstream tasks, and it says so."""
    with FakeUpstream("suno-task", steps=1).start() as up:
        up.switches.merge({"hang_seconds": 60.0, "hang_submits_only": True})
        env = {
            "SONGGATE_ROUTES": "MUSIC=channels,LYRICS=channels",
            "SONGGATE_CHANNELS_FILE": str(one_channel(tmp_path / "c.toml", up)),
            "SONGGATE_RELAY_TIMEOUT_SECONDS": "120", "SONGGATE_LEASE_SECONDS": "2",
            "SONGGATE_HEARTBEAT_SECONDS": "0.5", "SONGGATE_REAPER_INTERVAL_SECONDS": "0.5",
            "SONGGATE_RELAY_POLL_INTERVAL_SECONDS": "0.3", "SONGGATE_RETRY_DELAY_SECONDS": "0",
        }
        port = free_port()
        first = start("serve", tmp_path, port=port, **env)
        headers = {"Authorization": f"Bearer {first.token}"}
        task_id = httpx.post(first.url + "/suno/submit/lyrics", json={"prompt": "crash"},
                             headers=headers, timeout=10).json()["data"]
        deadline = time.monotonic() + 20
        while not up.submissions and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(up.submissions) == 1  # the upstream accepted; songgate is still waiting
        first.stop(signal.SIGKILL)
        up.switches.merge({"hang_seconds": 0.0})
        second = start("serve", tmp_path, port=port, **env)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                task = httpx.get(f"{second.url}/suno/fetch/{task_id}", headers=headers,
                                 timeout=10).json()["data"]
                if task["status"] in ("SUCCESS", "FAILURE"):
                    break
                time.sleep(0.1)
        finally:
            second.stop()
    assert task["status"] == "SUCCESS", task
    assert len(up.submissions) == 2
    assert "upstream may hold this task twice" in second.log_text()
