"""Replacing a span over HTTP on the real engine: of an engine clip through the gateway
(``infill_start_s``/``infill_end_s``), and of a quiet upload through sunoapi.org's
replace-section. The song around the span is kept, the span starts and ends on bar
lines, and both joins have no click and no loudness step."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import requests
import soundfile

from songgate.client import SongClient
from songgate.engine.master.mix import integrated_lufs
from songgate.engine.request import SongRequest
from songgate.engine.song import make_song
from tests.support.engine_server import LOCAL_MUSIC
from tests.support.seams import Seam, end_seam_of, seam_of
from tests.support.server import Process, api_data, serving, wait_task

RATE = 44_100
WAIT = 900  # seconds: a busy machine renders slowly; a hang still ends the test


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    with serving(tmp_path_factory.mktemp("infill"), SONGGATE_ROUTES=LOCAL_MUSIC) as process:
        yield process


def _wav(url: str) -> np.ndarray:
    answer = requests.get(url.removesuffix(".mp3") + ".wav", timeout=30)
    assert answer.status_code == 200
    samples, rate = soundfile.read(io.BytesIO(answer.content), dtype="float32")
    assert rate == RATE
    return np.asarray(samples)


def _joined_well(seam: Seam) -> None:
    assert seam.step <= 1.5 * seam.music_step, seam  # no click
    assert seam.loudness_step < 2.0, seam  # no loudness step


def _check(original: np.ndarray, result: np.ndarray, start: float, end: float,
           bar: float) -> None:
    first, last = seam_of(original, result, RATE), end_seam_of(original, result, RATE)
    # the span begins on the bar line nearest its start (the crossfade 50 ms before)
    assert abs(first.seconds + 0.05 - round(start / bar) * bar) < 0.1, first
    assert first.seconds < last.seconds
    assert len(result) <= len(original) + 1  # the span at most as long as it was
    _joined_well(first)
    _joined_well(last)


def test_a_span_of_an_engine_clip_is_recomposed(server: Process) -> None:
    made = wait_task(server, api_data(server, "POST", "/suno/submit/music", {
        "prompt": "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend"
                  "\nWe are free", "tags": "pop 120 bpm", "mv": "chirp-v3-5"}), timeout=WAIT)
    assert made["status"] == "SUCCESS"
    clip = made["data"][0]
    duration = clip["metadata"]["duration"]
    assert duration >= 14
    start, end = 4.3, 4.3 + min(12.0, duration / 2 - 0.5)
    done = wait_task(server, api_data(server, "POST", "/suno/submit/music", {
        "task": "infill", "continue_clip_id": clip["id"], "continue_at": start,
        "infill_start_s": start,
        "infill_end_s": end, "prompt": "[Bridge]\nRain is on the window", "mv": "chirp-v3-5"}),
        timeout=WAIT)
    assert done["status"] == "SUCCESS", done["fail_reason"]
    original = _wav(clip["audio_url"])
    for replaced in done["data"]:
        _check(original, _wav(replaced["audio_url"]), start, end, bar=2.0)


def test_replace_section_recomposes_a_span_of_an_upload(server: Process, tmp_path: Path) -> None:
    song = make_song(SongRequest(lyrics="[Verse]\nWalking down the road tonight\n"
                                 "Stars above are shining bright\n[Chorus]\nHold on, hold on",
                                 tags="rock 120 bpm", seed=3, max_seconds=30), tmp_path,
                     stem="elsewhere")
    audio, rate = soundfile.read(song.wav, dtype="float32")
    quiet = audio * 10 ** ((-21.0 - integrated_lufs(audio, rate)) / 20)
    path = tmp_path / "mine.wav"
    soundfile.write(path, quiet, rate, subtype="PCM_16")
    with SongClient(server.url, server.token) as client:
        upload = client.upload_file(path)
    answer = httpx.post(server.url + "/api/v1/generate/replace-section", json={
        "taskId": upload.task_id, "audioId": upload.clip_id, "prompt": "[Bridge]\nCarry me home",
        "tags": "", "title": "Mine, again", "infillStartS": 6.2, "infillEndS": 13.9},
        headers={"Authorization": f"Bearer {server.token}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    done = wait_task(server, answer.json()["data"]["taskId"], timeout=WAIT)
    assert done["status"] == "SUCCESS", done["fail_reason"]
    original, _ = soundfile.read(path, dtype="float32")
    for replaced in done["data"]:
        assert replaced["title"] == "Mine, again"
        _check(original, _wav(replaced["audio_url"]), 6.2, 13.9, bar=2.0)
