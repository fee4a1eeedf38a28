"""The singer's effort per section: the curve itself, and the voice it rides in the mix."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from songgate.engine.master.effort import LIFT_DB, SECTION_DB, effort_curve, section_db
from songgate.engine.master.mix import VOCALS, integrated_lufs, mix_stems
from songgate.engine.master.room import room_for
from songgate.engine.types import Mode, Score, SectionKind, SectionSpan
from tests.engine.audio_helpers import SR

Audio = npt.NDArray[np.float32]
TEMPO = 120.0  # a beat is 0.5 s, a 4/4 bar 2 s

SECTIONS = (
    SectionSpan(SectionKind.INTRO, "Intro", 0, 2),
    SectionSpan(SectionKind.VERSE, "Verse", 2, 4),
    SectionSpan(SectionKind.CHORUS, "Chorus", 6, 4),
    SectionSpan(SectionKind.CHORUS, "Chorus (lift)", 10, 4),
)


def _score(seconds: float = 28.0) -> Score:
    return Score(TEMPO, 4, 0, Mode.MAJOR, seconds * TEMPO / 60.0, (), (), SECTIONS)


def _db_at(curve: Audio, seconds: float) -> float:
    return 20.0 * math.log10(float(curve[round(seconds * SR)]))


def test_verses_are_sung_back_and_the_lifted_chorus_pushed() -> None:
    assert section_db(SectionKind.CHORUS, "Chorus") == 0.0
    assert section_db(SectionKind.VERSE, "Verse 2") == SECTION_DB[SectionKind.VERSE] <= -2.0
    assert section_db(SectionKind.CHORUS, "Chorus (lift)") == LIFT_DB > 0.0
    curve = effort_curve(_score(), 28 * SR, SR)
    assert curve.shape == (28 * SR,) and curve.dtype == np.float32
    assert abs(_db_at(curve, 5.0) - SECTION_DB[SectionKind.VERSE]) < 1e-3  # mid-verse
    assert abs(_db_at(curve, 15.0)) < 1e-3  # mid-chorus
    assert abs(_db_at(curve, 25.0) - LIFT_DB) < 1e-3  # the lifted chorus, to the end


def test_the_voice_builds_over_the_beat_before_the_chorus() -> None:
    curve = effort_curve(_score(), 28 * SR, SR)
    chorus = 12 * SR  # bar 6 at 2 s a bar
    ramp = curve[chorus - SR // 2 : chorus]
    assert np.all(np.diff(ramp) >= 0) and ramp[-1] > ramp[0]  # rises, never jumps back
    assert abs(float(curve[chorus]) - 1.0) < 1e-6  # full by the chorus's first bar line
    before = curve[: chorus - SR // 2]
    assert float(before.max()) < 1.0  # the verse stays back until the last beat before it
    steps = np.abs(np.diff(20 * np.log10(curve.astype(np.float64))))
    assert float(steps.max()) < 0.01  # no step anywhere: at most 0.01 dB a sample


def test_no_sections_no_change() -> None:
    bare = Score(TEMPO, 4, 0, Mode.MAJOR, 8.0, ())
    assert np.all(effort_curve(bare, SR, SR) == 1.0)
    assert effort_curve(_score(), 0, SR).shape == (0,)


def _voice(seconds: float) -> Audio:
    """A steady voice-like tone with harmonics up to 5 kHz, sung throughout."""
    t = np.arange(int(seconds * SR)) / SR
    tone = sum(0.3 / k * np.sin(2 * np.pi * 220.0 * k * t) for k in range(1, 23))
    return np.asarray(0.05 * tone, dtype=np.float32)


def test_the_mixed_voice_follows_the_curve_after_its_compressor() -> None:
    rng = np.random.default_rng(3)
    band = {"other": (0.1 * rng.standard_normal((28 * SR, 2))).astype(np.float32)}
    voice = _voice(28.0)
    curve = effort_curve(_score(), len(voice), SR)
    ridden = mix_stems(band, voice, SR, room=room_for("folk"), tempo=TEMPO, vocal_gain=curve)
    flat = mix_stems(band, voice, SR, room=room_for("folk"), tempo=TEMPO)
    verse = slice(5 * SR, 11 * SR)
    chorus = slice(13 * SR, 19 * SR)

    def chorus_over_verse(stems: dict[str, Audio]) -> float:
        vocal = stems[VOCALS]
        return integrated_lufs(vocal[chorus], SR) - integrated_lufs(vocal[verse], SR)

    assert abs(chorus_over_verse(flat)) < 0.3  # the compressor alone holds one level
    assert abs(chorus_over_verse(ridden) + SECTION_DB[SectionKind.VERSE]) < 0.3
    # the band is ducked alike wherever the voice sings, however loud it sings there
    assert np.allclose(ridden["other"], flat["other"])


def test_a_short_curve_holds_its_last_value() -> None:
    band = {"other": np.zeros((4 * SR, 2), dtype=np.float32)}
    voice = _voice(4.0)
    half = np.full(2 * SR, 0.5, dtype=np.float32)
    stems = mix_stems(band, voice, SR, vocal_gain=half)
    vocal = stems[VOCALS]
    first, second = vocal[SR // 2 : 3 * SR // 2], vocal[5 * SR // 2 : 7 * SR // 2]
    assert abs(integrated_lufs(first, SR) - integrated_lufs(second, SR)) < 0.3
