"""Comp manners: the shapes that make genres recognisable."""

from __future__ import annotations

from collections import defaultdict

from songgate.engine.compose.comping import comp_notes, manner_for, pad_notes, with_seventh
from songgate.engine.compose.harmony import parse_numeral
from songgate.engine.compose.plan import plan_song
from songgate.engine.types import Instrumentation, Mode, Note, Style
from tests.engine.test_compose import SONG, make_style


def comp_for(style: Style) -> list[Note]:
    plan = plan_song(style, SONG, seed=2, max_seconds=240)
    return comp_notes(plan, style, 2)


def onsets(notes: list[Note]) -> dict[float, list[int]]:
    grouped: dict[float, list[int]] = defaultdict(list)
    for note in notes:
        grouped[round(note.start, 3)].append(note.pitch)
    return grouped


def test_guitar_strums_are_staggered_like_strings() -> None:
    kit = Instrumentation(lead=73, comp=25, bass=33)
    style = make_style(genre="folk", instruments=kit)
    assert manner_for(style) == "strum"
    notes = comp_for(style)
    starts = sorted({round(n.start % 1, 2) for n in notes})
    assert 0.02 in starts and 0.04 in starts  # strings 1/50 beat apart


def test_jazz_comps_with_two_note_shells() -> None:
    style = make_style(genre="jazz", progressions=(("ii7", "V7", "Imaj7", "vi7"),))
    groups = onsets(comp_for(style))
    body = [pitches for start, pitches in groups.items() if 16 <= start < 80]
    assert body and all(len(p) == 2 for p in body)


def test_block_chords_voice_lead_in_the_middle_register() -> None:
    groups = onsets(comp_for(make_style()))
    assert all(3 <= len(p) <= 4 and all(50 <= x <= 72 for x in p) for p in groups.values())


def test_lofi_adds_sevenths() -> None:
    assert len(with_seventh(parse_numeral("I", 0, Mode.MAJOR), 0).tones) == 4
    assert with_seventh(parse_numeral("V", 0, Mode.MAJOR), 0).tones[-1] == 5  # G7: F
    assert with_seventh(parse_numeral("IV", 0, Mode.MAJOR), 0).tones[-1] == 4  # Fmaj7: E


def test_pad_holds_chords_without_reattacking() -> None:
    style = make_style(progressions=(("I", "I", "IV", "IV"),))
    plan = plan_song(style, SONG, seed=1, max_seconds=240)
    notes = pad_notes(plan, style)
    assert any(n.duration >= 8.0 for n in notes)
