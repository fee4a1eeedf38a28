"""Whole songs: the arrangement around the lyrics, checked on real composed scores and audio.

Styles come from ``parse_style`` and lyrics from ``parse_form``, as ``make_song`` gets
them. How loud choruses are against verses after mastering is measured by
benchmarks/arrangement.py; here the mechanics: which sections exist, what repeats,
that every word is sung, that choruses carry more notes, that the end rings out.
"""

from __future__ import annotations

import numpy as np
import pytest

from songgate.engine.compose.score import compose
from songgate.engine.render.instruments import render_score
from songgate.engine.style.parse import parse_style
from songgate.engine.style.presets import PRESETS
from songgate.engine.text.form import parse_form
from songgate.engine.types import DRUM_CHANNEL, SAMPLE_RATE, Form, Score, SectionKind, SectionSpan

FOUR_LINES = """Rain on the window, light in the hall
I hear you singing over it all
Hold me a moment, hold me for good
I would stay longer if I could"""

SIXTEEN_LINES = """[Verse 1]
Rain on the window, light in the hall
I hear you singing over it all
Hold me a moment, hold me for good
I would stay longer if I could
[Chorus]
Oh we are running into the sun
Nothing can stop us now we are one
Sing it out loud and sing it again
We will be dancing until the end
[Verse 2]
Morning is breaking over the town
Nobody knows where we are bound
Carry the fire, carry the song
Hold on to the ones who carried you along
[Chorus]
Oh we are running into the sun
Nothing can stop us now we are one
Sing it out loud and sing it again
We will be dancing until the end"""

GENRES = [preset.name for preset in PRESETS]


def song(genre: str, lyrics: str, max_seconds: float = 240.0, seed: int = 5) -> Score:
    style = parse_style(genre, "", seed=seed)
    return compose(style, parse_form(lyrics), seed=seed, max_seconds=max_seconds)


def kinds(score: Score) -> list[SectionKind]:
    return [span.kind for span in score.sections]


def bounds(score: Score, span: SectionSpan) -> tuple[float, float]:
    return span.start_bar * score.meter, (span.start_bar + span.bars) * score.meter


def sung_lines(score: Score, span: SectionSpan) -> list[str]:
    start, end = bounds(score, span)
    return [v.syllable.sung for v in score.vocal if start <= v.start < end]


def lyric_syllables(form: Form) -> list[str]:
    return [s.sung for section in form.sections for ln in section.lines for s in ln.syllables]


@pytest.mark.parametrize("genre", GENRES)
@pytest.mark.parametrize("lyrics", [FOUR_LINES, SIXTEEN_LINES, ""], ids=["4", "16", "none"])
def test_every_song_has_intro_solo_lifted_chorus_and_outro(genre: str, lyrics: str) -> None:
    score = song(genre, lyrics)
    found = kinds(score)
    assert found[0] is SectionKind.INTRO and found[-1] is SectionKind.OUTRO
    assert SectionKind.INSTRUMENTAL in found
    assert found[-2] is SectionKind.CHORUS and score.sections[-2].label.endswith("(lift)")
    assert score.seconds <= 240.0


@pytest.mark.parametrize("genre", GENRES)
def test_the_last_chorus_is_sung_again(genre: str) -> None:
    score = song(genre, SIXTEEN_LINES)
    choruses = [s for s in score.sections if s.kind is SectionKind.CHORUS]
    assert len(choruses) >= 3
    assert sung_lines(score, choruses[-1]) == sung_lines(score, choruses[-2])
    assert sung_lines(score, choruses[-1])


@pytest.mark.parametrize("genre", GENRES)
def test_four_lines_make_a_song_of_minutes(genre: str) -> None:
    score = song(genre, FOUR_LINES)
    assert 100.0 <= score.seconds <= 200.0
    words = lyric_syllables(parse_form(FOUR_LINES))
    assert [v.syllable.sung for v in score.vocal][: len(words)] == words


