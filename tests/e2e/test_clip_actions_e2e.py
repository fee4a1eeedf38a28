"""A clip's timed lyrics through HTTP, the Python client and the CLI, on both databases."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
import soundfile

from songgate.client import SongClient
from tests.support.admin_cli import balance, other_token, songgate_cli
from tests.support.engine_server import RENDER_BACKENDS, engine_env
from tests.support.server import Process, api_data, get_as, serving, songgate_env, wait_task

LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand\n[Chorus]\nHappy weekend\nWe are free"
SUNG = re.findall(r"[\w']+", "Sunday morning light Coffee in my hand Happy weekend We are free")


@pytest.fixture(params=RENDER_BACKENDS)
def backend_env(request: pytest.FixtureRequest) -> dict[str, str]:
    return engine_env(request, SONGGATE_PRICES="ACT/timing=2,ACT/wav=1")


@pytest.fixture
def engine(tmp_path: Path, backend_env: dict[str, str]) -> Iterator[Process]:
    with serving(tmp_path, **backend_env) as process:
        yield process


def test_timed_lyrics_of_a_sung_clip(
    engine: Process, tmp_path: Path, backend_env: dict[str, str]
) -> None:
    songgate_cli(tmp_path, backend_env, "accounts", "topup", "default", "100")
    task_id = api_data(engine, "POST", "/suno/submit/music",
                       {"prompt": LYRICS, "tags": "pop", "title": "Weekend"})
    task = wait_task(engine, task_id)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    for clip in task["data"]:
        timing = api_data(engine, "GET", f"/suno/act/timing/{clip['id']}")
        words = timing["aligned_words"]
        sung = [w["word"] for w in words]
        assert sung[:len(SUNG)] == SUNG  # section labels are not words; the chorus may repeat
        assert set(sung) <= set(SUNG)
        starts = [w["start_s"] for w in words]
        assert starts == sorted(starts) and starts[0] >= 0
        assert all(w["start_s"] < w["end_s"] <= clip["metadata"]["duration"] for w in words)
        assert all(w["success"] is True and w["p_align"] == 1.0 for w in words)
        assert len(timing["waveform_data"]) == 200 and max(timing["waveform_data"]) == 1.0

    clip_id = task["data"][0]["id"]
    with SongClient(engine.url, engine.token) as client:
        assert [w.word for w in client.timing(clip_id).words] == [
            w["word"] for w in api_data(engine, "GET", f"/suno/act/timing/{clip_id}")[
                "aligned_words"]]
    shown = subprocess.run(
        [sys.executable, "-m", "songgate", "timing", clip_id, "--url", engine.url,
         "--token", engine.token, "--json"], capture_output=True, text=True, timeout=60,
        check=True, env=songgate_env(tmp_path, **backend_env))
    assert [w["word"] for w in orjson.loads(shown.stdout)["aligned_words"]][:3] == SUNG[:3]

    other = other_token(tmp_path, backend_env)
    for token, path in ((other, f"/suno/act/timing/{clip_id}"),
                        (engine.token, "/suno/act/timing/00000000-0000-4000-8000-000000000000"),
                        (engine.token, f"/suno/act/timing/{task_id}")):
        refused = get_as(engine, path, token)
        assert refused.status_code == 404 and refused.json()["code"] == "clip_not_exist"
    cli_refused = subprocess.run(
        [sys.executable, "-m", "songgate", "timing", clip_id, "--url", engine.url,
         "--token", other], capture_output=True, text=True, timeout=60,
        env=songgate_env(tmp_path, **backend_env))
    assert cli_refused.returncode == 2 and "clip not exist" in cli_refused.stderr

    for kind, content_type in (("wav", "audio/wav"), ("mp4", "video/mp4"),
                               ("midi", "audio/midi")):
        url = api_data(engine, "GET", f"/suno/act/{kind}/{clip_id}")
        assert url.startswith(engine.url + "/media/")
        got = httpx.get(url, timeout=30)
        assert got.status_code == 200 and got.headers["content-type"] == content_type
        assert len(got.content) > 1000
        refused = get_as(engine, f"/suno/act/{kind}/{clip_id}", other)
        assert refused.status_code == 404 and refused.json()["code"] == "clip_not_exist"
    wav = httpx.get(api_data(engine, "GET", f"/suno/act/wav/{clip_id}"), timeout=30).content
    samples, rate = soundfile.read(io.BytesIO(wav))
    duration = task["data"][0]["metadata"]["duration"]
    assert rate == 44_100 and abs(len(samples) / rate - duration) < 0.1
    with SongClient(engine.url, engine.token) as client:
        assert client.clip_file_url(clip_id, "midi").endswith(f"/media/{clip_id}.mid")
    printed = subprocess.run(
        [sys.executable, "-m", "songgate", "file", "mp4", clip_id, "--url", engine.url,
         "--token", engine.token], capture_output=True, text=True, timeout=60, check=True,
        env=songgate_env(tmp_path, **backend_env))
    assert printed.stdout.strip().endswith(f"/media/{clip_id}.mp4")

    before = balance(tmp_path, backend_env)
    assert before < 100  # the answers above were charged (ACT/timing=2, ACT/wav=1)
    assert get_as(engine, f"/suno/act/timing/{task_id}", engine.token).status_code == 404
    assert balance(tmp_path, backend_env) == before  # a refused action costs nothing
    api_data(engine, "GET", f"/suno/act/timing/{clip_id}")
    assert balance(tmp_path, backend_env) == before - 2
    api_data(engine, "GET", f"/suno/act/wav/{clip_id}")
    api_data(engine, "GET", f"/suno/act/mp4/{clip_id}")  # no price set: free
    assert balance(tmp_path, backend_env) == before - 3
    songgate_cli(tmp_path, backend_env, "accounts", "topup", "default", "--",
                 str(-(before - 3)))
    poor = get_as(engine, f"/suno/act/timing/{clip_id}", engine.token)
    assert poor.status_code == 403 and poor.json()["code"] == "quota_not_enough"


def test_the_openapi_document_describes_the_timing_route(engine: Process) -> None:
    document = httpx.get(engine.url + "/openapi.json", timeout=30).json()
    for kind in ("timing", "wav", "mp4", "midi"):
        operation = document["paths"][f"/suno/act/{kind}/{{clip_id}}"]["get"]
        assert operation["operationId"] == f"clip_{kind}"
        assert {"200", "400", "404"} <= set(operation["responses"])
