"""Webhooks through real processes: delivered, verifiable, and durable across a crash."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from songgate.domain.hooks import verify
from tests.support.hook_receiver import HookReceiver
from tests.support.server import Process, free_port, songgate_env, start, wait_task

ADMIN = "admin-token-for-webhook-tests"
ENV = {"SONGGATE_WEBHOOK_ALLOW_PRIVATE": "true", "SONGGATE_WEBHOOK_BACKOFF_SECONDS": "0.2",
       "SONGGATE_WEBHOOK_POLL_SECONDS": "0.1", "SONGGATE_WEBHOOK_TIMEOUT_SECONDS": "1",
       "SONGGATE_ADMIN_TOKEN": ADMIN}


def submit(server: Process, body: dict[str, object]) -> httpx.Response:
    return httpx.post(server.url + "/suno/submit/lyrics", json=body, timeout=10,
                      headers={"Authorization": f"Bearer {server.token}"})


def wait_for(condition: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def secret_of(data_dir: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "songgate", "accounts", "webhook-secret",
                           "default"], env=songgate_env(data_dir, **ENV), capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.strip()


def test_delivered_signed_and_logged(tmp_path: Path) -> None:
    server = start("serve", tmp_path, port=free_port(), **ENV)
    try:
        with HookReceiver() as receiver:
            answer = submit(server, {"prompt": "hello", "notify_hook": receiver.url})
            task_id = answer.json()["data"]
            assert wait_task(server, task_id, timeout=30)["status"] == "SUCCESS"
            wait_for(lambda: receiver.count() == 1)
        got = receiver.received[0]
        assert verify(secret_of(tmp_path), got.headers["x-songgate-timestamp"], got.body,
                      got.headers["x-songgate-signature"])
        log = httpx.get(f"{server.url}/admin/tasks/{task_id}/deliveries", timeout=10,
                        headers={"Authorization": f"Bearer {ADMIN}"}).json()["data"]
        assert [(e["event"], e["state"]) for e in log] == [("task.success", "delivered")]
    finally:
        server.stop()


def test_forbidden_hooks_are_refused_at_submit(tmp_path: Path) -> None:
    server = start("serve", tmp_path, port=free_port())  # private addresses not allowed
    try:
        for url in ("http://127.0.0.1:9/x", "http://169.254.169.254/latest", "ftp://x.example/",
                    "http://localhost/", "not a url"):
            answer = submit(server, {"prompt": "x", "notify_hook": url})
            assert answer.status_code == 400, url
            assert answer.json()["code"] in ("invalid_notify_hook", "invalid_request"), url
        assert submit(server, {"prompt": "x", "notify_hook": "https://hooks.example.com/a"}
                      ).status_code == 200
    finally:
        server.stop()


def test_a_notification_survives_a_crash_and_a_receiver_that_was_down(tmp_path: Path) -> None:
    port = free_port()
    first = start("serve", tmp_path, port=free_port(), **ENV)
    task_id = submit(first, {"prompt": "x", "notify_hook": f"http://127.0.0.1:{port}/h"}
                     ).json()["data"]
    assert wait_task(first, task_id, timeout=30)["status"] == "SUCCESS"
    time.sleep(1)  # a few failed attempts: nobody listens yet
    first.stop(signal.SIGKILL)
    with HookReceiver(port) as receiver:
        second = start("serve", tmp_path, port=free_port(), **ENV)
        try:
            wait_for(lambda: receiver.count() == 1, timeout=30)
        finally:
            second.stop()
    assert b'"status":"SUCCESS"' in receiver.received[0].body
