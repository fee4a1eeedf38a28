"""Test mode seen by a sunoapi.org client: plain HTTP against /api/v1, callbacks on loopback.

Every outcome a client can ask for (success, failure with a reason, a stall, a refused
submit, slow stages, a callback twice or late) is read back in the dialect's statuses,
codes and envelope, and its stage callbacks (text, first, complete or error) arrive at a
receiver the way sunoapi.org sends them.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from songgate.domain.test_mode import HEADER
from tests.support.hook_receiver import HookReceiver, Received
from tests.support.server import Process, free_port, songgate_env, start, wait_task

SERVER_TIMEOUT = 15  # the deadline of every task here (room for the first placeholders)
CUSTOM = {"customMode": True, "instrumental": True, "style": "lofi", "title": "Test Drive",
          "model": "V4_5"}
DESCRIBED = {"customMode": False, "instrumental": False, "prompt": "a birthday song for Anna"}


@dataclass
class TestServer:
    __test__ = False

    process: Process
    token: str  # of an account in test mode

    def call(self, method: str, path: str, body: Any = None, *, outcome: str | None = None,
             token: str | None = None, **params: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if outcome is not None:
            headers[HEADER] = outcome
        return httpx.request(method, self.process.url + path, json=body, headers=headers,
                             params=params or None, timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServer]:
    data_dir = tmp_path_factory.mktemp("sunoapi-test-mode")
    process = start("serve", data_dir, port=free_port(),
                    SONGGATE_WEBHOOK_ALLOW_PRIVATE="true", SONGGATE_WEBHOOK_POLL_SECONDS="0.05",
                    SONGGATE_TASK_TIMEOUT_SECONDS=str(SERVER_TIMEOUT),
                    SONGGATE_WORKER_CONCURRENCY="8")
    try:
        token = songgate(data_dir, "tokens", "create", "--account", "tester",
                         "--create-account").splitlines()[0].strip()
        songgate(data_dir, "accounts", "test-mode", "tester", "--on")
        yield TestServer(process, token)
    finally:
        process.stop()


def songgate(data_dir: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "songgate", *args], capture_output=True, text=True,
        env=songgate_env(data_dir), timeout=60, check=True,
    ).stdout


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["code"] == 200 and answer["msg"] == "success"
    return answer["data"]


def refused(response: httpx.Response, code: int) -> str:
    """The message of an error in the dialect's envelope, its code the HTTP status too."""
    assert response.status_code == code, response.text
    answer = response.json()
    assert set(answer) == {"code", "msg", "data"} and answer["code"] == code
    assert answer["data"] is None
    return str(answer["msg"])


def generate(server: TestServer, body: dict[str, Any], outcome: str | None = None) -> str:
    return str(ok(server.call("POST", "/api/v1/generate", body, outcome=outcome))["taskId"])


def record(server: TestServer, task_id: str, until: Callable[[str], bool],
           seen: list[str] | None = None) -> dict[str, Any]:
    """record-info polled until its status passes ``until``; every status read in ``seen``."""
    deadline = time.monotonic() + 60
    while True:
        data: dict[str, Any] = ok(server.call("GET", "/api/v1/generate/record-info",
                                              taskId=task_id))
        if seen is not None:
            seen.append(data["status"])
        if until(data["status"]) or time.monotonic() > deadline:
            return data
        time.sleep(0.05)


def ended(status: str) -> bool:
    return status == "SUCCESS" or status.endswith("_FAILED")


