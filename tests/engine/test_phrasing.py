"""Phrase lengths and the note grid keep every syllable singable."""

from __future__ import annotations

import pytest

from songgate.engine.compose.phrasing import (
    MIN_NOTE_SECONDS,
    anchor,
    bars_for_line,
    is_strong_beat,
    note_grid,
    shortest_swung,
)


@pytest.mark.parametrize("tempo", [50.0, 70.0, 90.0, 120.0, 150.0, 180.0, 200.0])
@pytest.mark.parametrize("swing", [0.0, 0.15, 1 / 3])
def test_grid_notes_last_long_enough(tempo: float, swing: float) -> None:
    grid = note_grid(tempo, swing)
    assert shortest_swung(grid, swing) * 60.0 / tempo >= MIN_NOTE_SECONDS


def test_grid_is_as_fine_as_the_tempo_allows() -> None:
    assert note_grid(60.0) == 0.25
    assert note_grid(120.0) == 0.5
    assert note_grid(200.0) == 1.0


def test_short_lines_take_two_bars_and_long_ones_four() -> None:
    assert bars_for_line(6, 4, 110.0) == 2
    assert bars_for_line(12, 4, 110.0) == 2
    assert bars_for_line(16, 4, 110.0) == 4
    assert bars_for_line(40, 4, 110.0) >= 6


@pytest.mark.parametrize("meter", [3, 4])
@pytest.mark.parametrize("tempo", [64.0, 100.0, 140.0, 180.0])
@pytest.mark.parametrize("count", [1, 2, 5, 9, 13, 20, 31])
def test_every_line_fits_its_phrase(meter: int, tempo: float, count: int) -> None:
    bars = bars_for_line(count, meter, tempo)
    cadence = anchor(count, bars, meter, tempo)
    assert cadence is not None
    assert is_strong_beat(cadence, meter)
    assert cadence <= bars * meter - 2.0  # a held note and a breath after it
    assert cadence >= (count - 1) * note_grid(tempo)


def test_strong_beats() -> None:
    assert [b for b in range(8) if is_strong_beat(float(b), 4)] == [0, 2, 4, 6]
    assert [b for b in range(6) if is_strong_beat(float(b), 3)] == [0, 3]
    assert not is_strong_beat(2.5, 4)
