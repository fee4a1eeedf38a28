"""Swing moves off-beat eighths late, keeps order, and leaves beats alone."""

from __future__ import annotations

import itertools
import random

import pytest

from songgate.engine.compose.groove import base_velocity, humanised, swung
from songgate.engine.types import Note, SectionKind


def test_swing_moves_only_off_beats() -> None:
    assert swung(3.0, 0.2) == 3.0
    assert swung(3.5, 0.2) == pytest.approx(3.7)
    assert swung(3.5, 0.0) == 3.5
    assert swung(3.5, 0.9) == pytest.approx(3.5 + 1 / 3)  # capped


def test_swing_is_monotonic() -> None:
    points = [i / 16 for i in range(64)]
    mapped = [swung(p, 0.25) for p in points]
    assert all(a < b for a, b in itertools.pairwise(mapped))


def test_humanised_notes_stay_valid_and_repeatable() -> None:
    notes = [Note(i * 0.5, 0.5, 60 + i % 5, 126) for i in range(32)]
    first = humanised(notes, 0.2, random.Random(3), spread=8)
    again = humanised(notes, 0.2, random.Random(3), spread=8)
    assert first == again
    assert all(1 <= n.velocity <= 127 and n.duration > 0 for n in first)
    assert first != humanised(notes, 0.2, random.Random(4), spread=8)


def test_choruses_are_louder_than_intros_and_energy_lifts_all() -> None:
    assert base_velocity(0.5, SectionKind.CHORUS) > base_velocity(0.5, SectionKind.INTRO)
    assert base_velocity(0.9, SectionKind.VERSE) > base_velocity(0.2, SectionKind.VERSE)
