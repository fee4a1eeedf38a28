"""The Python client against a real songgate on loopback, sync and async."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from songgate.client import (
    ApiError,
    AsyncSongClient,
    Clip,
    ConnectionFailed,
    DownloadFailed,
    NotFound,
    SongClient,
    TaskDto,
    Unauthorized,
    WaitTimedOut,
)
from tests.support.server import Process, free_port, start

MUSIC = {"prompt": "[Verse]\nla", "tags": "pop", "mv": "chirp-v4"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("client"), port=free_port())
    yield process
    process.stop()


def test_submit_fetch_get_and_wait(server: Process) -> None:
    seen: list[list[TaskDto]] = []
    with SongClient(server.url, server.token) as client:
        music = client.submit_music(**MUSIC, title="script:sleep=0.3")
        lyrics = client.submit_lyrics("a song about rain")
        failing = client.submit_lyrics("script:fail=final")
        fetched = client.fetch([lyrics, "nope", music])
        assert [t.task_id for t in fetched] == [lyrics, music]  # order kept, unknown left out
        assert [t.task_id for t in client.fetch([music, lyrics], action="MUSIC")] == [music]
        done = client.wait([music, lyrics, failing], timeout=30, on_progress=seen.append,
                           interval=0.1)
        assert [t.status for t in done] == ["SUCCESS", "SUCCESS", "FAILURE"]
        assert done[2].fail_reason and done[2].is_terminal
        song = done[0]
        assert song.action == "MUSIC" and song.progress == 100 and len(song.clips) == 2
        assert all(c.status == "complete" and c.audio_url for c in song.clips)
        assert done[1].lyrics is not None and done[1].lyrics.status == "complete"
        assert client.get(music).task_id == music
    assert len(seen) >= 2 and seen[-1][0].status == "SUCCESS"


def test_errors_are_typed(server: Process, tmp_path: Path) -> None:
    with SongClient(server.url, "sk-" + "x" * 40) as wrong:
        with pytest.raises(Unauthorized) as denied:
            wrong.fetch(["a"])
        assert denied.value.code == "unauthorized" and denied.value.status == 401
    with SongClient(server.url, server.token) as client:
        with pytest.raises(NotFound) as missing:
            client.get("no-such-task")
        assert missing.value.code == "task_not_exist"
        with pytest.raises(ApiError) as empty:
            client.submit_lyrics("")
        assert empty.value.code == "prompt_empty" and empty.value.status == 400
        with pytest.raises(TypeError):
            client.submit_music(prompt="x", colour="red")
        stuck = client.submit_lyrics("script:hang=1")
        with pytest.raises(WaitTimedOut) as waited:
            client.wait([stuck], timeout=0.5, interval=0.1)
        last = waited.value.tasks[0]
        assert isinstance(last, TaskDto) and last.task_id == stuck
    nowhere = SongClient(f"http://127.0.0.1:{free_port()}", server.token, timeout=2)
    with nowhere, pytest.raises(ConnectionFailed, match="could not reach"):
        nowhere.fetch(["a"])


async def test_async_client(server: Process) -> None:
    async with AsyncSongClient(server.url, server.token) as client:
        task_id = await client.submit_music(**MUSIC)
        [done] = await client.wait([task_id], timeout=30, interval=0.1)
        assert done.status == "SUCCESS" and (await client.get(task_id)).task_id == task_id
        with pytest.raises(NotFound):
            await client.get("missing")
    async with AsyncSongClient(f"http://127.0.0.1:{free_port()}", "sk-" + "y" * 30) as nowhere:
        with pytest.raises(ConnectionFailed):
            await nowhere.fetch(["a"])


def test_unknown_fields_are_tolerated() -> None:
    task = TaskDto.from_json({"task_id": "t", "status": "IN_PROGRESS", "progress": "42%",
                              "brand_new": {"x": 1},
                              "data": [{"id": "c", "metadata": {"duration": 3}, "extra": 1}]})
    assert task.progress == 42 and task.clips[0].duration == 3.0
    assert task.raw["brand_new"] == {"x": 1} and not task.is_terminal


# -- downloads: an interrupted one resumes, and nothing partial has the final name --------

CONTENT = bytes(range(256)) * 400  # 100 KiB


class _Files(BaseHTTPRequestHandler):
    cut_next = True

    def do_GET(self) -> None:
        start = 0
        header = self.headers.get("Range")
        if header:
            start = int(header.removeprefix("bytes=").split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(CONTENT) - 1}/{len(CONTENT)}")
        else:
            self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(CONTENT) - start))
        self.end_headers()
        if _Files.cut_next:  # half the body, then the connection drops
            _Files.cut_next = False
            self.wfile.write(CONTENT[start:start + 40_000])
            self.wfile.flush()
            self.connection.close()
            return
        self.wfile.write(CONTENT[start:])

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def files() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Files.cut_next = True
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_an_interrupted_download_resumes(files: str, tmp_path: Path) -> None:
    clip = Clip(id="c1", status="complete", audio_url=f"{files}/media/c1.mp3")
    with SongClient(files, "sk-unused-token-000000000000") as client:
        with pytest.raises(DownloadFailed, match="resume"):
            client.download(clip, tmp_path)
        assert not (tmp_path / "c1.mp3").exists()
        assert (tmp_path / "c1.mp3.part").stat().st_size == 40_000
        path = client.download(clip, tmp_path)
    assert path == tmp_path / "c1.mp3" and path.read_bytes() == CONTENT
    assert not (tmp_path / "c1.mp3.part").exists()
    with pytest.raises(DownloadFailed, match="no video URL"):
        SongClient(files, "sk-unused-token-000000000000").download(clip, tmp_path, what="video")


async def test_async_download_resumes(files: str, tmp_path: Path) -> None:
    clip = Clip(id="c2", status="complete", audio_url=f"{files}/media/c2.mp3")
    async with AsyncSongClient(files, "sk-unused-token-000000000000") as client:
        with pytest.raises(DownloadFailed):
            await client.download(clip, tmp_path)
        path = await client.download(clip, tmp_path)
    assert path.read_bytes() == CONTENT
