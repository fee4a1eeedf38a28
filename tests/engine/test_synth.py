"""The numpy synthesiser: in tune, in time, panned, every GM program and drum sounding."""

from __future__ import annotations

import math

import numpy as np
import pytest

from songgate.engine.render.synth import synthesize
from songgate.engine.render.synth_drums import drum_hit
from songgate.engine.render.synth_voices import frequency, render_note, voice_for
from songgate.engine.types import DRUM_CHANNEL, Note, Track
from tests.engine.audio_helpers import (
    SR,
    held_note,
    little_band,
    rms_db,
    score,
    strongest_frequency,
)

SPEC_DRUMS = (36, 38, 40, 37, 39, 42, 44, 46, 49, 51, 45, 47, 50, 56, 75, 62, 63, 64, 65, 66, 70)


@pytest.mark.parametrize(
    ("program", "pitch"),
    [(0, 69), (16, 69), (25, 69), (33, 45), (40, 69), (48, 69), (56, 62), (66, 69), (81, 76)],
)
def test_held_notes_sound_at_their_pitch(program: int, pitch: int) -> None:
    audio = synthesize(held_note(pitch, program=program, seconds=3.0))
    f0 = frequency(pitch)
    found = strongest_frequency(audio, 0.3, 1.8)
    # the strongest partial is a harmonic of the note, within a quarter of a semitone
    # (an organ's 4' stop or the room can make the octave the loudest partial)
    harmonic = max(1, round(found / f0))
    assert abs(12 * math.log2(found / (harmonic * f0))) < 0.25, (program, found)
    # and the fundamental itself is strong
    assert _level_at(audio, f0) > _level_at(audio, found) - 12.0, program


def _level_at(audio: np.ndarray, freq: float) -> float:
    segment = audio[int(0.3 * SR) : int(1.8 * SR)].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(segment.shape[0])))
    width = freq * (2 ** (0.3 / 12) - 1)  # ±0.3 semitone, room for vibrato
    bins = np.fft.rfftfreq(segment.shape[0], 1.0 / SR)
    near = spectrum[(bins > freq - width) & (bins < freq + width)]
    return float(20 * np.log10(near.max()))


def test_a_flute_a4_is_strongest_at_440_hz() -> None:
    audio = synthesize(held_note(69, program=73, seconds=3.0))
    assert strongest_frequency(audio, 0.3, 1.8) == pytest.approx(440.0, abs=1.5)


def test_every_gm_program_sounds_finite_and_bounded() -> None:
    for program in range(128):
        for pitch in (28, 60, 100):
            wave = render_note(voice_for(program), pitch, 100, 0.3, SR)
            assert np.all(np.isfinite(wave)), program
            assert 0.01 < float(np.max(np.abs(wave))) <= 1.5, (program, pitch)


def test_every_drum_note_the_arrangements_use_makes_a_distinct_sound() -> None:
    hits = {note: drum_hit(note, 100, 0, SR) for note in SPEC_DRUMS}
    for note, hit in hits.items():
        assert np.all(np.isfinite(hit)) and float(np.max(np.abs(hit))) > 0.05, note
    assert len({hit.tobytes() for hit in hits.values()}) == len(hits)
    unknown = drum_hit(34, 100, 0, SR)  # not in the kit: a short click
    assert 0 < unknown.shape[0] < SR // 10 and np.any(unknown)
    assert drum_hit(36, 25, 25, SR).shape[0] > drum_hit(36, 25, 0, SR).shape[0]  # 808 boom


def test_drum_hits_land_on_the_beat() -> None:
    beats = (0.0, 1.0, 2.0, 3.0, 4.5, 6.0)
    kicks = tuple(Note(beat, 0.25, 36, 110) for beat in beats)
    audio = synthesize(score(Track("drums", 0, DRUM_CHANNEL, kicks), seconds=4.0))
    level = np.abs(audio).max(axis=1)
    assert float(level[: int(0.005 * SR)].max()) > 0.1  # the first hit, at once
    for beat in beats[1:]:
        at = round(beat * 0.5 * SR)  # 120 bpm: half a second a beat
        before = float(level[at - 200 : at - 20].max())
        after = float(level[at : at + int(0.01 * SR)].max())
        assert after > 2 * before + 0.05, beat


def test_pan_places_tracks_left_and_right() -> None:
    note = (Note(0.0, 3.0, 64, 100),)
    left = synthesize(score(Track("l", 0, 0, note, pan=0), seconds=2.0))
    right = synthesize(score(Track("r", 0, 0, note, pan=127), seconds=2.0))
    assert rms_db(left[:, 0]) > rms_db(left[:, 1]) + 6
    assert rms_db(right[:, 1]) > rms_db(right[:, 0]) + 6


def test_volume_scales_a_track_against_the_others() -> None:
    def balance(volume: int) -> float:
        """dB of a flute's A4 (volume varies) over another flute's E5 (volume 127)."""
        varied = Track("a", 73, 0, (Note(0.0, 3.0, 69, 100),), volume=volume)
        fixed = Track("b", 73, 1, (Note(0.0, 3.0, 76, 100),), volume=127)
        audio = synthesize(score(varied, fixed, seconds=2.0))
        return _level_at(audio, frequency(69)) - _level_at(audio, frequency(76))

    # General MIDI: CC7 sets the level in proportion to the value squared
    assert balance(127) - balance(64) == pytest.approx(40 * math.log10(127 / 64), abs=1.5)


def test_a_band_renders_deterministically_at_the_exact_length() -> None:
    song = little_band(5.0)
    first = synthesize(song)
    assert first.shape == (math.ceil(song.seconds * SR), 2)
    assert first.dtype == np.float32
    assert float(np.max(np.abs(first))) == pytest.approx(0.8, abs=1e-3)
    assert np.array_equal(first, synthesize(song))


def test_notes_past_the_end_and_empty_scores_are_harmless() -> None:
    late = Track("late", 0, 0, (Note(100.0, 4.0, 60, 90), Note(3.5, 4.0, 60, 90)))
    audio = synthesize(score(late, seconds=2.0))
    assert audio.shape == (2 * SR, 2) and np.all(np.isfinite(audio))
    silent = synthesize(score(seconds=1.0))
    assert silent.shape == (SR, 2) and not np.any(silent)
