"""Extending an upload over HTTP on the real engine: the upload kept to a bar line, then
new music in its tempo and key, joined with no click and no loudness step, though the
upload is far quieter than the engine masters its own songs."""

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
from tests.support.file_server import FileServer
from tests.support.seams import seam_of
from tests.support.server import Process, api_data, serving, wait_task

RATE = 44_100
UPLOAD_LUFS = -22.0  # 8 LU under the engine's own level


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    with serving(tmp_path_factory.mktemp("upload-extend"), SONGGATE_ROUTES=LOCAL_MUSIC,
                 SONGGATE_UPLOAD_ALLOWED_NETWORKS="127.0.0.1/32") as process:
        yield process


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A song from elsewhere: 120 bpm rock, 8 LU quieter than the engine masters."""
    made = tmp_path_factory.mktemp("song")
    song = make_song(SongRequest(lyrics="[Verse]\nWalking down the road tonight\n"
                                 "Stars above are shining bright", tags="rock 120 bpm A minor",
                                 seed=3, max_seconds=24), made, stem="elsewhere")
    audio, rate = soundfile.read(song.wav, dtype="float32")
    quiet = audio * 10 ** ((UPLOAD_LUFS - integrated_lufs(audio, rate)) / 20)
    path = made / "mine.wav"
    soundfile.write(path, quiet, rate, subtype="PCM_16")
    return path


def _wav(server: Process, clip: dict[str, object]) -> np.ndarray:
    url = str(clip["audio_url"]).removesuffix(".mp3") + ".wav"
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 200
    samples, rate = soundfile.read(io.BytesIO(answer.content), dtype="float32")
    assert rate == RATE
    return np.asarray(samples)


@pytest.mark.parametrize("task", ["upload_extend", "extend"])
def test_an_upload_is_extended_at_a_bar_line_without_a_click_or_a_loudness_step(
    server: Process, upload: Path, task: str
) -> None:
    with SongClient(server.url, server.token) as client:
        made = client.upload_file(upload)
    original, _ = soundfile.read(upload, dtype="float32")
    task_id = api_data(server, "POST", "/suno/submit/music", {
        "task": task, "continue_clip_id": made.clip_id, "continue_at": 10.3,
        "prompt": "[Chorus]\nHold on, the night is young", "mv": "chirp-v3-5"})
    done = wait_task(server, task_id)
    assert done["status"] == "SUCCESS", done["fail_reason"]
    assert len(done["data"]) == 2
    for clip in done["data"]:
        assert clip["metadata"]["history"][0]["id"] == made.clip_id
        result = _wav(server, clip)
        seam = seam_of(original, result, RATE)
        # the upload up to a bar line near 10.3 s (its analysed 2 s bars: 10 s or 12 s)
        assert 8.5 < seam.seconds < 12.5, seam
        assert len(result) / RATE > seam.seconds + 4  # new music after it
        assert seam.step <= 1.5 * seam.music_step, seam  # no click
        assert seam.loudness_step < 2.0, seam  # no loudness step, at the upload's level
        assert abs(seam.before_lufs - UPLOAD_LUFS) < 6


def test_the_sunoapi_dialect_uploads_by_url_then_extends(server: Process, upload: Path) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    route = server.url + "/api/v1/generate/upload-extend"
    refused = httpx.post(route, json={"continueAt": 5, "customMode": True, "prompt": "la"},
                         headers=headers, timeout=30)
    assert refused.status_code == 400 and "uploadUrl is required" in refused.json()["msg"]
    with FileServer() as files:
        url = files.add("mine.wav", upload.read_bytes())
        answer = httpx.post(route, json={
            "uploadUrl": url, "continueAt": 10, "customMode": True, "model": "V3_5",
            "prompt": "[Chorus]\nHold on, the night is young", "title": "Mine, longer"},
            headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["code"] == 200
    done = wait_task(server, answer.json()["data"]["taskId"])
    assert done["status"] == "SUCCESS", done["fail_reason"]
    original, _ = soundfile.read(upload, dtype="float32")
    for clip in done["data"]:
        assert clip["title"] == "Mine, longer"
        seam = seam_of(original, _wav(server, clip), RATE)
        assert 8.5 < seam.seconds < 12.5 and seam.loudness_step < 2.0, seam
