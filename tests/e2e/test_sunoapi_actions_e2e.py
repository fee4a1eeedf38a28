"""sunoapi.org's MIDI and persona routes, through real HTTP, field by field.

Shapes of ``SUNO-ACTIONS.md`` and the dialect's documentation: ``/midi/generate`` answers
``data.taskId``; ``/midi/record-info`` answers ``midiData.instruments[].notes[]`` with
pitch, start, end, velocity; ``/generate/generate-persona`` answers ``personaId``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import mido
import orjson
import pytest

from tests.e2e.test_sunoapi_e2e import ENV, LYRICS, call, ok, record, refused, submit
from tests.support.server import Process, free_port, start

MIDI_RECORD_FIELDS = {"taskId", "recordTaskId", "audioId", "callbackUrl", "completeTime",
                      "midiData", "midiUrl", "successFlag", "createTime", "errorCode",
                      "errorMessage"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    process = start("serve", tmp_path_factory.mktemp("sunoapi-actions"), port=free_port(),
                    **ENV)
    yield process
    process.stop()


def media_dir(server: Process) -> Path:
    return server.log_path.parent / "media"


def song(server: Process, title: str) -> tuple[str, list[str]]:
    task_id = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "pop",
        "title": title})
    clips = record(server, task_id)["response"]["sunoData"]
    return task_id, [clip["id"] for clip in clips]


def write_midi(path: Path) -> None:
    """Two beats of bass at 120 bpm, then one at 60 bpm, and a drum hit (GM channel 10)."""
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    conductor = mido.MidiTrack([
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=0),
        mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60), time=960)])
    bass = mido.MidiTrack([
        mido.MetaMessage("track_name", name="Bass", time=0),
        mido.Message("note_on", channel=1, note=40, velocity=127, time=0),
        mido.Message("note_off", channel=1, note=40, velocity=0, time=960),
        mido.Message("note_on", channel=1, note=43, velocity=64, time=0),
        mido.Message("note_on", channel=1, note=43, velocity=0, time=480)])
    drums = mido.MidiTrack([
        mido.MetaMessage("track_name", name="kit", time=0),
        mido.Message("note_on", channel=9, note=36, velocity=100, time=480),
        mido.Message("note_off", channel=9, note=36, velocity=0, time=240)])
    midi.tracks.extend([conductor, bass, drums])
    path.parent.mkdir(parents=True, exist_ok=True)
    midi.save(str(path))


def test_midi_of_a_clip(server: Process) -> None:
    task_id, [clip_id, second] = song(server, "Notes")
    write_midi(media_dir(server) / f"{clip_id}.mid")
    made = ok(call(server, "POST", "/api/v1/midi/generate",
                   {"taskId": task_id, "audioId": clip_id,
                    "callBackUrl": "https://example.com/cb"}))
    assert made == {"taskId": f"midi-{clip_id}"}
    assert ok(call(server, "POST", "/api/v1/midi/generate", {"taskId": task_id})) == made

    data = ok(call(server, "GET", "/api/v1/midi/record-info", taskId=made["taskId"]))
    assert set(data) == MIDI_RECORD_FIELDS
    assert data["taskId"] == f"midi-{clip_id}" and data["audioId"] == clip_id
    assert data["recordTaskId"] == -1 and data["successFlag"] == 1
    assert data["errorCode"] is None and data["errorMessage"] is None
    assert isinstance(data["completeTime"], int) and data["completeTime"] > 1_600_000_000_000
    assert data["createTime"] == data["completeTime"]
    assert data["midiUrl"].endswith(f"/media/{clip_id}.mid")
    assert data["midiData"] == {"state": "complete", "instruments": [
        {"name": "Bass", "notes": [
            {"pitch": 40, "start": 0.0, "end": 1.0, "velocity": 1.0},
            {"pitch": 43, "start": 1.0, "end": 2.0, "velocity": round(64 / 127, 4)}]},
        {"name": "Drums", "notes": [
            {"pitch": 36, "start": 0.5, "end": 0.75, "velocity": round(100 / 127, 4)}]},
    ]}

    assert "MIDI" in refused(call(server, "POST", "/api/v1/midi/generate",
                                  {"taskId": task_id, "audioId": second}), 400)
    assert "taskId" in refused(call(server, "POST", "/api/v1/midi/generate",
                                    {"audioId": clip_id}), 400)
    refused(call(server, "POST", "/api/v1/midi/generate", {"taskId": "no-such-task"}), 404)
    other, _ = song(server, "Other")
    refused(call(server, "POST", "/api/v1/midi/generate",
                 {"taskId": other, "audioId": clip_id}), 404)
    refused(call(server, "GET", "/api/v1/midi/record-info", taskId=f"wav-{clip_id}"), 404)
    refused(call(server, "GET", "/api/v1/midi/record-info", taskId="midi-no-such-clip"), 404)
    assert "taskId" in refused(call(server, "GET", "/api/v1/midi/record-info"), 400)
    refused(call(server, "GET", "/api/v1/midi/record-info", taskId=made["taskId"], token=""),
            401)


def test_generate_persona_and_sing_with_it(server: Process) -> None:
    task_id, [clip_id, plain] = song(server, "Voice")
    meta = media_dir(server) / ".meta" / f"{clip_id}.json"
    meta.parent.mkdir(parents=True, exist_ok=True)
    # the scripted provider keeps no voice: place what the engine keeps of a clip it sang
    meta.write_bytes(orjson.dumps({"tags": "dream pop", "negative_tags": "metal",
                                   "style_seed": 42, "singer": "f"}))
    made = ok(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": task_id, "audioId": clip_id, "name": "Nova",
        "description": "airy and warm"}))
    assert set(made) == {"personaId", "name", "description"}
    assert made["name"] == "Nova" and made["description"] == "airy and warm"
    assert isinstance(made["personaId"], str) and made["personaId"]

    sung = submit(server, "/api/v1/generate", {
        "customMode": True, "instrumental": False, "prompt": LYRICS, "style": "ballad",
        "title": "Again", "personaId": made["personaId"]})
    assert record(server, sung)["status"] == "SUCCESS"
    assert "personaId" in refused(call(server, "POST", "/api/v1/generate", {
        "customMode": False, "prompt": "a song", "personaId": "no-such-persona"}), 404)

    assert "name" in refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": task_id, "audioId": clip_id, "name": " "}), 400)
    assert "audioId" in refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": task_id, "name": "Nova"}), 400)
    assert "taskId" in refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "audioId": clip_id, "name": "Nova"}), 400)
    assert "audioId" in refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": task_id, "audioId": plain, "name": "Plain"}), 400)
    other, _ = song(server, "Elsewhere")
    refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": other, "audioId": clip_id, "name": "Nova"}), 404)
    refused(call(server, "POST", "/api/v1/generate/generate-persona", {
        "taskId": task_id, "audioId": clip_id, "name": "x" * 101}), 413)  # text too long
