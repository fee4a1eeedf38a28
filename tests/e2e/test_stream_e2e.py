"""A song heard while it renders: over HTTP, a streaming clip's audio_url plays its beginning."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import requests
import soundfile

from tests.support.engine_server import WATCHED_ENGINE
from tests.support.onsets import same_notes
from tests.support.server import Process, api_data, serving

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"


@pytest.fixture
def engine_server(tmp_path: Path) -> Iterator[Process]:
    with serving(tmp_path, **WATCHED_ENGINE) as process:
        yield process


def decoded(data: bytes) -> tuple[np.ndarray, int]:
    audio, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return audio, int(rate)


def test_a_rendering_clip_streams_its_beginning_and_ends_with_the_final_file(
    engine_server: Process,
) -> None:
    task_id = api_data(engine_server, "POST", "/suno/submit/music", {
        "prompt": LYRICS, "tags": "upbeat pop", "title": "Weekend", "mv": "chirp-v3-0"})
    heard: dict[str, list[bytes]] = {}  # clip id -> every stream body fetched while in progress
    stream_urls: dict[str, str] = {}
    deadline = time.monotonic() + 900  # only a guard against a hang: the machine may be busy
    while time.monotonic() < deadline:
        task = api_data(engine_server, "GET", f"/suno/fetch/{task_id}")
        if task["status"] in ("SUCCESS", "FAILURE"):
            break
        for clip in task["data"]:
            if clip["status"] != "streaming" or not clip["audio_url"]:
                continue
            assert task["status"] == "IN_PROGRESS"
            stream_urls[clip["id"]] = clip["audio_url"]
            served = requests.get(clip["audio_url"], timeout=30)
            if served.status_code == 200:  # else the clip finished between fetch and get
                assert served.headers["content-type"] == "audio/mpeg"
                assert served.headers["cache-control"] == "no-store"
                heard.setdefault(clip["id"], []).append(served.content)
        time.sleep(0.1)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    assert heard, "no clip was heard while it rendered"
    beginnings = 0
    for clip in task["data"]:
        assert clip["status"] == "complete"
        assert clip["audio_url"] == f"{engine_server.url}/media/{clip['id']}.mp3"
        final_bytes = requests.get(clip["audio_url"], timeout=30).content
        final, rate = decoded(final_bytes)
        if clip["id"] not in stream_urls:
            continue
        assert stream_urls[clip["id"]] == f"{engine_server.url}/media/stream_{clip['id']}.mp3"
        assert requests.get(stream_urls[clip["id"]], timeout=30).status_code == 404  # replaced
        for body in heard.get(clip["id"], []):
            if body == final_bytes:  # the whole song streamed before its covers and video
                continue
            audio, stream_rate = decoded(body)
            assert stream_rate == rate and np.any(audio)
            assert 0 < len(audio) <= len(final)  # the last section's file: the whole song
            # the song's own beginning: a stream is mixed at fixed gains, unmastered, so its
            # onsets match the mastered song's less closely than two masters would
            assert same_notes(audio, final, rate) > 0.7
            beginnings += 1
    assert beginnings, "only whole songs were heard, never a beginning before them"
