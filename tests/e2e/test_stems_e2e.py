"""A clip's stems through HTTP, the Python client and the CLI, on both databases: the
engine's own parts as clips, summing back to the song."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import orjson
import pytest
import soundfile

from songgate.client import SongClient
from tests.support.admin_cli import balance, other_token, songgate_cli
from tests.support.engine_server import RENDER_BACKENDS, engine_env
from tests.support.server import Process, api_data, get_as, serving, songgate_env, wait_task

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"
TITLE = "Weekend"
TWELVE_LABELS = {"Vocals", "Drums", "Percussion", "Bass", "Guitar", "Keys", "Strings", "Synth",
                 "Pads", "FX", "Other"}
WAIT = 900.0  # seconds a render may take on a busy machine
SUM_TOLERANCE_DB = -70.0  # residual energy of the stems' sum against the song's (16-bit WAVs)


@pytest.fixture(params=RENDER_BACKENDS)
def backend_env(request: pytest.FixtureRequest) -> dict[str, str]:
    return engine_env(request, SONGGATE_PRICES="STEM=3")


@pytest.fixture
def engine(tmp_path: Path, backend_env: dict[str, str]) -> Iterator[Process]:
    with serving(tmp_path, **backend_env) as process:
        yield process


def _audio(engine: Process, url: str) -> np.ndarray:
    got = httpx.get(url, timeout=30)
    assert got.status_code == 200, url
    samples, rate = soundfile.read(io.BytesIO(got.content), dtype="float64", always_2d=True)
    assert rate == 44_100
    return samples


def _wav(engine: Process, clip_id: str) -> np.ndarray:
    return _audio(engine, api_data(engine, "GET", f"/suno/act/wav/{clip_id}"))


def residual_db(parts: list[np.ndarray], mix: np.ndarray) -> float:
    residual = sum(parts) - mix
    return float(10 * np.log10(np.sum(residual**2) / np.sum(mix**2)))


def _stem_task(engine: Process, task_id: str) -> list[dict[str, Any]]:
    task = wait_task(engine, task_id, timeout=WAIT)
    assert task["action"] == "STEM" and task["status"] == "SUCCESS", task["fail_reason"]
    clips: list[dict[str, Any]] = task["data"]
    for clip in clips:
        assert clip["status"] == "complete" and clip["metadata"]["type"] == "stem"
        assert clip["title"].startswith(f"{TITLE} - ")
        assert clip["audio_url"].endswith(f"/media/{clip['id']}.mp3")
        mp3 = _audio(engine, clip["audio_url"])  # the MP3 decodes
        assert abs(len(mp3) / 44_100 - clip["metadata"]["duration"]) < 0.2
    return clips


def test_stems_of_a_sung_clip(
    engine: Process, tmp_path: Path, backend_env: dict[str, str]
) -> None:
    songgate_cli(tmp_path, backend_env, "accounts", "topup", "default", "100")
    song_id = api_data(engine, "POST", "/suno/submit/music",
                       {"prompt": LYRICS, "tags": "pop", "title": TITLE})
    made = wait_task(engine, song_id, timeout=WAIT)
    assert made["status"] == "SUCCESS", made["fail_reason"]
    clip_id = made["data"][0]["id"]
    mix = _wav(engine, clip_id)

    before = balance(tmp_path, backend_env)
    two_id = api_data(engine, "POST", "/suno/submit/music",
                      {"task": "gen_stem", "continue_clip_id": clip_id,
                       "stem_type_group_name": "Two", "stem_task": "two"})
    assert balance(tmp_path, backend_env) == before - 3  # the STEM price, once per task
    two = _stem_task(engine, two_id)
    assert [c["title"] for c in two] == [f"{TITLE} - Vocals", f"{TITLE} - Instrumental"]
    assert all(c["metadata"]["stem_from_id"] == clip_id for c in two)
    assert residual_db([_wav(engine, c["id"]) for c in two], mix) < SUM_TOLERANCE_DB
    # asked again: the same clips, nothing charged
    again = api_data(engine, "GET", f"/suno/act/stems/{clip_id}")
    assert [c["id"] for c in again] == [c["id"] for c in two]
    assert balance(tmp_path, backend_env) == before - 3

    twelve_id = api_data(engine, "GET", f"/suno/act/stems/{clip_id}?stem_type_group_name=twelve")
    assert isinstance(twelve_id, str)
    twelve = _stem_task(engine, twelve_id)
    labels = [c["title"].removeprefix(f"{TITLE} - ") for c in twelve]
    assert labels[0] == "Vocals" and set(labels) <= TWELVE_LABELS and len(labels) >= 4
    parts = [_wav(engine, c["id"]) for c in twelve]
    assert all(np.max(np.abs(part)) > 0.01 for part in parts)  # only parts the song has
    assert residual_db(parts, mix) < SUM_TOLERANCE_DB

    with SongClient(engine.url, engine.token) as client:
        found = client.stems(clip_id, twelve=True)
        assert found.task_id == "" and [c.id for c in found.clips] == [c["id"] for c in twelve]
    shown = subprocess.run(
        [sys.executable, "-m", "songgate", "stems", clip_id, "--url", engine.url,
         "--token", engine.token, "--json"], capture_output=True, text=True, timeout=60,
        check=True, env=songgate_env(tmp_path, **backend_env))
    assert [c["title"] for c in orjson.loads(shown.stdout)] == [c["title"] for c in two]

    spent = balance(tmp_path, backend_env)
    other = other_token(tmp_path, backend_env)
    for token, path in ((other, f"/suno/act/stems/{clip_id}"),
                        (engine.token, "/suno/act/stems/00000000-0000-4000-8000-000000000000")):
        refused = get_as(engine, path, token)
        assert refused.status_code == 404 and refused.json()["code"] == "clip_not_exist"
    foreign = httpx.post(engine.url + "/suno/submit/music", timeout=30,
                         headers={"Authorization": f"Bearer {other}"},
                         json={"task": "gen_stem", "continue_clip_id": clip_id})
    assert foreign.status_code == 404 and foreign.json()["code"] == "clip_not_exist"
    of_a_stem = get_as(engine, f"/suno/act/stems/{two[0]['id']}", engine.token)
    assert of_a_stem.status_code == 400 and of_a_stem.json()["code"] == "clip_action_refused"
    assert "stem already" in of_a_stem.json()["message"]
    unknown_group = get_as(engine, f"/suno/act/stems/{clip_id}?stem_type_group_name=Six",
                         engine.token)
    assert unknown_group.status_code == 400
    assert "is not one of Two, Twelve" in unknown_group.json()["message"]
    assert balance(tmp_path, backend_env) == spent  # a refused action costs nothing


def test_the_openapi_document_describes_stems(engine: Process) -> None:
    document = httpx.get(engine.url + "/openapi.json", timeout=30).json()
    operation = document["paths"]["/suno/act/stems/{clip_id}"]["get"]
    assert operation["operationId"] == "clip_stems"
    assert {"200", "400", "403", "404"} <= set(operation["responses"])
    music = document["paths"]["/suno/submit/music"]["post"]
    body = music["requestBody"]["content"]["application/json"]["schema"]
    assert any("stem_type_group_name" in branch.get("properties", {})
               for branch in body["anyOf"])
