"""A guide fixes tempo, meter, key and each bar's chord of what the composer writes."""

from __future__ import annotations

from songgate.engine.compose.score import compose
from songgate.engine.guide import Guide, GuideChord, guide_from_analysis, guided_style
from songgate.engine.listen.types import (
    Analysis,
    BarChord,
    BeatGrid,
    Key,
    Loudness,
    MelodyNote,
    SongSection,
)
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import Mode

LYRICS = "[Verse]\nwalking down the river road\nsinging all the way back home\n" \
         "[Chorus]\nhold on hold on to the light\nhold on through the longest night\n"

D_MINOR_TURN = (GuideChord(2, True), GuideChord(10, False), GuideChord(5, False),
                GuideChord(0, False))


def _guide() -> Guide:
    return Guide(tempo=97.0, meter=3, tonic=2, mode=Mode.MINOR, chords=D_MINOR_TURN)


def test_the_guided_style_keeps_instruments_and_takes_tempo_meter_and_key() -> None:
    style = parse_style("upbeat pop, piano", "", seed=3)
    guided = guided_style(style, _guide())
    assert (guided.tempo, guided.meter, guided.tonic, guided.mode) == (97.0, 3, 2, Mode.MINOR)
    assert guided.instruments == style.instruments
    assert guided_style(style, None) is style


def test_every_bar_plays_the_guides_chord_in_turn() -> None:
    guide = _guide()
    style = guided_style(parse_style("pop, piano, strings", "", seed=3), guide)
    score = compose(style, parse_form(LYRICS), seed=5, max_seconds=90.0, guide=guide)
    assert (score.tempo, score.meter, score.tonic, score.mode) == (97.0, 3, 2, Mode.MINOR)
    lifted = [s.start_bar for s in score.sections if s.label.endswith("(lift)")]
    body_bars = min(lifted) if lifted else sum(section.bars for section in score.sections)
    # the lifted last chorus (and what follows it) is the guide's chords a step up
    pad = next(t for t in score.tracks if t.name == "pad")
    checked = 0
    for bar in range(body_bars):  # a note pushed ahead of the bar line belongs to the next bar
        start, end = bar * 3.0, bar * 3.0 + 3.0
        heard = {n.pitch % 12 for n in pad.notes if start - 0.1 <= n.start < end - 0.5}
        if heard:
            assert heard <= set(D_MINOR_TURN[bar % 4].tones), (bar, heard)
            checked += 1
    assert checked >= body_bars // 2


def test_an_analysis_becomes_beats_from_its_first_bar_line() -> None:
    grid = BeatGrid(tempo=120.0, beats=tuple(0.5 + k * 0.5 for k in range(16)), meter=4,
                    downbeats=(-1.5, 0.5, 2.5, 4.5, 6.5))
    analysis = Analysis(
        seconds=8.0, grid=grid, key=Key(7, Mode.MAJOR, 0.4),
        chords=(BarChord(-1.5, 0.5, 2, False), BarChord(0.5, 2.5, 7, False),
                BarChord(2.5, 4.5, 4, True)),
        melody=(MelodyNote(0.2, 0.4, 60), MelodyNote(1.0, 1.5, 67)),
        sections=(SongSection(0.5, 4.5, 1, 2, "A"), SongSection(4.5, 8.5, 3, 2, "B")),
        loudness=Loudness(-14.0, -1.0, ()),
    )
    guide = guide_from_analysis(analysis)
    assert (guide.tempo, guide.meter, guide.tonic, guide.mode) == (120.0, 4, 7, Mode.MAJOR)
    assert guide.first_bar_s == 0.5
    assert guide.chords == (GuideChord(7, False), GuideChord(4, True))
    assert [(n.start, n.beats, n.pitch) for n in guide.melody] == [(1.0, 1.0, 67)]
    assert [(s.label, s.start_bar, s.bars) for s in guide.sections] == [("A", 0, 2), ("B", 2, 2)]
