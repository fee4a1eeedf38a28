"""``songgate upload FILE|URL`` against a real ``songgate serve``, its allowed network set
by SONGGATE_UPLOAD_ALLOWED_NETWORKS as an operator sets it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from songgate.client import SongClient
from tests.support.file_server import FileServer
from tests.support.server import REPO, Process, free_port, songgate_env, start
from tests.uploads.audio_files import silence, tone


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("upload-cli"), port=free_port(),
                    SONGGATE_UPLOAD_ALLOWED_NETWORKS="127.0.0.1/32")
    yield process
    process.stop()


def run(server: Process, *args: str) -> subprocess.CompletedProcess[str]:
    env = songgate_env(Path("/nonexistent"))
    env["SONGGATE_URL"] = server.url
    env["SONGGATE_TOKEN"] = server.token
    return subprocess.run([sys.executable, "-m", "songgate", *args], text=True,
                          capture_output=True, env=env, cwd=REPO, timeout=120, check=False)


def test_upload_a_file_and_a_url(server: Process, tmp_path: Path) -> None:
    song = tmp_path / "hum.wav"
    tone(song, 1.5)
    done = run(server, "upload", str(song))
    assert done.returncode == 0, done.stderr
    made = orjson.loads(done.stdout)
    with SongClient(server.url, server.token) as client:
        [task] = client.fetch([made["task_id"]])
        assert task.action == "UPLOAD" and task.clips[0].id == made["clip_id"]
        with FileServer() as files:
            url = files.add("b.mp3", tone(tmp_path / "b.mp3"))
            by_url = run(server, "upload", url)
            assert by_url.returncode == 0, by_url.stderr
            assert orjson.loads(by_url.stdout)["duration"] > 1.9
            quiet = files.add("q.wav", silence(tmp_path / "q.wav"))
            refused = run(server, "upload", quiet)
            assert refused.returncode != 0 and "the audio is silent" in refused.stderr
            private = run(server, "upload", f"http://127.0.0.2:{files.port}/f/b.mp3")
            assert private.returncode != 0 and "forbidden" in private.stderr
    missing = run(server, "upload", str(tmp_path / "nothing.mp3"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr
