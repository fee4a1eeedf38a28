"""render_score: FluidSynth with the GM SoundFont, and the numpy fallback behind it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from songgate.engine.render.instruments import (
    RenderError,
    find_soundfont,
    fluidsynth_path,
    render_score,
)
from songgate.engine.types import DRUM_CHANNEL, Note, Track
from tests.engine.audio_helpers import (
    SR,
    held_note,
    little_band,
    rms_db,
    score,
    strongest_frequency,
)

needs_fluidsynth = pytest.mark.skipif(
    fluidsynth_path() is None or find_soundfont() is None,
    reason="Debian fluidsynth and a GM SoundFont are not installed",
)


def _assert_sound(audio: np.ndarray, seconds: float) -> None:
    assert audio.dtype == np.float32
    assert audio.shape == (math.ceil(seconds * SR), 2)
    assert np.all(np.isfinite(audio))
    assert rms_db(audio) > -50.0  # not silent: a lone piano note decays to about -47 dB RMS


@needs_fluidsynth
def test_fluidsynth_plays_a_sustained_a4_at_440_hz() -> None:
    song = held_note(69, program=73, seconds=10.0)  # flute
    rendered = render_score(song, renderers=("fluidsynth",))
    assert rendered.renderer == "fluidsynth"
    assert rendered.fallbacks == ()
    _assert_sound(rendered.audio, 10.0)
    assert strongest_frequency(rendered.audio, 1.0, 8.0) == pytest.approx(440.0, abs=3.0)
    # the note ends at 9 s: the last half second is (nearly) silent
    assert rms_db(rendered.audio[int(9.6 * SR) :]) < rms_db(rendered.audio[SR : 8 * SR]) - 30


@needs_fluidsynth
def test_fluidsynth_length_is_exact_for_an_uneven_duration() -> None:
    song = held_note(57, program=0, seconds=10.0, tempo=97.0)
    song = score(*song.tracks, tempo=97.0, seconds=10.37)
    rendered = render_score(song, renderers=("fluidsynth",))
    _assert_sound(rendered.audio, song.seconds)


@needs_fluidsynth
def test_fluidsynth_renders_drums_on_the_drum_channel() -> None:
    hits = tuple(Note(beat, 0.25, 36 if beat % 2 == 0 else 38, 110) for beat in range(8))
    song = score(Track("drums", 0, DRUM_CHANNEL, hits), seconds=5.0)
    rendered = render_score(song, renderers=("fluidsynth",))
    _assert_sound(rendered.audio, 5.0)
    # one hit every half second: energy in each hit's first 100 ms beats the gap before it
    for beat in range(1, 8):
        at = int(beat * 0.5 * SR)
        assert rms_db(rendered.audio[at : at + SR // 10]) > rms_db(
            rendered.audio[at - SR // 20 : at]
        )


@needs_fluidsynth
def test_the_full_chain_prefers_fluidsynth() -> None:
    rendered = render_score(little_band(6.0))
    assert rendered.renderer == "fluidsynth"
    _assert_sound(rendered.audio, 6.0)


def test_numpy_fallback_plays_a_sustained_a4_at_440_hz() -> None:
    song = held_note(69, program=73, seconds=10.0)
    rendered = render_score(song, renderers=("numpy",))
    assert rendered.renderer == "numpy"
    _assert_sound(rendered.audio, 10.0)
    assert strongest_frequency(rendered.audio, 1.0, 8.0) == pytest.approx(440.0, abs=3.0)


def test_numpy_fallback_renders_a_band_to_the_exact_length() -> None:
    song = score(*little_band(6.0).tracks, tempo=120.0, seconds=6.21)
    rendered = render_score(song, renderers=("numpy",))
    _assert_sound(rendered.audio, 6.21)


def test_a_file_that_is_no_soundfont_falls_back_to_numpy(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"not a soundfont at all")
    rendered = render_score(held_note(seconds=4.0), soundfont=broken)
    assert rendered.renderer == "numpy"
    assert len(rendered.fallbacks) == 1
    assert rendered.fallbacks[0].startswith("fluidsynth:")
    assert "not a SoundFont" in rendered.fallbacks[0]
    _assert_sound(rendered.audio, 4.0)


@needs_fluidsynth
def test_a_damaged_soundfont_is_not_swapped_for_the_default_one(tmp_path: Path) -> None:
    # a RIFF sfbk header with nothing behind it: fluidsynth fails to load it, exits 0,
    # and would otherwise play the song with its default SoundFont
    damaged = tmp_path / "damaged.sf2"
    damaged.write_bytes(b"RIFF\x10\x00\x00\x00sfbkLIST\x00\x00\x00\x00garbage")
    rendered = render_score(held_note(seconds=3.0), soundfont=damaged)
    assert rendered.renderer == "numpy"
    assert "fluidsynth" in rendered.fallbacks[0]
    _assert_sound(rendered.audio, 3.0)


def test_a_missing_soundfont_falls_back_to_numpy(tmp_path: Path) -> None:
    rendered = render_score(held_note(seconds=3.0), soundfont=tmp_path / "absent.sf2")
    assert rendered.renderer == "numpy"
    assert "SoundFont" in rendered.fallbacks[0]


def test_a_missing_fluidsynth_program_falls_back_to_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    assert fluidsynth_path() is None
    rendered = render_score(held_note(seconds=3.0))
    assert rendered.renderer == "numpy"
    assert "not installed" in rendered.fallbacks[0]


def test_a_score_without_notes_renders_silence_of_the_right_length() -> None:
    rendered = render_score(score(seconds=2.5), renderers=("numpy",))
    assert rendered.audio.shape == (math.ceil(2.5 * SR), 2)
    assert not np.any(rendered.audio)


def test_when_every_renderer_fails_the_error_says_why() -> None:
    with pytest.raises(RenderError, match="unknown renderer 'midi-box'"):
        render_score(held_note(seconds=2.0), renderers=("midi-box",))


def test_capabilities_point_at_real_files() -> None:
    font = find_soundfont()
    assert font is None or (font.is_file() and font.suffix in (".sf2", ".sf3"))
    program = fluidsynth_path()
    assert program is None or Path(program).exists()
