"""The singer, with the real espeak-ng and WORLD: in tune, in time, and robust.

Pitch is checked by an independent tracker (Praat via parselmouth), never by
reading back the f0 the singer asked for.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import parselmouth
import pytest

from songgate.engine.sing.espeak import espeak_voice, speakable
from songgate.engine.sing.measure import measure_pitch_accuracy, note_errors_cents
from songgate.engine.sing.pitch import contour, midi_to_hz
from songgate.engine.sing.timing import MAX_ONSET_S
from songgate.engine.sing.vocals import sing
from songgate.engine.sing.world import SyllableModel, time_map
from songgate.engine.types import Mode, Score, Syllable, VocalNote

SR = 44_100
Audio = npt.NDArray[np.float32]


def phrase(
    sung: list[str],
    language: str,
    pitches: list[int],
    beats: list[float],
    *,
    tempo: float = 100.0,
    lead: float = 1.0,
    tail: float = 2.0,
) -> Score:
    """Notes back to back after ``lead`` beats of silence, ``tail`` beats after."""
    notes = []
    t = lead
    for text, pitch, length in zip(sung, pitches, beats, strict=True):
        notes.append(VocalNote(t, length, pitch, Syllable(text, text, language, stressed=True)))
        t += length
    return Score(
        tempo=tempo,
        meter=4,
        tonic=0,
        mode=Mode.MAJOR,
        total_beats=t + tail,
        tracks=(),
        vocal=tuple(notes),
    )


ENGLISH = phrase(
    ["hap", "py", "sun", "day", "morn", "ing"], "en", [60, 62, 64, 65, 67, 69], [1, 1, 1, 1, 1, 2]
)
CHINESE = phrase(
    ["kuai4", "le4", "de5", "zhou1", "mo4"], "zh", [67, 65, 64, 62, 60], [1, 1, 1, 1, 2]
)


@pytest.fixture(scope="module")
def english() -> Audio:
    return sing(ENGLISH)


def span(score: Score, note: VocalNote, sr: int = SR) -> tuple[int, int]:
    start = score.seconds_at(note.start)
    return round(start * sr), round((start + score.seconds_at(note.duration)) * sr)


def rms(x: npt.NDArray[np.floating[Any]]) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def voiced_seconds(audio: Audio, sr: int = SR) -> tuple[float, float]:
    """(total pitched time, time of the first pitched frame) by Praat's tracker."""
    pitch = parselmouth.Sound(audio.astype(np.float64), float(sr)).to_pitch_ac(
        time_step=0.005, pitch_floor=70.0, pitch_ceiling=1400.0
    )
    f0 = pitch.selected_array["frequency"]
    times = np.asarray(pitch.xs())
    pitched = f0 > 0
    return float(pitched.sum() * 0.005), float(times[pitched][0])


# --- in tune --------------------------------------------------------------------------


def test_english_phrase_is_in_tune(english: Audio) -> None:
    errors = note_errors_cents(english, SR, ENGLISH)
    assert measure_pitch_accuracy(english, SR, ENGLISH) >= 0.9, errors


def test_chinese_phrase_is_in_tune() -> None:
    audio = sing(CHINESE)
    errors = note_errors_cents(audio, SR, CHINESE)
    assert measure_pitch_accuracy(audio, SR, CHINESE) >= 0.9, errors


def test_male_voice_is_in_tune_an_octave_down() -> None:
    low = phrase(["sun", "day", "morn", "ing"], "en", [48, 52, 55, 43], [1, 1, 1, 2])
    audio = sing(low, voice="m")
    assert measure_pitch_accuracy(audio, SR, low) >= 0.9, note_errors_cents(audio, SR, low)


def test_the_accuracy_measure_can_fail(english: Audio) -> None:
    """A score a fifth away from what was sung must score (near) zero."""
    wrong = phrase(
        ["hap", "py", "sun", "day", "morn", "ing"],
        "en",
        [67, 69, 71, 72, 74, 76],
        [1, 1, 1, 1, 1, 2],
    )
    assert measure_pitch_accuracy(english, SR, wrong) < 0.2


# --- in time --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample_rate", "tempo"), [(44_100, 100.0), (48_000, 97.0), (22_050, 133.0)]
)
def test_length_is_exactly_ceil_of_seconds(sample_rate: int, tempo: float) -> None:
    score = phrase(["la", "la"], "en", [64, 67], [1.0, 1.3], tempo=tempo, tail=0.77)
    audio = sing(score, sample_rate=sample_rate)
    assert audio.dtype == np.float32
    assert audio.shape == (math.ceil(score.seconds * sample_rate),)


