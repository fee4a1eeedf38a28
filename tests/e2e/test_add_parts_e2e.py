"""Adding a part to an upload through real HTTP on the real engine: a short engine
instrumental uploaded gets a voice (``task: add_vocals``), a short engine vocal uploaded
gets a band (``task: add_instrumental``); both measured on the files served. Refusals
charge nothing, on both databases."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import orjson
import pytest
import soundfile

from songgate.client import SongClient
from songgate.engine.listen.melody import melody_notes
from songgate.engine.request import SongRequest
from songgate.engine.song import make_song
from tests.e2e.test_sunoapi_e2e import call, record, refused, submit
from tests.support.admin_cli import balance, other_token, songgate_cli
from tests.support.audio_analysis import estimate_tempo, tempo_matches
from tests.support.engine_server import BACKENDS, LOCAL_MUSIC, checkout_path, database_env
from tests.support.file_server import FileServer
from tests.support.server import (
    Process,
    api_data,
    serving,
    songgate_env,
    wait_task,
)

RATE = 44_100
LYRICS = "[Verse]\nSunday morning light\nCoffee in my hand"
WAIT = 900.0  # seconds a render may take on a busy machine
PRICE = 5
BAND_TEMPO, VOICE_TEMPO = 100.0, 90.0  # the uploads' true tempos (engine songs start on a bar)
ON_GRID_S = 0.05  # a sung note's onset this close to the upload's eighth-note grid is on it
ENGINE_ENV = {"SONGGATE_ROUTES": LOCAL_MUSIC, "SONGGATE_PRICES": f"MUSIC={PRICE}",
              "SONGGATE_UPLOAD_ALLOWED_NETWORKS": "127.0.0.1/32", "PYTHONPATH": checkout_path()}


@dataclass(frozen=True)
class Uploads:
    band: Path  # an engine instrumental at BAND_TEMPO
    voice: Path  # an engine song's vocal stem alone, at VOICE_TEMPO


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> Uploads:
    made = tmp_path_factory.mktemp("made")
    band = make_song(SongRequest(lyrics="", tags=f"pop {BAND_TEMPO:g} bpm", instrumental=True,
                                 max_seconds=18, seed=3), made, stem="band")
    assert band.style.tempo == BAND_TEMPO
    sung = make_song(SongRequest(lyrics=LYRICS + "\nWalking down the street",
                                 tags=f"pop {VOICE_TEMPO:g} bpm", max_seconds=20, seed=7),
                     made, stem="sung")
    assert sung.style.tempo == VOICE_TEMPO
    voice, _ = soundfile.read(sung.stems["vocals"], dtype="float32")
    soundfile.write(made / "voice.wav", voice, RATE, subtype="PCM_16")
    return Uploads(band=band.wav, voice=made / "voice.wav")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("add-parts")


@pytest.fixture(scope="module")
def engine(data_dir: Path) -> Any:
    with serving(data_dir, **ENGINE_ENV) as process:
        songgate_cli(data_dir, ENGINE_ENV, "accounts", "topup", "default", "100")
        yield process


def kept(data_dir: Path, clip_id: str, stem: str) -> np.ndarray:
    """A stem the engine kept beside the clip, mono."""
    audio, rate = soundfile.read(data_dir / "media" / f"{clip_id}_{stem}.flac", always_2d=True)
    assert rate == RATE
    return np.asarray(audio.mean(axis=1))


def served(url: str) -> np.ndarray:
    got = httpx.get(url, timeout=30)
    assert got.status_code == 200, url
    audio, rate = soundfile.read(io.BytesIO(got.content), always_2d=True)
    assert rate == RATE
    return np.asarray(audio)


def band_energy(audio: np.ndarray, low: float = 1000.0, high: float = 4000.0) -> float:
    spectrum = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / RATE)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


def finished(engine: Process, task_id: str) -> list[dict[str, Any]]:
    task = wait_task(engine, task_id, timeout=WAIT)
    assert task["status"] == "SUCCESS", task["fail_reason"]
    clips: list[dict[str, Any]] = task["data"]
    assert len(clips) == 2 and clips[0]["id"] != clips[1]["id"]
    return clips


def test_add_vocals_sings_over_the_upload_on_its_beat(
    engine: Process, data_dir: Path, uploads: Uploads
) -> None:
    upload_seconds = soundfile.info(uploads.band).duration
    with SongClient(engine.url, engine.token) as client:
        upload = client.upload_file(uploads.band)
        before = balance(data_dir, ENGINE_ENV)
        task_id = client.add_vocals(upload.clip_id, LYRICS, tags="pop", title="Morning")
    assert balance(data_dir, ENGINE_ENV) == before - PRICE
    eighth = 60.0 / BAND_TEMPO / 2
    for clip in finished(engine, task_id):
        assert clip["title"] == "Morning"
        song = served(clip["audio_url"])
        assert abs(len(song) / RATE - upload_seconds) < 0.1  # the upload's length
        voice, original = kept(data_dir, clip["id"], "vocals"), kept(data_dir, clip["id"],
                                                                      "original")
        assert np.abs(voice).max() > 0.01
        meta = orjson.loads((data_dir / "media" / ".meta" / f"{clip['id']}.json").read_bytes())
        assert sorted(meta["stems"]) == ["original", "vocals"]
        words = meta["aligned_words"]
        assert [w["word"] for w in words][:3] == ["Sunday", "morning", "light"]
        sung = np.zeros(len(voice), dtype=bool)
        for word in words:
            sung[int(word["start_s"] * RATE):int(word["end_s"] * RATE)] = True
        over_db = 10 * np.log10(band_energy(voice[sung]) / band_energy(original[sung]))
        assert over_db > 1.0, over_db  # the voice over the band where it sings
        notes = [n for n in melody_notes(voice, RATE) if n.offset - n.onset >= 0.12]
        assert len(notes) >= 4
        off_grid = [abs(n.onset - round(n.onset / eighth) * eighth) for n in notes]
        assert float(np.median(off_grid)) <= ON_GRID_S, off_grid
        first = notes[0].onset  # a line starts on a beat
        assert abs(first - round(first / (2 * eighth)) * 2 * eighth) <= 1.5 * ON_GRID_S, first


def test_add_instrumental_plays_a_band_in_the_uploads_tempo(
    engine: Process, data_dir: Path, uploads: Uploads
) -> None:
    upload_audio, _ = soundfile.read(uploads.voice, always_2d=True)
    with SongClient(engine.url, engine.token) as client:
        upload = client.upload_file(uploads.voice)
        task_id = client.add_instrumental(upload.clip_id, tags="funk")
    for clip in finished(engine, task_id):
        song = served(clip["audio_url"])
        assert abs(len(song) - len(upload_audio)) / RATE < 0.1
        meta = orjson.loads((data_dir / "media" / ".meta" / f"{clip['id']}.json").read_bytes())
        parts = [p for p in meta["stems"] if p != "vocals"]
        assert "vocals" in meta["stems"] and {"drums", "bass"} <= set(parts)
        band = sum(kept(data_dir, clip["id"], part) for part in parts)
        assert isinstance(band, np.ndarray) and np.abs(band).max() > 0.01
        measured = estimate_tempo(band, RATE)
        assert tempo_matches(measured, VOICE_TEMPO, tolerance=0.02), measured
        vocal = kept(data_dir, clip["id"], "vocals")  # the upload itself, levelled
        original = upload_audio.mean(axis=1)[: len(vocal)]
        assert np.corrcoef(vocal[: len(original)], original)[0, 1] > 0.95


def test_sunoapi_add_vocals_uploads_the_url_and_sings_over_it(
    engine: Process, uploads: Uploads
) -> None:
    with FileServer() as files:
        url = files.add("band.wav", uploads.band.read_bytes(), "audio/wav")
        missing = call(engine, "POST", "/api/v1/generate/add-vocals", {"uploadUrl": url})
        assert "prompt is empty" in refused(missing, 400)
        task_id = submit(engine, "/api/v1/generate/add-vocals", {
            "uploadUrl": url, "prompt": LYRICS, "style": "soul", "title": "Morning",
            "model": "V4_5", "vocalGender": "m"})
        data = record(engine, task_id, until=("SUCCESS", "GENERATE_AUDIO_FAILED"),
                      timeout=WAIT)
    assert data["status"] == "SUCCESS", data["errorMessage"]
    clips = data["response"]["sunoData"]
    seconds = soundfile.info(uploads.band).duration
    assert len(clips) == 2
    for clip in clips:
        assert clip["title"] == "Morning" and clip["tags"] == "soul"
        assert abs(clip["duration"] - seconds) < 0.1
        assert abs(len(served(clip["audioUrl"])) / RATE - seconds) < 0.1


SCRIPTED_ENV = {"SONGGATE_PRICES": f"MUSIC={PRICE}"}


@pytest.fixture(params=BACKENDS)
def scripted(tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    env = {**SCRIPTED_ENV, **database_env(request)}
    with serving(tmp_path, **env) as process:
        songgate_cli(tmp_path, env, "accounts", "topup", "default", "100")
        yield process, tmp_path, env


def test_refusals_name_the_problem_and_charge_nothing(scripted: Any) -> None:
    server, data_dir, env = scripted
    song = finished(server, api_data(server, "POST", "/suno/submit/music",
                                     {"prompt": LYRICS, "tags": "pop"}))[0]
    with SongClient(server.url, server.token) as client:
        tone = data_dir / "tone.wav"
        soundfile.write(tone, 0.3 * np.sin(np.arange(RATE * 2) * 2 * np.pi * 220 / RATE), RATE)
        upload = client.upload_file(tone)
    before = balance(data_dir, env)

    def refused(body: dict[str, Any]) -> tuple[int, str]:
        got = httpx.post(server.url + "/suno/submit/music", json=body, timeout=30,
                         headers={"Authorization": f"Bearer {server.token}"})
        return got.status_code, got.text

    vocals = {"task": "add_vocals", "prompt": LYRICS}
    status, text = refused({**vocals, "continue_clip_id": "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c"})
    assert status == 404 and "no clip of this account" in text
    status, text = refused({**vocals, "continue_clip_id": song["id"]})
    assert status == 400 and "not an upload" in text
    status, text = refused({"task": "add_vocals", "continue_clip_id": upload.clip_id})
    assert status == 400 and "prompt is empty" in text
    status, text = refused({**vocals, "continue_clip_id": upload.clip_id, "continue_at": 3})
    assert status == 400 and "continue_at does not apply" in text
    status, text = refused({"task": "add_instrumental", "prompt": ""})
    assert status == 400 and "continue_clip_id is empty" in text
    other = other_token(data_dir, env)
    got = httpx.post(server.url + "/suno/submit/music", timeout=30,
                     json={**vocals, "continue_clip_id": upload.clip_id},
                     headers={"Authorization": f"Bearer {other}"})
    assert got.status_code == 404, got.text  # another account's upload is not found
    assert balance(data_dir, env) == before

    lyrics = data_dir / "lyrics.txt"
    lyrics.write_text(LYRICS, encoding="utf-8")
    cli_env = {**songgate_env(data_dir, **env), "SONGGATE_URL": server.url,
               "SONGGATE_TOKEN": server.token}
    done = subprocess.run([sys.executable, "-m", "songgate", "submit", "music", "--add-vocals",
                           upload.clip_id, "--lyrics", str(lyrics), "--tags", "pop"],
                          capture_output=True, text=True, env=cli_env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert len(finished(server, done.stdout.strip())) == 2
    assert balance(data_dir, env) == before - PRICE
