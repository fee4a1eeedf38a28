"""The Python client's persona reads and its wait for a clip's file, against a real
songgate on loopback (sync and async): FILE and STEM tasks run on the engine provider."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import soundfile

from songgate.client import AsyncSongClient, NotFound, Persona, SongClient
from songgate.client.files import FileNotMade, url_of
from songgate.client.models import TaskDto
from tests.support.engine_clip import keep_as_engine
from tests.support.server import Process, free_port, start

ROUTES = "MUSIC=scripted,LYRICS=scripted,FILE=local,STEM=local"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path]]:
    data_dir = tmp_path_factory.mktemp("client_actions")
    process = start("serve", data_dir, port=free_port(), SONGGATE_ROUTES=ROUTES)
    yield process, data_dir
    process.stop()


def _engine_clip(client: SongClient, data_dir: Path) -> str:
    [task] = client.wait([client.submit_music(prompt="[Verse]\nla", tags="pop",
                                              title="Sunday script:files=mp3")],
                         timeout=60, interval=0.1)
    assert task.status == "SUCCESS", task.fail_reason
    clip_id = task.clips[0].id
    keep_as_engine(data_dir, clip_id)
    return clip_id


def test_personas_are_read_one_by_one_and_listed(server: tuple[Process, Path]) -> None:
    process, data_dir = server
    with SongClient(process.url, process.token) as client:
        clip_id = _engine_clip(client, data_dir)
        made = [client.create_persona(clip_id, name) for name in ("first", "second")]
        got = client.persona(made[0].id)
        assert isinstance(got, Persona)
        assert (got.id, got.name, got.root_clip_id) == (made[0].id, "first", clip_id)
        assert [p.name for p in client.personas()][:2] == ["second", "first"]
        assert [p.id for p in client.personas(limit=1)] == [made[1].id]
        with pytest.raises(NotFound) as missing:
            client.persona("00000000-0000-4000-8000-000000000000")
        assert missing.value.code == "persona_not_exist"
        with pytest.raises(NotFound):
            client.persona("../fetch/x")  # quoted: never another route


def test_clip_file_waits_for_the_file_task(server: tuple[Process, Path]) -> None:
    process, data_dir = server
    with SongClient(process.url, process.token) as client:
        clip_id = _engine_clip(client, data_dir)
        answer = client.clip_file_url(clip_id, "wav")
        assert "/" not in answer  # no WAV yet: the FILE task's id
        url = client.clip_file(clip_id, "wav", timeout=120, interval=0.1)
        assert url.endswith(f"/media/{clip_id}.wav")
        samples, rate = soundfile.read(io.BytesIO(httpx.get(url, timeout=30).content))
        assert rate == 44_100 and abs(len(samples) / rate - 2.0) < 0.1
        assert client.clip_file(clip_id, "wav") == url  # there now: answered at once
        with pytest.raises(ValueError):
            client.clip_file(clip_id, "flac")


async def test_async_persona_and_clip_file(server: tuple[Process, Path]) -> None:
    process, data_dir = server
    with SongClient(process.url, process.token) as sync:
        clip_id = _engine_clip(sync, data_dir)
    async with AsyncSongClient(process.url, process.token) as client:
        made = await client.create_persona(clip_id, "async one")
        assert (await client.persona(made.id)).name == "async one"
        assert (await client.personas(limit=1))[0].id == made.id
        url = await client.clip_file(clip_id, "mp4", timeout=180, interval=0.1)
        assert url.endswith(f"/media/{clip_id}.mp4")
        assert httpx.get(url, timeout=30).status_code == 200


def test_a_failed_file_task_is_a_typed_error() -> None:
    failed = TaskDto.from_json({"task_id": "t", "action": "FILE", "status": "FAILURE",
                                "fail_reason": "no audio", "data": {"url": ""}})
    with pytest.raises(FileNotMade, match="no audio") as error:
        url_of(failed, "wav")
    assert error.value.task is failed
    done = TaskDto.from_json({"task_id": "t", "status": "SUCCESS",
                              "data": {"url": "http://h/media/c.wav"}})
    assert url_of(done, "wav") == "http://h/media/c.wav"
