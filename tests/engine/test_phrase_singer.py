"""Whole-phrase singing with Flite: real libflite, real WORLD, pitch checked by Praat."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from songgate.engine.sing import flite, voices
from songgate.engine.sing.measure import measure_pitch_accuracy, note_errors_cents
from songgate.engine.sing.phrases import phrases, words
from songgate.engine.sing.vocals import sing
from songgate.engine.types import Mode, Score, Syllable, VocalNote

SR = 44_100
TEMPO = 100.0


def line(
    pieces: list[tuple[str, bool]], pitches: list[int], beats: list[float], start: float = 1.0
) -> list[VocalNote]:
    """Notes back to back; each piece is (text, ends a word)."""
    notes, t = [], start
    for (text, word_end), pitch, length in zip(pieces, pitches, beats, strict=True):
        syllable = Syllable(text, text, "en", stressed=True, word_end=word_end)
        notes.append(VocalNote(t, length, pitch, syllable))
        t += length
    return notes


def score_of(notes: list[VocalNote], tail: float = 2.0) -> Score:
    end = max(n.start + n.duration for n in notes)
    return Score(TEMPO, 4, 0, Mode.MAJOR, end + tail, (), tuple(notes))


SUNNY = line(
    [("The", True), ("sun", False), ("ny", True), ("mor", False), ("ning", True),
     ("light", True)],
    [62, 64, 65, 67, 65, 64],
    [0.5, 0.5, 0.5, 0.5, 0.5, 1.5],
)
SECOND = line(
    [("We", True), ("walk", True), ("a", False), ("long", True)],
    [67, 65, 64, 62],
    [0.5, 0.5, 0.5, 2.0],
    start=7.0,
)
TWO_LINES = score_of(SUNNY + SECOND)


@pytest.fixture
def no_flite(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """libflite as if it were not installed: its library name points nowhere."""
    monkeypatch.setattr(flite, "LIBRARIES", ("flite_not_installed",))
    flite.forget()
    yield
    monkeypatch.undo()
    flite.forget()


def test_flite_speaks_a_phrase_with_phone_timings() -> None:
    spoken = flite.speak("the sunny morning light", "slt")
    assert spoken.rate == 16_000 and spoken.samples.size > 0.5 * spoken.rate
    assert spoken.words == ("the", "sunny", "morning", "light")
    assert spoken.syllables_per_word == (1, 2, 2, 1)
    ends = [p.end for p in spoken.phones]
    assert ends == sorted(ends) and ends[-1] <= spoken.samples.size / spoken.rate + 0.01
    assert sum(p.vowel for p in spoken.phones) == 6


def test_a_slower_pace_lengthens_the_phrase_and_its_phones() -> None:
    natural = flite.speak("the sunny morning light", "slt")
    slow = flite.speak("the sunny morning light", "slt", pace=1.7)
    ratio = slow.phones[-1].end / natural.phones[-1].end
    assert 1.5 < ratio < 1.9
    assert slow.samples.size > 1.5 * natural.samples.size
    again = flite.speak("the sunny morning light", "slt")  # the pace does not stick
    assert again.phones[-1].end == pytest.approx(natural.phones[-1].end)


@pytest.mark.parametrize("pace", [0.0, -1.0, 10.0])
def test_a_pace_out_of_bounds_is_refused(pace: float) -> None:
    with pytest.raises(ValueError, match="pace"):
        flite.speak("light", "slt", pace=pace)


def test_notes_are_cut_into_phrases_of_words() -> None:
    found = phrases(TWO_LINES)
    assert [len(p.notes) for p in found] == [6, 4]
    assert words(found[0].notes) == [("the", 1), ("sunny", 2), ("morning", 2), ("light", 1)]


def test_the_female_and_male_flite_voices_are_chosen() -> None:
    assert voices.flite_voice("f") == "slt"
    assert voices.flite_voice("m") == "rms"
    assert voices.flite_voice("f1") is None  # an espeak-ng variant


@pytest.mark.parametrize("voice", ["f", "m"])
def test_every_note_is_voiced_and_in_tune(voice: str) -> None:
    score = voices.fit_register(TWO_LINES, voice)
    audio = sing(score, sample_rate=SR, voice=voice)
    for note in score.vocal:
        start = round(score.seconds_at(note.start) * SR)
        end = round(score.seconds_at(note.start + note.duration) * SR)
        middle = audio[start + (end - start) // 4 : end - (end - start) // 4]
        assert float(np.sqrt(np.mean(np.square(middle)))) > 0.02, note
    accuracy = measure_pitch_accuracy(audio, SR, score)
    assert accuracy >= 0.9, note_errors_cents(audio, SR, score)


def test_the_male_voice_sings_its_line_lower() -> None:
    low = voices.fit_register(TWO_LINES, "m")
    assert {b.pitch - a.pitch for a, b in zip(TWO_LINES.vocal, low.vocal, strict=True)} == {-12}
    assert voices.fit_register(TWO_LINES, "f1") == TWO_LINES  # espeak-ng: as written


def test_without_libflite_espeak_sings_instead(no_flite: None) -> None:
    assert voices.flite_voice("f") is None
    assert "espeak-ng" in voices.describe()
    audio = sing(TWO_LINES, sample_rate=SR, voice="f")
    assert measure_pitch_accuracy(audio, SR, TWO_LINES) >= 0.9


def test_english_and_chinese_in_one_song_both_sing() -> None:
    chinese = [
        VocalNote(9.0 + i, 1.0, pitch, Syllable(text, text, "zh", stressed=True))
        for i, (text, pitch) in enumerate([("ni3", 64), ("hao3", 62)])
    ]
    score = score_of(SUNNY + chinese)
    audio = sing(score, sample_rate=SR, voice="f")
    assert measure_pitch_accuracy(audio, SR, score) >= 0.9, note_errors_cents(audio, SR, score)
