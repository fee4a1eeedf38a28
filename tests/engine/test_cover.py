"""A cover keeps its song's tempo, key, tune and form and takes the new style's sound."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from songgate.engine.compose.score import compose
from songgate.engine.cover import covered, tagged
from songgate.engine.guide import Guide, GuideChord, GuideNote, GuideWord, guided_style
from songgate.engine.request import CoverSource, SongRequest
from songgate.engine.scoring import composed, style_and_form
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import Mode, Score

LYRICS = "[Verse]\nwalking down the river road\nsinging all the way back home\n" \
         "[Chorus]\nhold on hold on to the light\nhold on through the longest night\n"


def _score(request: SongRequest) -> Score:
    style, form = style_and_form(request)
    return composed(request, style, form, request.max_seconds).score


def _correlation(first: Score, second: Score) -> float:
    """Pitches of the syllables both sing, paired in lyric order."""
    a = [(n.syllable.text, n.pitch) for n in first.vocal]
    b = [(n.syllable.text, n.pitch) for n in second.vocal]
    matcher = difflib.SequenceMatcher(a=[t for t, _ in a], b=[t for t, _ in b], autojunk=False)
    pairs = [(a[block.a + k][1], b[block.b + k][1])
             for block in matcher.get_matching_blocks() for k in range(block.size)]
    assert len(pairs) >= 0.8 * len(a)
    return float(np.corrcoef([p for p, _ in pairs], [q for _, q in pairs])[0, 1])


def _guide_of(score: Score, words: bool) -> Guide:
    """What a perfect listener would hear of ``score``."""
    melody = tuple(GuideNote(n.start, n.duration, n.pitch) for n in score.vocal)
    sung: list[GuideWord] = []
    text, start = "", 0.0
    for note in score.vocal:
        if not text:
            start = note.start
        text += note.syllable.text
        if note.syllable.word_end:
            sung.append(GuideWord(text.lower().strip(",.!?"), start, note.start + note.duration))
            text = ""
    return Guide(tempo=score.tempo, meter=score.meter, tonic=score.tonic, mode=score.mode,
                 melody=melody, words=tuple(sung) if words else ())


@pytest.mark.parametrize("words", [True, False])
def test_the_guided_melody_sings_the_guides_tune_in_another_style(words: bool) -> None:
    original = compose(parse_style("pop", seed=4), parse_form(LYRICS), seed=4, max_seconds=90)
    guide = _guide_of(original, words)
    style = guided_style(parse_style("rock, electric guitar", seed=9), guide)
    cover = compose(style, parse_form(LYRICS), seed=9, max_seconds=90, guide=guide)
    assert (cover.tempo, cover.tonic, cover.mode) == (original.tempo, original.tonic,
                                                      original.mode)
    assert _correlation(original, cover) >= (0.8 if words else 0.5)


def test_tags_that_name_a_tempo_or_key_win_over_the_analysis() -> None:
    guide = Guide(tempo=100.0, meter=4, tonic=2, mode=Mode.MAJOR,
                  chords=(GuideChord(2, False), GuideChord(7, False)),
                  melody=(GuideNote(0.0, 1.0, 62), GuideNote(1.0, 1.0, 66)))
    assert tagged(guide, "rock") == guide
    faster = tagged(guide, "rock, 128 bpm, key of E")
    assert (faster.tempo, faster.tonic, faster.mode) == (128.0, 4, Mode.MAJOR)
    assert [c.root for c in faster.chords] == [4, 9]
    assert [n.pitch for n in faster.melody] == [64, 68]
    minor = tagged(guide, "sad piano in D minor")
    assert (minor.tonic, minor.mode, minor.chords) == (2, Mode.MINOR, ())


def test_a_rendered_song_is_covered_from_its_audio_alone(tmp_path: Path) -> None:
    from songgate.engine.song import make_song  # the whole pipeline: one short render

    request = SongRequest(lyrics=LYRICS, tags="pop, piano", seed=11, max_seconds=40.0)
    files = make_song(request, tmp_path, stem="original")
    source = CoverSource(files.wav, files.stems.get("vocals"), files.timing)
    cover = covered(replace(request, tags="folk, acoustic guitar", seed=5, style_seed=5,
                            cover=source))
    assert cover.cover is None and cover.guide is not None and cover.guide.words
    original, remade = _score(request), _score(cover)
    ratio = remade.tempo / original.tempo
    assert min(abs(ratio - k) for k in (0.5, 1.0, 2.0)) <= 0.02 * max(ratio, 1.0)
    assert (remade.tonic, remade.mode) == (original.tonic, original.mode)
    assert _correlation(original, remade) >= 0.7
    assert remade.tracks != original.tracks
