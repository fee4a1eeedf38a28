"""score_to_midi: a type-1 SMF that mido reads back to the same music."""

from __future__ import annotations

import io

import mido
import pytest

from songgate.engine.render.midi import TICKS_PER_BEAT, score_to_midi
from songgate.engine.types import DRUM_CHANNEL, Note, Track
from tests.engine.audio_helpers import score


def _read(data: bytes) -> mido.MidiFile:
    return mido.MidiFile(file=io.BytesIO(data))


def _notes(track: mido.MidiTrack) -> list[tuple[int, int, int, int, int]]:
    """(start tick, end tick, channel, pitch, velocity) of every sounding note."""
    now = 0
    open_notes: dict[tuple[int, int], tuple[int, int]] = {}
    found = []
    for message in track:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            key = (message.channel, message.note)
            assert key not in open_notes, f"note {key} started twice without ending"
            open_notes[key] = (now, message.velocity)
        elif message.type in ("note_off", "note_on"):
            start, velocity = open_notes.pop((message.channel, message.note))
            found.append((start, now, message.channel, message.note, velocity))
    assert not open_notes, "notes left hanging"
    return sorted(found)


def _song() -> tuple[Track, ...]:
    melody = (Note(0.0, 1.0, 69, 100), Note(1.0, 0.5, 72, 90), Note(1.5, 2.5, 76, 110))
    chords = tuple(Note(0.0, 4.0, pitch, 70) for pitch in (57, 60, 64))
    drums = (Note(0.0, 0.25, 36, 120), Note(1.0, 0.25, 38, 100), Note(1.5, 0.25, 42, 60))
    return (
        Track("lead", 73, 0, melody, volume=110, pan=30),
        Track("comp", 0, 1, chords, volume=90, pan=100),
        Track("drums", 25, DRUM_CHANNEL, drums, volume=120, pan=64),
    )


def test_round_trip_keeps_tempo_meter_programs_and_notes() -> None:
    tracks = _song()
    song = score(*tracks, tempo=96.0, seconds=5.0)
    midi = _read(score_to_midi(song))

    assert midi.type == 1
    assert midi.ticks_per_beat == TICKS_PER_BEAT == 480
    assert len(midi.tracks) == 1 + len(tracks)
    meta = {message.type: message for message in midi.tracks[0] if message.is_meta}
    assert meta["set_tempo"].tempo == mido.bpm2tempo(96.0)
    assert (meta["time_signature"].numerator, meta["time_signature"].denominator) == (4, 4)
    assert midi.length == pytest.approx(song.seconds, abs=0.01)

    for expected, written in zip(tracks, midi.tracks[1:], strict=True):
        programs = [m for m in written if m.type == "program_change"]
        controls = {m.control: m.value for m in written if m.type == "control_change"}
        assert [(m.channel, m.program) for m in programs] == [(expected.channel, expected.program)]
        assert controls == {7: expected.volume, 10: expected.pan}
        want = sorted(
            (
                round(n.start * 480),
                round((n.start + n.duration) * 480),
                expected.channel,
                n.pitch,
                n.velocity,
            )
            for n in expected.notes
        )
        assert _notes(written) == want


def test_drums_sit_on_channel_nine_with_the_kit_as_program() -> None:
    midi = _read(score_to_midi(score(*_song(), seconds=5.0)))
    drums = midi.tracks[3]
    channels = {m.channel for m in drums if not m.is_meta}
    assert channels == {DRUM_CHANNEL} == {9}
    assert [m.program for m in drums if m.type == "program_change"] == [25]
    assert [n[3] for n in _notes(drums)] == [36, 38, 42]


def test_equal_scores_give_equal_bytes_whatever_the_note_order() -> None:
    tracks = _song()
    shuffled = tuple(
        Track(t.name, t.program, t.channel, tuple(reversed(t.notes)), t.volume, t.pan)
        for t in tracks
    )
    first = score_to_midi(score(*tracks, seconds=5.0))
    assert first == score_to_midi(score(*tracks, seconds=5.0))
    assert first == score_to_midi(score(*shuffled, seconds=5.0))
    assert first[:4] == b"MThd"


def test_overlapping_notes_of_one_pitch_are_shortened_not_cut_off() -> None:
    # the second A4 starts while the first still sounds; a repeated note follows at once
    notes = (Note(0.0, 2.0, 69, 100), Note(1.0, 2.0, 69, 90), Note(3.0, 1.0, 69, 80))
    midi = _read(score_to_midi(score(Track("lead", 0, 0, notes), seconds=3.0)))
    assert _notes(midi.tracks[1]) == [
        (0, 480, 0, 69, 100),
        (480, 1440, 0, 69, 90),
        (1440, 1920, 0, 69, 80),
    ]


def test_swung_times_round_to_ticks_and_tiny_notes_last_a_tick() -> None:
    notes = (Note(1 / 3, 1 / 6, 60, 64), Note(2.0, 0.0, 62, 200))
    midi = _read(score_to_midi(score(Track("x", 0, 2, notes), seconds=3.0)))
    assert _notes(midi.tracks[1]) == [(160, 240, 2, 60, 64), (960, 961, 2, 62, 127)]


def test_the_conductor_track_lasts_to_the_end_of_the_tail() -> None:
    song = score(Track("x", 0, 0, (Note(0.0, 1.0, 60, 90),)), tempo=120.0, seconds=7.5)
    midi = _read(score_to_midi(song))
    assert sum(m.time for m in midi.tracks[0]) == round(song.total_beats * 480)
    assert sum(m.time for m in midi.tracks[1]) == round(song.total_beats * 480)


def test_a_channel_outside_midi_is_refused() -> None:
    with pytest.raises(ValueError, match="channel"):
        score_to_midi(score(Track("x", 0, 16, (Note(0.0, 1.0, 60, 90),))))
