"""Syllables onto beats: order, spacing, stress and the held last note."""

from __future__ import annotations

import itertools
import random

import pytest

from songgate.engine.compose.phrasing import note_grid, spoken_gap
from songgate.engine.compose.rhythm import Motif, line_rhythm, make_motif, metric_weight
from songgate.engine.types import Syllable


def syllables(pattern: str, language: str = "en") -> list[Syllable]:
    """'x' stressed, '.' unstressed."""
    return [Syllable("la", "la", language, stressed=c == "x") for c in pattern]


def flat_motif(meter: int = 4, grid: float = 0.5) -> Motif:
    return Motif(bias=(0.0,) * round(meter / grid), start=0.0, evenness=1.0, spacing=0.5)


@pytest.mark.parametrize("pattern", ["x", "x.", "x.x.", "x.x.x.x.", ".x.x.x.x.x.x", "x" * 13])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_timings_are_ordered_touching_and_inside_the_phrase(pattern: str, seed: int) -> None:
    motif = make_motif(4, 0.5, random.Random(seed))
    timings = line_rhythm(syllables(pattern), 8.0, 4, 112.0, 0.0, motif)
    assert len(timings) == len(pattern)
    for a, b in itertools.pairwise(timings):
        assert a.start + a.duration == pytest.approx(b.start)
    assert all(t.duration >= note_grid(112.0) for t in timings)
    last = timings[-1]
    assert last.start + last.duration <= 8.0 - 1.0  # a breath before the next line
    assert last.duration >= max(t.duration for t in timings)
    assert metric_weight(last.start, 4) >= 3  # lands on beat 1 or 3


def test_stressed_syllables_get_stronger_beats() -> None:
    pattern = ".x.x.x.x"
    timings = line_rhythm(syllables(pattern), 8.0, 4, 100.0, 0.0, flat_motif())
    strong = [metric_weight(t.start, 4) for t, c in zip(timings, pattern, strict=True) if c == "x"]
    weak = [metric_weight(t.start, 4) for t, c in zip(timings, pattern, strict=True) if c == "."]
    assert sum(strong) / len(strong) > sum(weak) / len(weak)


def test_chinese_characters_avoid_sixteenths() -> None:
    timings = line_rhythm(syllables("......", "zh"), 8.0, 4, 66.0, 0.0, flat_motif(grid=0.25))
    assert all(metric_weight(t.start, 4) >= 1 for t in timings)


def test_motifs_differ_by_seed_and_repeat_by_seed() -> None:
    assert make_motif(4, 0.5, random.Random(1)) == make_motif(4, 0.5, random.Random(1))
    assert make_motif(4, 0.5, random.Random(1)) != make_motif(4, 0.5, random.Random(2))


@pytest.mark.parametrize("tempo", [66.0, 72.0, 120.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_english_words_flow_at_speaking_pace_into_the_held_note(tempo: float, seed: int) -> None:
    motif = make_motif(4, note_grid(tempo), random.Random(seed))
    timings = line_rhythm(syllables("x.x.x.x."), 8.0, 4, tempo, 0.0, motif)
    seconds = [t.duration * 60.0 / tempo for t in timings[:-1]]
    assert max(seconds) <= 0.3 + 1e-9  # a sixteenth at slow tempos, an eighth at 120 bpm
    assert timings[-1].duration > timings[-2].duration


def test_slow_english_is_sung_on_sixteenths_where_eighths_would_drag() -> None:
    assert spoken_gap(66.0) == 0.25 and spoken_gap(120.0) == 0.5
    assert spoken_gap(66.0, swing=0.25) == 0.5  # swung sixteenths would be too short
