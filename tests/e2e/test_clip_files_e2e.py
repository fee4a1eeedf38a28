"""A clip's WAV, MP4 and MIDI made on demand, through HTTP: when the clip has lost the
file (or never had it: a relayed clip), the route answers a FILE task's id, the task
makes the file, and a fetch of it shows the file's URL."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile
from PIL import Image

from tests.support.admin_cli import balance, songgate_cli
from tests.support.engine_server import BACKENDS, engine_env
from tests.support.server import (
    Process,
    api_data,
    free_port,
    serving,
    start,
    wait_task,
)

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"
URL = re.compile(r"^https?://")


@pytest.fixture(params=BACKENDS)
def backend_env(request: pytest.FixtureRequest) -> dict[str, str]:
    return engine_env(request, SONGGATE_PRICES="ACT/wav=3")


@pytest.fixture
def engine(tmp_path: Path, backend_env: dict[str, str]) -> Iterator[Process]:
    with serving(tmp_path, **backend_env) as process:
        yield process


def _made(server: Process, kind: str, clip_id: str, *, then: Callable[[], None] = lambda: None
          ) -> tuple[dict[str, Any], bytes]:
    """Asks for the file, which is missing: a task id, then the task's file (``then`` runs
    once the task is done, before the route is asked again)."""
    task_id = api_data(server, "GET", f"/suno/act/{kind}/{clip_id}")
    assert not URL.match(task_id)
    task = wait_task(server, task_id, timeout=120)
    then()
    assert task["status"] == "SUCCESS", task["fail_reason"]
    assert task["action"] == "FILE"
    data = task["data"]
    assert (data["clip_id"], data["kind"], data["status"]) == (clip_id, kind, "complete")
    assert api_data(server, "GET", f"/suno/act/{kind}/{clip_id}") == data["url"]  # now there
    got = httpx.get(data["url"], timeout=30)
    assert got.status_code == 200
    return task, got.content


def _frame(video: Path, at: float) -> np.ndarray[Any, Any]:
    picture = video.with_name(f"frame_{at}.png")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-ss", f"{at}", "-i", str(video),
                    "-frames:v", "1", str(picture)], check=True)
    with Image.open(picture) as opened:
        return np.asarray(opened.convert("L"), dtype=np.int16)


def _check_video(content: bytes, duration: float, folder: Path) -> None:
    video = folder / "made.mp4"
    video.write_bytes(content)
    shown = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                            "-of", "csv=p=0", str(video)], capture_output=True, text=True,
                           check=True).stdout
    assert abs(float(shown) - duration) < 0.3
    early, late = _frame(video, 1.0), _frame(video, duration - 1.0)
    assert float(np.mean(np.abs(early - late))) > 1.0  # it moves


def test_missing_files_of_an_engine_clip_are_made_on_demand(
    engine: Process, tmp_path: Path, backend_env: dict[str, str]
) -> None:
    songgate_cli(tmp_path, backend_env, "accounts", "topup", "default", "100")
    task_id = api_data(engine, "POST", "/suno/submit/music",
                       {"prompt": LYRICS, "tags": "pop", "title": "Weekend"})
    task = wait_task(engine, task_id, timeout=600)  # two renders, on a busy machine too
    assert task["status"] == "SUCCESS", task["fail_reason"]
    clip = task["data"][0]
    clip_id, duration = clip["id"], clip["metadata"]["duration"]
    media = tmp_path / "media"
    midi = (media / f"{clip_id}.mid").read_bytes()
    for suffix in ("mid", "wav", "mp4"):  # a clip made before these were published
        (media / f"{clip_id}.{suffix}").unlink()

    _, made_midi = _made(engine, "midi", clip_id)
    assert made_midi == midi  # the same request composes the same score

    before = balance(tmp_path, backend_env)

    def charged_once() -> None:  # ACT/wav, for the task; fetching it is free
        assert balance(tmp_path, backend_env) == before - 3

    _, wav = _made(engine, "wav", clip_id, then=charged_once)
    samples, rate = soundfile.read(io.BytesIO(wav))
    assert rate == 44_100 and samples.shape[1] == 2
    assert abs(len(samples) / rate - duration) < 0.1

    mp4_task = api_data(engine, "GET", f"/suno/act/mp4/{clip_id}")
    assert not URL.match(mp4_task)
    assert api_data(engine, "GET", f"/suno/act/mp4/{clip_id}") in (  # the same task,
        mp4_task, f"{engine.url}/media/{clip_id}.mp4")  # unless it is done already
    done = wait_task(engine, mp4_task, timeout=120)
    assert done["status"] == "SUCCESS", done["fail_reason"]
    _check_video(httpx.get(done["data"]["url"], timeout=30).content, duration, tmp_path)

    # a clip without its audio cannot get a WAV: refused, and nothing is charged
    other = task["data"][1]["id"]
    (media / f"{other}.wav").unlink()
    (media / f"{other}.mp3").unlink()
    before = balance(tmp_path, backend_env)
    refused = httpx.get(f"{engine.url}/suno/act/wav/{other}", timeout=30,
                        headers={"Authorization": f"Bearer {engine.token}"})
    assert refused.status_code == 400 and refused.json()["code"] == "clip_action_refused"
    assert "keeps no audio" in refused.json()["message"]
    assert balance(tmp_path, backend_env) == before
    # a FILE task is not submitted directly
    direct = httpx.post(f"{engine.url}/suno/submit/file", json={"clip_id": clip_id},
                        timeout=30, headers={"Authorization": f"Bearer {engine.token}"})
    assert direct.status_code == 400 and direct.json()["code"] == "action_not_supported"


CHANNEL_ROUTES = "MUSIC=channels,LYRICS=channels"


def test_a_relayed_clip_gets_a_wav_and_mp4_from_its_audio_and_no_midi(tmp_path: Path) -> None:
    back = start("serve", tmp_path / "back", port=free_port(), SONGGATE_ROUTES=CHANNEL_ROUTES)
    channels_file = tmp_path / "channels.toml"
    channels_file.write_text(
        '[[channel]]\nname = "back"\nprotocol = "suno-task"\n'
        f'base_url = "{back.url}"\nkey_env = "BACK_KEY"\n'
        'trusted = true\n')  # on loopback: its media come from a private address
    front = start("serve", tmp_path / "front", port=free_port(),
                  SONGGATE_ROUTES=CHANNEL_ROUTES, SONGGATE_CHANNELS_FILE=str(channels_file),
                  BACK_KEY=back.token, SONGGATE_RELAY_POLL_INTERVAL_SECONDS="0.3")
    try:
        music_id = api_data(front, "POST", "/suno/submit/music", {
            "prompt": "[Verse]\nlights along the river\n[Chorus]\nhome again tonight",
            "tags": "synthwave", "title": "Relay", "mv": "chirp-v3-0"})
        music = wait_task(front, music_id, timeout=240)
        assert music["status"] == "SUCCESS", music["fail_reason"]
        clip = music["data"][0]
        clip_id, duration = clip["id"], clip["metadata"]["duration"]
        refused = httpx.get(f"{front.url}/suno/act/midi/{clip_id}", timeout=30,
                            headers={"Authorization": f"Bearer {front.token}"})
        assert refused.status_code == 400 and refused.json()["code"] == "clip_action_refused"
        assert "upstream channel" in refused.json()["message"]
        _, wav = _made(front, "wav", clip_id)
        samples, rate = soundfile.read(io.BytesIO(wav))
        assert abs(len(samples) / rate - duration) < 0.1
        (tmp_path / "front" / "media" / f"{clip_id}.mp4").unlink(missing_ok=True)
        _, mp4 = _made(front, "mp4", clip_id)
        _check_video(mp4, duration, tmp_path)
    finally:
        front.stop()
        back.stop()
