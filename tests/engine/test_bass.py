"""Bass lines keep each genre's manner."""

from __future__ import annotations

import itertools
from dataclasses import replace

from songgate.engine.compose.bass import bass_notes
from songgate.engine.compose.plan import plan_song
from songgate.engine.types import Form, Note, Style
from tests.engine.test_compose import SONG, make_style


def bass_for(style: Style, form: Form = SONG) -> tuple[list[Note], int]:
    plan = plan_song(style, form, seed=1, max_seconds=240)
    return bass_notes(plan, style, 1), plan.bars


def test_salsa_tumbao_anticipates_and_skips_the_downbeat() -> None:
    notes, _ = bass_for(make_style(genre="salsa", tempo=170.0))
    body = [n for n in notes if 4.0 <= n.start < 60.0]
    assert body and not any(n.start % 4 == 0 for n in body)
    assert {n.start % 4 for n in body} == {1.5, 3.0}


def test_edm_bass_pumps_on_off_beats_in_octaves() -> None:
    notes, _ = bass_for(make_style(genre="edm", tempo=126.0, energy=0.9))
    body = [n for n in notes if 16.0 <= n.start < 64.0]
    assert all(n.start % 1 == 0.5 for n in body)
    assert any(b.pitch - a.pitch == 12 for a, b in itertools.pairwise(body))


def test_ballad_bass_holds_long_notes() -> None:
    notes, bars = bass_for(make_style(genre="ballad", tempo=70.0))
    assert len(notes) <= 2 * bars + 1
    assert sum(n.duration for n in notes) / len(notes) >= 2.0


def test_jazz_bass_walks_in_quarters_by_small_steps() -> None:
    style = make_style(genre="jazz", progressions=(("ii7", "V7", "Imaj7", "vi7"),))
    notes, _ = bass_for(style)
    body = [n for n in notes if 16.0 <= n.start < 80.0]
    assert all(n.start % 1 == 0 for n in body)
    moves = [abs(b.pitch - a.pitch) for a, b in itertools.pairwise(body)]
    assert sum(moves) / len(moves) <= 5.0


def test_bass_is_one_note_at_a_time_and_low() -> None:
    for genre in ("pop", "rock", "salsa", "hiphop", "rnb", "folk", "lofi", "chinese"):
        notes, _ = bass_for(make_style(genre=genre))
        for a, b in itertools.pairwise(notes):
            assert a.start + a.duration <= b.start + 1e-9
        assert all(28 <= n.pitch <= 52 for n in notes)


def test_waltz_bass_fills_three_beats() -> None:
    notes, _ = bass_for(replace(make_style(genre="pop"), meter=3))
    assert all(n.start % 3 in (0, 1, 2) for n in notes)
