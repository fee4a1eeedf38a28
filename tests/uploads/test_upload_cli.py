"""``songgate upload FILE|URL`` against a real ``songgate serve``, its allowed network set
by SONGGATE_UPLOAD_ALLOWED_NETWORKS as an operator sets it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from songgate.client import SongClient
from tests.support.client_cli import run
from tests.support.file_server import FileServer
from tests.support.server import Process, serving
from tests.uploads.audio_files import silence, tone


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    with serving(tmp_path_factory.mktemp("upload-cli"),
                 SONGGATE_UPLOAD_ALLOWED_NETWORKS="127.0.0.1/32") as process:
        yield process


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
