"""A poll answered by a real server shows every commit that finished before it was sent,
made by a worker in another process, while repeated polls are answered from memory."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx

from tests.support.admin_cli import songgate_cli
from tests.support.server import Process, free_port, start

ENV = {"SONGGATE_LEASE_SECONDS": "5", "SONGGATE_HEARTBEAT_SECONDS": "0.3",
       "SONGGATE_WORKER_CONCURRENCY": "2"}
ORDER = ["SUBMITTED", "QUEUED", "IN_PROGRESS", "SUCCESS"]


def committed(data_dir: Path, ids: list[str]) -> list[str]:
    """The tasks' statuses as committed now, read from the database file."""
    with sqlite3.connect(data_dir / "songgate.db") as db:
        found = dict(db.execute(
            f"SELECT id, status FROM tasks WHERE id IN ({','.join('?' * len(ids))})", ids))
    return [found[task_id] for task_id in ids]


def polled(client: httpx.Client, body: bytes) -> tuple[bytes, list[str]]:
    answer = client.post("/suno/fetch", content=body,
                         headers={"Content-Type": "application/json"})
    answer.raise_for_status()
    return answer.content, [task["status"] for task in answer.json()["data"]]


def test_polls_never_show_less_than_was_committed_before_them(tmp_path: Path) -> None:
    token = songgate_cli(tmp_path, ENV, "tokens", "create", "--account", "poller",
                         "--create-account").strip()
    api = start("api", tmp_path, port=free_port(), **ENV)
    worker: Process | None = None
    try:
        with httpx.Client(base_url=api.url, timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            ids = [client.post("/suno/submit/lyrics",
                               json={"prompt": f"song {i} script:sleep=0.3"}).json()["data"]
                   for i in range(4)]
            body = httpx.Request("POST", "/", json={"ids": ids}).content
            first, shown = polled(client, body)
            assert shown == ["SUBMITTED"] * 4
            assert polled(client, body)[0] == first  # the same bytes again
            worker = start("worker", tmp_path, **ENV)  # commits from another process
            seen: set[tuple[str, ...]] = set()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                before = committed(tmp_path, ids)
                _, shown = polled(client, body)
                for status, floor in zip(shown, before, strict=True):
                    assert ORDER.index(status) >= ORDER.index(floor), (shown, before)
                seen.add(tuple(shown))
                if shown == ["SUCCESS"] * 4:
                    break
            assert shown == ["SUCCESS"] * 4
            assert len(seen) > 2  # states in between were seen too
            one = client.get(f"/suno/fetch/{ids[0]}").json()["data"]
            assert one["status"] == "SUCCESS"
    finally:
        if worker is not None:
            worker.stop()
        api.stop()