def callbacks(hooks: HookReceiver, until: Callable[[list[str]], bool]) -> list[Received]:
    """The callbacks received, in arrival order, once their ``callbackType`` list passes."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        got = list(hooks.received)
        if until(kinds(got)):
            return got
        time.sleep(0.05)
    raise AssertionError(f"the callbacks did not arrive: {kinds(list(hooks.received))}")


def told(*kind: str) -> Callable[[list[str]], bool]:
    """Passes once the last callbacks received are of these kinds."""
    return lambda got: got[-len(kind):] == list(kind)


def kinds(received: list[Received]) -> list[str]:
    return [orjson.loads(r.body)["data"]["callbackType"] for r in received]


def test_success_reads_success_and_calls_back_at_each_stage(server: TestServer) -> None:
    with HookReceiver() as hooks:
        task_id = generate(server, {**CUSTOM, "callBackUrl": hooks.url + "/ok"})
        data = record(server, task_id, ended)
        got = callbacks(hooks, told("complete"))
    assert data["status"] == "SUCCESS" and data["errorCode"] is None
    clips = data["response"]["sunoData"]
    assert len(clips) == 2 and all(c["title"] == "Test Drive" for c in clips)
    for clip in clips:
        assert httpx.get(clip["audioUrl"], timeout=10).headers["content-type"] == "audio/mpeg"
    assert kinds(got) == ["text", "first", "complete"]
    bodies = [orjson.loads(r.body) for r in got]
    assert [b["code"] for b in bodies] == [200, 200, 200]
    assert all(b["data"]["task_id"] == task_id for b in bodies)
    assert [c["id"] for c in bodies[-1]["data"]["data"]] == [c["id"] for c in clips]
    # one notification, one id: three stages, three ids
    assert len({r.headers["x-songgate-event-id"] for r in got}) == 3


def test_failure_with_a_reason_by_header_or_by_style_tag(server: TestServer) -> None:
    with HookReceiver() as hooks:
        by_header = generate(server, {**DESCRIBED, "callBackUrl": hooks.url + "/header"},
                             outcome="failure=lyrics rejected, sorry")
        by_tag = generate(server, {**CUSTOM, "style": "lofi, songgate-test:failure=no credit"})
        plain = generate(server, DESCRIBED, outcome="failure")
        done = [record(server, task_id, ended) for task_id in (by_header, by_tag, plain)]
        error = callbacks(hooks, told("error"))[-1]
    assert [d["status"] for d in done] == ["GENERATE_AUDIO_FAILED"] * 3
    assert [d["errorCode"] for d in done] == [501] * 3
    assert [d["errorMessage"] for d in done] == [
        "lyrics rejected, sorry", "no credit", "test mode: the failure this task asked for"]
    body = orjson.loads(error.body)
    assert body["code"] == 501 and body["msg"] == "lyrics rejected, sorry"
    assert body["data"]["callbackType"] == "error" and body["data"]["task_id"] == by_header


def test_a_stall_fails_at_its_deadline(server: TestServer) -> None:
    seen: list[str] = []
    task_id = generate(server, DESCRIBED, outcome="stall=1")
    data = record(server, task_id, ended, seen)
    assert data["status"] == "GENERATE_AUDIO_FAILED" and data["errorCode"] == 501
    assert "timed out: not finished within 1 s" in data["errorMessage"]
    assert set(seen[:-1]) <= {"PENDING", "TEXT_SUCCESS"}


def test_slow_stages_read_text_then_first_then_success(server: TestServer) -> None:
    seen: list[str] = []
    with HookReceiver() as hooks:
        task_id = generate(server, {**CUSTOM, "callBackUrl": hooks.url + "/slow"},
                           outcome="slow=0.5")
        data = record(server, task_id, ended, seen)
        got = callbacks(hooks, told("complete"))
    assert data["status"] == "SUCCESS"
    order = [status for i, status in enumerate(seen) if i == 0 or seen[i - 1] != status]
    assert order[-3:] == ["TEXT_SUCCESS", "FIRST_SUCCESS", "SUCCESS"], seen
    assert kinds(got) == ["text", "first", "complete"]
    first = orjson.loads(got[1].body)["data"]["data"]
    assert [bool(c["audio_url"]) for c in first].count(True) >= 1


def test_a_refused_submit_answers_in_the_dialects_codes(server: TestServer) -> None:
    limited = server.call("POST", "/api/v1/generate", DESCRIBED, outcome="submit=429:7")
    assert "submit=429" in refused(limited, 430)
    assert limited.headers["retry-after"] == "7"
    unavailable = server.call("POST", "/api/v1/generate", DESCRIBED, outcome="submit=503")
    assert "submit=503" in refused(unavailable, 455)
    assert int(unavailable.headers["retry-after"]) >= 1
    for status in ("500", "502", "504"):
        failed = server.call("POST", "/api/v1/generate", DESCRIBED, outcome=f"submit={status}")
        assert f"submit={status}" in refused(failed, 500)
    lyrics = server.call("POST", "/api/v1/lyrics", {"prompt": "rain"}, outcome="submit=429")
    assert refused(lyrics, 430) and lyrics.headers["retry-after"] == "5"
    assert "explode" in refused(server.call("POST", "/api/v1/generate", DESCRIBED,
                                            outcome="explode"), 400)
    # an account not in test mode is told so, not given real songs
    assert "test mode is off" in refused(server.call(
        "POST", "/api/v1/generate", DESCRIBED, outcome="failure",
        token=server.process.token), 400)


def test_the_last_callback_twice_with_one_event_id(server: TestServer) -> None:
    with HookReceiver() as hooks:
        task_id = generate(server, {**CUSTOM, "callBackUrl": hooks.url + "/twice"},
                           outcome="hook-twice")
        assert record(server, task_id, ended)["status"] == "SUCCESS"
        # a task's callbacks go in order: once the second copy of the last is in, any
        # extra copy of an earlier stage would have come before it
        got = callbacks(hooks, told("complete", "complete"))
    assert kinds(got) == ["text", "first", "complete", "complete"]
    once, again = got[2:]
    assert once.body == again.body
    assert once.headers["x-songgate-event-id"] == again.headers["x-songgate-event-id"]
    assert once.headers["x-songgate-delivery"] != again.headers["x-songgate-delivery"]
    assert len({r.headers["x-songgate-event-id"] for r in got}) == 3


def test_the_last_callback_late(server: TestServer) -> None:
    with HookReceiver() as hooks:
        task_id = generate(server, {**DESCRIBED, "callBackUrl": hooks.url + "/late"},
                           outcome="failure=no;hook-late=1.5")
        assert record(server, task_id, ended)["status"] == "GENERATE_AUDIO_FAILED"
        got = callbacks(hooks, told("error"))
    finished = wait_task(server.process, task_id, token=server.token)["finish_time"]
    error = got[-1]
    assert kinds([error]) == ["error"] and orjson.loads(error.body)["msg"] == "no"
    assert error.at >= finished + 1.5  # whole seconds, rounded down
