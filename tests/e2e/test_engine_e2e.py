"""A real song end to end: serve, submit over HTTP, poll, download and decode every file."""

from __future__ import annotations

import io
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import soundfile
from PIL import Image

from tests.support.engine_server import WATCHED_ENGINE
from tests.support.server import Process, api_data, serving

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"


@pytest.fixture
def engine_server(tmp_path: Path) -> Iterator[Process]:
    with serving(tmp_path, **WATCHED_ENGINE) as process:
        yield process


def ffprobe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return dict(json.loads(result.stdout))


def run_to_end(server: Process, body: dict[str, Any]) -> tuple[Any, set[str], set[str]]:
    """Submit, poll until the task ends; the task and the progress and clip statuses seen."""
    task_id = api_data(server, "POST", "/suno/submit/music", body)
    seen_progress: set[str] = set()
    seen_clip_status: set[str] = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        task = api_data(server, "GET", f"/suno/fetch/{task_id}")
        seen_progress.add(task["progress"])
        seen_clip_status.update(clip["status"] for clip in task["data"])
        if task["status"] in ("SUCCESS", "FAILURE"):
            break
        time.sleep(0.25)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    return task, seen_progress, seen_clip_status


def test_a_music_task_ends_with_two_real_songs(engine_server: Process, tmp_path: Path) -> None:
    task, seen_progress, seen_clip_status = run_to_end(engine_server, {
        "prompt": LYRICS, "tags": "heartfelt salsa", "title": "Weekend", "mv": "chirp-v3-5"})
    assert len(seen_progress - {"0%", "100%"}) >= 3, seen_progress
    assert {"streaming", "complete"} <= seen_clip_status
    clips = task["data"]
    assert len(clips) == 2 and clips[0]["audio_url"] != clips[1]["audio_url"]
    for clip in clips:
        assert clip["status"] == "complete" and clip["title"] == "Weekend"
        assert clip["metadata"]["tags"] == "heartfelt salsa"
        for key in ("audio_url", "image_url", "image_large_url", "video_url"):
            assert clip[key].startswith(engine_server.url + "/media/"), clip[key]
        audio = requests.get(clip["audio_url"], timeout=30)
        assert audio.headers["content-type"] == "audio/mpeg"
        samples, rate = soundfile.read(io.BytesIO(audio.content))
        assert rate == 44_100 and abs(len(samples) / rate - clip["metadata"]["duration"]) < 1.0
        for key, smaller in (("image_url", True), ("image_large_url", False)):
            image = Image.open(io.BytesIO(requests.get(clip[key], timeout=30).content))
            assert image.format == "JPEG" and (image.size[0] < 1024) is smaller
        video = tmp_path / f"{clip['id']}.mp4"
        video.write_bytes(requests.get(clip["video_url"], timeout=30).content)
        probe = ffprobe(video)
        kinds = {stream["codec_type"] for stream in probe["streams"]}
        assert kinds == {"video", "audio"}
        assert abs(float(probe["format"]["duration"]) - clip["metadata"]["duration"]) < 1.0
    durations = [clip["metadata"]["duration"] for clip in clips]
    assert all(10 < d <= 240 for d in durations)

    extension, _, _ = run_to_end(engine_server, {
        "prompt": "[Bridge]\nDancing into Monday", "continue_clip_id": clips[0]["id"],
        "continue_at": 8.5, "mv": "chirp-v3-5"})
    for clip in extension["data"]:
        assert clip["metadata"]["history"][0]["id"] == clips[0]["id"]
        assert clip["metadata"]["history"][0]["continue_at"] == 8.5
        assert clip["metadata"]["tags"] == "heartfelt salsa"  # the original's style
        audio = requests.get(clip["audio_url"], timeout=30)
        samples, rate = soundfile.read(io.BytesIO(audio.content))
        assert len(samples) / rate > 8.5
        assert abs(len(samples) / rate - clip["metadata"]["duration"]) < 1.0