@pytest.mark.parametrize("limit", [20.0, 45.0, 75.0, 110.0, 160.0])
@pytest.mark.parametrize("lyrics", [FOUR_LINES, SIXTEEN_LINES, ""], ids=["4", "16", "none"])
def test_never_longer_than_asked(limit: float, lyrics: str) -> None:
    for genre in ("pop", "ballad", "salsa"):
        assert song(genre, lyrics, max_seconds=limit).seconds <= limit + 1e-9


def test_long_lyrics_keep_every_word_before_added_sections() -> None:
    """When the lyrics alone fit, repeats and the solo give way, not words."""
    form = parse_form(SIXTEEN_LINES)
    full = song("pop", SIXTEEN_LINES, max_seconds=240.0)
    labels = [span.label for span in full.sections]
    last_lyric = full.sections[labels.index("Verse 2") + 1]  # the lyrics' second chorus
    lyric_end = bounds(full, last_lyric)[1]
    limit = full.seconds_at(lyric_end) + 10.0
    trimmed = song("pop", SIXTEEN_LINES, max_seconds=limit)
    assert trimmed.seconds <= limit
    assert [v.syllable.sung for v in trimmed.vocal] == lyric_syllables(form)
    assert trimmed.sections[-1].kind is SectionKind.OUTRO


@pytest.mark.parametrize("genre", GENRES)
def test_choruses_are_denser_than_verses(genre: str) -> None:
    score = song(genre, SIXTEEN_LINES)

    def per_bar(kind: SectionKind) -> float:
        spans = [s for s in score.sections if s.kind is kind]
        notes = 0
        for span in spans:
            start, end = bounds(score, span)
            notes += sum(start <= n.start < end for t in score.tracks for n in t.notes)
        return notes / sum(s.bars for s in spans)

    assert per_bar(SectionKind.CHORUS) > per_bar(SectionKind.VERSE)


@pytest.mark.parametrize("genre", GENRES)
def test_drums_fill_into_every_chorus(genre: str) -> None:
    """The two beats before each chorus are not the groove a bar earlier: a fill."""
    score = song(genre, SIXTEEN_LINES)
    (drums,) = [t for t in score.tracks if t.channel == DRUM_CHANNEL]

    def hits(end: float) -> list[tuple[float, int]]:
        window = [n for n in drums.notes if end - 2.05 <= n.start < end - 0.05 and n.pitch != 36]
        return sorted((round(n.start - end, 1), n.pitch) for n in window)

    for span in score.sections:
        if span.kind is SectionKind.CHORUS:
            start = bounds(score, span)[0]
            fill = hits(start)
            assert len(fill) >= 2 and fill != hits(start - score.meter), span.label


def test_every_played_part_varies_like_a_player_and_repeats_exactly() -> None:
    first = song("pop", SIXTEEN_LINES, seed=3)
    assert first == song("pop", SIXTEEN_LINES, seed=3)
    for part in first.tracks:
        velocities = {n.velocity for n in part.notes}
        off_grid = [n for n in part.notes if abs(n.start * 4 - round(n.start * 4)) > 1e-3]
        assert len(velocities) >= 5, part.name
        assert len(off_grid) >= len(part.notes) // 4, part.name


def test_instrumental_song_ends_by_ringing_out() -> None:
    score = song("pop", "", max_seconds=240.0)
    audio = render_score(score, sample_rate=SAMPLE_RATE).audio
    mono = np.abs(audio).mean(axis=1)
    second = SAMPLE_RATE
    outro_start = round(score.seconds_at(bounds(score, score.sections[-1])[0]) * SAMPLE_RATE)
    outro = float(np.sqrt(np.mean(mono[outro_start : outro_start + second] ** 2)))
    last = float(np.sqrt(np.mean(mono[-second // 4 :] ** 2)))
    assert last < outro * 0.03  # at least 30 dB down: a decay, not a cut