def test_sound_inside_every_note_and_silence_well_outside(english: Audio) -> None:
    quiet = np.ones(english.size, dtype=bool)
    margin = round(0.05 * SR)
    for note in ENGLISH.vocal:
        a, b = span(ENGLISH, note)
        middle = english[a + (b - a) // 4 : b - (b - a) // 4]
        assert rms(middle) > 0.02, note
        # onset consonants are sung just before the beat, up to MAX_ONSET_S early
        quiet[max(0, a - round(MAX_ONSET_S * SR) - margin) : b + margin] = False
    assert quiet.sum() > SR  # the lead-in and the tail are long enough to mean something
    assert float(np.max(np.abs(english[quiet]))) < 1e-3


def test_peak_is_normalised(english: Audio) -> None:
    assert float(np.max(np.abs(english))) == pytest.approx(10 ** (-3 / 20), abs=1e-3)


def test_longer_note_sings_longer() -> None:
    short = sing(phrase(["sun"], "en", [64], [1.0]))
    long = sing(phrase(["sun"], "en", [64], [3.0]))
    assert voiced_seconds(long)[0] > 2.0 * voiced_seconds(short)[0]


def test_espeak_longer_note_sings_longer_but_onset_consonant_keeps_its_speed() -> None:
    short = sing(phrase(["sun"], "en", [64], [1.0]), use_flite=False)
    long = sing(phrase(["sun"], "en", [64], [3.0]), use_flite=False)
    short_voiced, short_onset = voiced_seconds(short)
    long_voiced, long_onset = voiced_seconds(long)
    assert long_voiced > 2.0 * short_voiced
    assert abs(long_onset - short_onset) < 0.02  # the "s" is not stretched


def test_very_short_notes_still_sound() -> None:
    score = phrase(["hap", "py", "day", "ah"], "en", [60, 64, 67, 72], [0.1, 0.12, 0.1, 0.1])
    audio = sing(score)  # 60-72 ms notes at 100 bpm
    for note in score.vocal:
        a, b = span(score, note)
        assert rms(audio[a:b]) > 0.01, note


def test_adjacent_notes_glide_but_land_in_tune() -> None:
    score = phrase(["la", "la", "la"], "en", [57, 69, 57], [1, 1, 1])  # octave leaps
    audio = sing(score)
    assert measure_pitch_accuracy(audio, SR, score) == 1.0, note_errors_cents(audio, SR, score)


# --- robust and repeatable ------------------------------------------------------------


def test_same_input_gives_identical_output(english: Audio) -> None:
    assert np.array_equal(sing(ENGLISH), english)
    assert not np.array_equal(sing(ENGLISH, seed=1), english)  # the seed varies vibrato
    assert sing(ENGLISH, seed=-(2**70)).shape == english.shape  # any int is a seed


def test_empty_vocal_is_silence_of_the_right_length() -> None:
    score = phrase([], "en", [], [], lead=3.0, tail=1.5)
    audio = sing(score, sample_rate=48_000)
    assert audio.shape == (math.ceil(score.seconds * 48_000),)
    assert audio.dtype == np.float32
    assert not audio.any()


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (["", "7", "?!", "...", "shh", "🎵"], "en"),
        (["", "12", "。", "kuai", "lv4", "a"], "zh"),
        (["bonjour", "x", " ", "'", "ah", "la"], "fr"),
    ],
)
def test_odd_syllables_are_hummed_not_crashed_on(texts: list[str], language: str) -> None:
    score = phrase(texts, language, [60, 62, 64, 65, 67, 69], [1] * 6)
    audio = sing(score)
    assert audio.shape == (math.ceil(score.seconds * SR),)
    assert np.isfinite(audio).all()
    for note in score.vocal:
        a, b = span(score, note)
        assert rms(audio[a:b]) > 0.01, note


def test_unknown_voice_is_refused() -> None:
    with pytest.raises(ValueError):
        sing(ENGLISH, voice="f1; rm -rf /")
    with pytest.raises(ValueError):
        sing(ENGLISH, voice="f1\n")


# --- the parts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sung", "language", "said"),
    [
        ("Hap!", "en", "hap"),
        ("don't", "en", "don't"),
        ("Café", "en", "cafe"),
        ("", "en", "ah"),
        ("42", "en", "ah"),
        ("shh", "en", "ah"),
        ("kuai4", "zh", "kuai4"),
        ("a", "zh", "a5"),
        ("lv4", "zh", "lü4"),
        ("\uff1f", "zh", "a5"),  # a full-width question mark
    ],
)
def test_speakable(sung: str, language: str, said: str) -> None:
    assert speakable(sung, language) == said


def test_voice_names() -> None:
    assert espeak_voice("zh", "f") == "cmn-latn-pinyin+f1"
    assert espeak_voice("en", "m") == "en-us+m3"
    assert espeak_voice("en", "klatt") == "en-us+klatt"


def test_time_map_stretches_only_the_vowel_and_squeezes_evenly_when_short() -> None:
    # 10 frames of consonant, 20 of vowel, 10 of consonant.
    nucleus = np.zeros(40, dtype=bool)
    nucleus[10:30] = True
    model = SyllableModel(
        fs=22_050, sp=np.ones((40, 4)), ap=np.zeros((40, 4)), voiced=nucleus, nucleus=nucleus
    )
    long = time_map(model, 100)
    assert np.all(np.diff(long) >= 0)
    assert long[:10] == pytest.approx(np.arange(10))  # onset at natural speed
    assert long[-10:] == pytest.approx(np.arange(30, 40))  # coda too
    short = time_map(model, 20)
    assert np.all(np.diff(short) >= 0) and short[0] >= 0 and short[-1] <= 39
    vowel_share = np.mean((short >= 9.5) & (short < 29.5))
    assert vowel_share >= 0.5


def test_contour_glides_in_then_holds_pitch_with_vibrato_later() -> None:
    f0 = contour(200, 0.005, 69, from_pitch=57)  # 1 s at A4, coming from A3
    assert f0[0] == pytest.approx(220.0, rel=1e-3)
    cents = 1200 * np.log2(f0 / midi_to_hz(69))
    assert np.all(np.abs(cents[14:30]) < 1.0)  # settled after the glide, no vibrato yet
    assert 15.0 < np.max(np.abs(cents[100:])) < 45.0  # vibrato later
