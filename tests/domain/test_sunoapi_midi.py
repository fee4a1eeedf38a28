"""A MIDI file read as the dialect's ``midiData``: times through tempo changes, pairing."""

from __future__ import annotations

import io

import mido
import pytest

from songgate.domain.sunoapi.midi import MidiUnreadable, midi_data


def file_of(*tracks: list[mido.Message | mido.MetaMessage], per_beat: int = 480) -> bytes:
    midi = mido.MidiFile(type=1, ticks_per_beat=per_beat)
    midi.tracks.extend(mido.MidiTrack(track) for track in tracks)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def test_the_same_pitch_twice_pairs_first_in_first_out_and_untitled_tracks_are_numbered(
) -> None:
    content = file_of([  # no tempo: MIDI's default 120 bpm
        mido.Message("note_on", channel=2, note=60, velocity=127, time=0),
        mido.Message("note_on", channel=2, note=60, velocity=127, time=240),
        mido.Message("note_off", channel=2, note=60, velocity=0, time=240),
        mido.Message("note_off", channel=2, note=60, velocity=0, time=480),
        mido.Message("note_off", channel=2, note=61, velocity=0, time=0),  # never started
    ])
    assert midi_data(content) == {"state": "complete", "instruments": [
        {"name": "Channel 3", "notes": [
            {"pitch": 60, "start": 0.0, "end": 0.5, "velocity": 1.0},
            {"pitch": 60, "start": 0.25, "end": 1.0, "velocity": 1.0}]}]}


def test_a_tempo_change_in_the_middle_of_a_note() -> None:
    content = file_of(
        [mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(60), time=0),
         mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=480)],
        [mido.MetaMessage("track_name", name="Lead", time=0),
         mido.Message("note_on", channel=0, note=72, velocity=64, time=0),
         mido.Message("note_off", channel=0, note=72, velocity=0, time=960)],
    )
    [lead] = midi_data(content)["instruments"]
    assert lead["name"] == "Lead"
    assert lead["notes"] == [{"pitch": 72, "start": 0.0, "end": 1.5,
                              "velocity": round(64 / 127, 4)}]


def test_a_file_without_notes_has_no_instruments_and_other_bytes_are_refused() -> None:
    assert midi_data(file_of([mido.MetaMessage("track_name", name="empty", time=0)])) == {
        "state": "complete", "instruments": []}
    with pytest.raises(MidiUnreadable):
        midi_data(b"RIFF" + b"\0" * 40)
