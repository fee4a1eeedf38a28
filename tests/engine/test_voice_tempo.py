"""A lone voice's tempo and grid from its note onsets alone."""

from __future__ import annotations

import random

import pytest

from songgate.engine.voice_tempo import voice_grid


@pytest.mark.parametrize("tempo", [72.0, 90.0, 128.0])
def test_sung_onsets_on_quarters_and_eighths_give_the_tempo(tempo: float) -> None:
    rng = random.Random(int(tempo))
    eighth = 30.0 / tempo
    start = 0.37  # the grid does not start at 0 s
    onsets, at = [], 0
    while len(onsets) < 40:
        at += rng.choice((1, 1, 2, 2, 3, 4))  # eighths between syllables, rests between lines
        onsets.append(start + at * eighth + rng.uniform(-0.015, 0.015))
    found = voice_grid(onsets)
    assert found is not None
    # as any beat tracker, it may hear the tempo doubled or halved; then the grids agree
    assert any(abs(found.tempo / (tempo * f) - 1) < 0.005 for f in (0.5, 1.0, 2.0)), found
    step = min(eighth, 30.0 / found.tempo)
    off = (start - found.eighth_origin_s) % step
    assert min(off, step - off) < 0.02
    assert found.agreement > 0.8


def test_too_few_notes_give_no_grid() -> None:
    assert voice_grid([0.0, 0.5, 1.0]) is None
