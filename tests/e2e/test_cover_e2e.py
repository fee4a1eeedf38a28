"""Covers through HTTP on the real engine, on both databases: a song and an upload made
again in new tags, two clips charged as any MUSIC task, and every refusal free."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import mido
import pytest

from songgate.client import SongClient
from tests.support.admin_cli import balance, other_token, songgate_cli
from tests.support.engine_server import RENDER_BACKENDS, engine_env
from tests.support.server import Process, api_data, serving, wait_task

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"
TITLE = "Weekend"
MV = "chirp-v3-0"  # the shortest model: a short song renders fast
WAIT = 900.0  # seconds a render may take on a busy machine
MUSIC_PRICE = 5


@pytest.fixture(params=RENDER_BACKENDS)
def backend_env(request: pytest.FixtureRequest) -> dict[str, str]:
    return engine_env(request, SONGGATE_PRICES=f"MUSIC={MUSIC_PRICE}")


@pytest.fixture
def engine(tmp_path: Path, backend_env: dict[str, str]) -> Iterator[Process]:
    with serving(tmp_path, **backend_env) as process:
        yield process


def _tempo(url: str) -> float:
    """The beats per minute of a clip's MIDI file."""
    got = httpx.get(url, timeout=30)
    assert got.status_code == 200, url
    song = mido.MidiFile(file=io.BytesIO(got.content))
    return next(mido.tempo2bpm(m.tempo) for t in song.tracks for m in t if m.type == "set_tempo")


def _done(engine: Process, task_id: str) -> list[dict[str, Any]]:
    task = wait_task(engine, task_id, timeout=WAIT)
    assert task["action"] == "MUSIC" and task["status"] == "SUCCESS", task["fail_reason"]
    clips: list[dict[str, Any]] = task["data"]
    assert len(clips) == 2 and all(c["status"] == "complete" for c in clips)
    return clips


def _refused(engine: Process, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    return httpx.post(engine.url + "/suno/submit/music", json=body, timeout=30,
                      headers={"Authorization": f"Bearer {token or engine.token}"})


def test_a_song_and_an_upload_are_covered_in_new_tags(
    engine: Process, tmp_path: Path, backend_env: dict[str, str]
) -> None:
    songgate_cli(tmp_path, backend_env, "accounts", "topup", "default", "100")

    song_id = api_data(engine, "POST", "/suno/submit/music",
                       {"prompt": LYRICS, "tags": "pop, piano", "title": TITLE, "mv": MV})
    running = api_data(engine, "GET", f"/suno/fetch/{song_id}")
    clip_id = running["data"][0]["id"]
    before = balance(tmp_path, backend_env)
    if running["status"] not in ("SUCCESS", "FAILURE"):  # a clip still rendering is refused
        early = _refused(engine, {"task": "cover", "continue_clip_id": clip_id, "tags": "folk"})
        assert early.status_code == 400 and early.json()["code"] == "clip_action_refused"
        assert "not complete" in early.json()["message"]
    [song, _] = _done(engine, song_id)
    assert song["id"] == clip_id

    with SongClient(engine.url, engine.token) as client:
        cover_id = client.cover(clip_id, mv=MV, tags="folk, acoustic guitar")
    assert balance(tmp_path, backend_env) == before - MUSIC_PRICE  # the MUSIC price, once per task
    covers = _done(engine, cover_id)
    for cover in covers:
        metadata = cover["metadata"]
        assert metadata["task"] == "cover" and metadata["cover_clip_id"] == clip_id
        assert metadata["prompt"] == LYRICS and cover["title"] == TITLE  # the song's own
        assert metadata["tags"] == "folk, acoustic guitar" and metadata["duration"] > 5
        assert metadata["history"] is None  # no extension
        ratio = _tempo(cover["audio_url"].replace(".mp3", ".mid")) / _tempo(
            song["audio_url"].replace(".mp3", ".mid"))
        assert min(abs(ratio - k) / k for k in (0.5, 1.0, 2.0)) <= 0.02

    # the song's MP3 uploaded as a file, then covered: no words, so an instrumental cover
    begun = api_data(engine, "POST", "/suno/uploads/audio", {"extension": "mp3"})
    sent = httpx.put(engine.url + f"/suno/uploads/audio/{begun['id']}/file", timeout=60,
                     content=httpx.get(song["audio_url"], timeout=30).content)
    assert sent.status_code == 200, sent.text
    upload = api_data(engine, "POST", f"/suno/uploads/audio/{begun['id']}/upload-finish")
    spent = balance(tmp_path, backend_env)
    upload_cover = songgate_cli(tmp_path, backend_env, "submit", "music", "--cover",
                                upload["clip_id"], "--mv", MV, "--tags", "jazz piano",
                                "--title", "Weekend jazz", "--url", engine.url,
                                "--token", engine.token).strip()
    assert balance(tmp_path, backend_env) == spent - MUSIC_PRICE
    for cover in _done(engine, upload_cover):
        assert cover["metadata"]["cover_clip_id"] == upload["clip_id"]
        assert cover["metadata"]["prompt"] == "" and cover["title"] == "Weekend jazz"
        assert cover["metadata"]["duration"] > 5

    spent = balance(tmp_path, backend_env)
    other = other_token(tmp_path, backend_env)
    for body, token in (({"cover_clip_id": clip_id, "tags": "rock"}, other),
                        ({"cover_clip_id": "00000000-0000-4000-8000-000000000000"}, None)):
        refused = _refused(engine, body, token)
        assert refused.status_code == 404 and refused.json()["code"] == "clip_not_exist"
    for body, problem in (
        ({"task": "cover", "continue_clip_id": clip_id, "continue_at": 10}, "no continue_at"),
        ({"task": "cover", "tags": "rock"}, "needs the clip to cover"),
    ):
        refused = _refused(engine, body)
        assert refused.status_code == 400 and problem in refused.json()["message"]
    assert balance(tmp_path, backend_env) == spent  # nothing charged for what was refused
