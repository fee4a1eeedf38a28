"""Test mode through real HTTP: every outcome a client can ask for, seen by songgate.client."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from songgate.client import ApiError, SongClient, TaskDto
from songgate.client.errors import RateLimited, ServerError
from tests.support.hook_receiver import HookReceiver
from tests.support.server import Process, free_port, songgate_env, start

DESCRIBED = {"gpt_description_prompt": "a birthday song for Anna, upbeat pop",
             "mv": "chirp-v4"}
# the deadline of a plain `stall`, and of every task here: the first one makes the
# placeholder files (a cover, a video) on a machine that may be busy
SERVER_TIMEOUT = 15


@dataclass
class TestServer:
    __test__ = False

    process: Process
    token: str  # of an account in test mode

    def client(self) -> SongClient:
        return SongClient(self.process.url, self.token)


def songgate(data_dir: Path, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "songgate", *args], capture_output=True, text=True,
        env=songgate_env(data_dir), timeout=60, check=True,
    ).stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServer]:
    data_dir = tmp_path_factory.mktemp("test-mode")
    process = start("serve", data_dir, port=free_port(),
                    SONGGATE_WEBHOOK_ALLOW_PRIVATE="true", SONGGATE_WEBHOOK_POLL_SECONDS="0.05",
                    SONGGATE_TASK_TIMEOUT_SECONDS=str(SERVER_TIMEOUT),
                    SONGGATE_WORKER_CONCURRENCY="16")
    try:
        token = songgate(data_dir, "tokens", "create", "--account", "tester",
                         "--create-account").splitlines()[0].strip()
        assert songgate(data_dir, "accounts", "test-mode", "tester", "--on").strip() == \
            "tester: test mode on"
        yield TestServer(process, token)
    finally:
        process.stop()


def one(client: SongClient, task_id: str, **wait: float) -> TaskDto:
    return client.wait([task_id], timeout=60, interval=0.05, **wait)[0]


def test_success_is_the_default_with_real_placeholder_files(server: TestServer) -> None:
    with server.client() as client:
        task = one(client, client.submit_music(**DESCRIBED))
    assert task.status == "SUCCESS" and len(task.clips) == 2, task.fail_reason
    for clip in task.clips:
        assert clip.status == "complete" and clip.title == "A birthday song for anna, upbeat"
        assert "songgate test song" in clip.raw["metadata"]["prompt"]
        files = {url: httpx.get(url, timeout=10) for url in
                 (clip.audio_url, clip.video_url, clip.image_url, clip.image_large_url)}
        assert all(r.status_code == 200 and r.content for r in files.values())
        audio, video, image, large = files.values()
        assert audio.headers["content-type"] == "audio/mpeg"
        assert video.content[4:8] == b"ftyp"
        assert image.content[:2] == large.content[:2] == b"\xff\xd8"


def test_failure_with_a_reason_by_header_or_by_tag(server: TestServer) -> None:
    with server.client() as client:
        by_header = client.submit_music(**DESCRIBED, test_outcome="failure=lyrics rejected, sorry")
        by_tag = client.submit_music(prompt="[Verse]\nla", mv="chirp-v4",
                                     tags="pop, songgate-test:failure=quota exceeded")
        plain = client.submit_music(**DESCRIBED, test_outcome="failure")
        done = client.wait([by_header, by_tag, plain], timeout=60, interval=0.05)
    assert [t.status for t in done] == ["FAILURE"] * 3
    assert [t.fail_reason for t in done[:2]] == ["lyrics rejected, sorry", "quota exceeded"]
    assert done[2].fail_reason == "test mode: the failure this task asked for"


def test_a_stall_is_failed_at_the_deadline_by_the_stuck_task_rescue(server: TestServer) -> None:
    with server.client() as client:
        own = client.submit_music(**DESCRIBED, test_outcome="stall=1")
        servers = client.submit_music(**DESCRIBED, test_outcome="stall")
        done = client.wait([own, servers], timeout=60, interval=0.1)
    assert [t.status for t in done] == ["FAILURE", "FAILURE"]
    assert "timed out: not finished within 1 s" in done[0].fail_reason
    assert f"timed out: not finished within {SERVER_TIMEOUT} s" in done[1].fail_reason


def test_slow_stages_show_the_first_clip_before_the_second(server: TestServer) -> None:
    seen: list[TaskDto] = []
    with server.client() as client:
        task_id = client.submit_music(**DESCRIBED, test_outcome="slow=0.4")
        task = one(client, task_id, on_progress=lambda tasks: seen.extend(tasks))
    assert task.status == "SUCCESS"
    states = [(t.status, tuple(c.status for c in t.clips)) for t in seen]
    assert ("IN_PROGRESS", ("complete", "streaming")) in states
    assert states.index(("IN_PROGRESS", ("complete", "streaming"))) < len(states) - 1


def test_submit_answers_a_429_or_a_5xx_and_makes_no_task(server: TestServer) -> None:
    with server.client() as client:
        with pytest.raises(RateLimited) as limited:
            client.submit_music(**DESCRIBED, test_outcome="submit=429:7")
        with pytest.raises(ServerError) as failed:
            client.submit_music(**DESCRIBED, test_outcome="submit=503")
        with pytest.raises(ApiError) as refused:
            client.submit_music(**DESCRIBED, test_outcome="explode")
    assert (limited.value.status, limited.value.retry_after) == (429, 7)
    assert (failed.value.status, failed.value.code) == (503, "upstream_error")
    assert refused.value.status == 400 and "explode" in refused.value.message


def test_webhooks_twice_and_late(server: TestServer) -> None:
    with HookReceiver() as hooks, server.client() as client:
        twice = client.submit_music(**DESCRIBED, notify_hook=hooks.url + "/twice",
                                    test_outcome="hook-twice")
        late = client.submit_music(**DESCRIBED, notify_hook=hooks.url + "/late",
                                   test_outcome="failure=no;hook-late=1.5")
        done = client.wait([twice, late], timeout=60, interval=0.05)
        deadline = time.monotonic() + 30
        while hooks.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        received = list(hooks.received)
    assert sorted(r.path for r in received) == ["/late", "/twice", "/twice"]
    doubled = [r for r in received if r.path == "/twice"]
    assert doubled[0].body == doubled[1].body
    # one notification, one event id: a receiver keeps the ids it handled and drops a repeat
    assert doubled[0].headers["x-songgate-event-id"] == doubled[1].headers["x-songgate-event-id"]
    assert doubled[0].headers["x-songgate-delivery"] != doubled[1].headers["x-songgate-delivery"]
    assert json.loads(doubled[0].body)["data"]["status"] == "SUCCESS"
    [delayed] = [r for r in received if r.path == "/late"]
    assert json.loads(delayed.body)["data"]["fail_reason"] == "no"
    assert delayed.at >= done[1].finish_time + 1.5  # whole seconds, rounded down


def test_lyrics_tasks_and_a_hundred_songs(server: TestServer) -> None:
    with server.client() as client:
        lyrics = client.submit_lyrics("rain on a tin roof")
        songs = [client.submit_music(**DESCRIBED) for _ in range(100)]
        done = client.wait([lyrics, *songs], timeout=120, interval=0.1)
    assert all(t.status == "SUCCESS" for t in done)
    assert done[0].lyrics is not None and "rain on a tin roof" in done[0].lyrics.text
    assert len({c.id for t in done[1:] for c in t.clips}) == 200


def test_the_header_is_refused_where_test_mode_is_off(server: TestServer) -> None:
    with SongClient(server.process.url, server.process.token) as client, \
            pytest.raises(ApiError) as refused:
        client.submit_music(**DESCRIBED, test_outcome="failure")
    assert refused.value.status == 400 and "test mode is off" in refused.value.message
