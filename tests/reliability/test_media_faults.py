"""Media storage that cannot take a song's files: the task is retried, then fails with a reason
a user can read (no path, no errno, no trace), while the service goes on answering, and
songs are saved again once storage is back, without a restart."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_processes import WORKER_ENV, make_token
from tests.reliability import providers, storage
from tests.reliability.storage import BrokenStorage
from tests.reliability.support import MUSIC, wait_all_succeeded, wait_worker_ready
from tests.support.server import Process, api_data, free_port, start, wait_task

MAX_ATTEMPTS = 3  # the default: a storage fault is retried, then the task fails


def media_env(broken: BrokenStorage, port: int) -> dict[str, str]:
    return {**WORKER_ENV, "SONGGATE_MEDIA_DIR": str(broken.media_dir),
            "SONGGATE_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "SONGGATE_PROVIDERS": providers.NAME, "SONGGATE_ROUTES": "MUSIC=files,LYRICS=files"}


@pytest.fixture(params=["full tmpfs", "file-size limit"])
def full_storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BrokenStorage]:
    if request.param == "full tmpfs":
        broken = storage.full_tmpfs(tmp_path / "volume")
        if broken is None:
            pytest.skip("mounting a tmpfs needs root; the file-size limit case fills a disk here")
    else:
        broken = storage.file_size_limit(tmp_path / "volume")
    yield broken
    broken.close()


@pytest.fixture
def unwritable_storage(tmp_path: Path) -> Iterator[BrokenStorage]:
    broken = storage.unwritable(tmp_path / "volume")
    yield broken
    broken.close()


class Answering:
    """Lyrics submits, fetches and /healthz from a thread while a fault lasts; all must be 200."""

    def __init__(self, api: Process, token: str) -> None:
        self.api, self.token = api, token
        self.statuses: list[int] = []
        self.submitted: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Answering:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.api.url, headers=headers, timeout=30) as http:
            while True:  # at least one round, however soon the fault is over
                submit = http.post("/suno/submit/lyrics", json={"prompt": "still answering"})
                self.statuses.append(submit.status_code)
                if submit.status_code == 200:
                    self.submitted.append(submit.json()["data"])
                    fetch = http.post("/suno/fetch", json={"ids": self.submitted[-5:]})
                    self.statuses.append(fetch.status_code)
                self.statuses.append(http.get("/healthz").status_code)
                if self._stop.wait(0.1):
                    return


def submit_song(api: Process, token: str, size: int) -> str:
    body = {**MUSIC, "prompt": "[Verse]\nno room", "title": f"Song bytes={size}"}
    return str(api_data(api, "POST", "/suno/submit/music", body, token=token))


def check_fault_then_recovery(
    api: Process, worker: Process, token: str, broken: BrokenStorage
) -> None:
    with Answering(api, token) as answering:
        failing = submit_song(api, token, broken.failing)
        task = wait_task(api, failing, timeout=60, token=token)
    assert task["status"] == "FAILURE", broken.how
    reason = f"{broken.reason} (gave up after {MAX_ATTEMPTS} attempts)"
    assert task["fail_reason"] == reason, broken.how
    assert {clip["metadata"]["error_message"] for clip in task["data"]} == {reason}
    assert_says_nothing_internal(task, broken)
    assert answering.statuses and set(answering.statuses) == {200}, answering.statuses
    wait_all_succeeded(api, token, answering.submitted)  # the worker went on working
    assert worker.popen.poll() is None
    assert "media storage failed" in worker.log_text()
    broken.repair()
    saved = wait_task(api, submit_song(api, token, storage.SMALL), timeout=60, token=token)
    assert saved["status"] == "SUCCESS", saved["fail_reason"]
    for clip in saved["data"]:
        served = httpx.get(clip["audio_url"], timeout=30)
        assert served.status_code == 200 and len(served.content) == storage.SMALL


def assert_says_nothing_internal(task: dict[str, Any], broken: BrokenStorage) -> None:
    text = str(task)
    for internal in (str(broken.media_dir), "Errno", "Traceback", ".work", "OSError"):
        assert internal not in text, internal


def test_a_full_disk_fails_the_task_with_a_reason_and_the_service_answers(
    tmp_path: Path, full_storage: BrokenStorage
) -> None:
    port = free_port()
    env = media_env(full_storage, port)
    data = tmp_path / "data"
    token = make_token(data, **env)
    api = start("api", data, port=port, **env)
    worker = start("worker", data, preexec_fn=full_storage.worker_preexec, **env)
    try:
        wait_worker_ready(worker)
        check_fault_then_recovery(api, worker, token, full_storage)
    finally:
        worker.stop()
        api.stop()


def test_an_unwritable_media_dir_fails_the_task_with_a_reason_and_the_service_answers(
    tmp_path: Path, unwritable_storage: BrokenStorage
) -> None:
    port = free_port()
    serve = start("serve", tmp_path / "data", port=port, **media_env(unwritable_storage, port))
    try:
        wait_worker_ready(serve)
        check_fault_then_recovery(serve, serve, serve.token, unwritable_storage)
    finally:
        serve.stop()
