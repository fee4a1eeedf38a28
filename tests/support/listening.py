"""Scoring what the listening library (engine/listen) heard against a song's truth
(engine/truth.py): shared by its tests and benchmarks/listen.py."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from songgate.engine.listen import Analysis, MelodyNote
from songgate.engine.truth import SongTruth, TrueNote

TEMPO_TOLERANCE = 0.02
ONSET_TOLERANCE = 0.05


def tempo_right(estimate: float, truth: float) -> bool:
    """Within 2 % of the truth, or of its double or half."""
    return any(
        abs(estimate * factor / truth - 1.0) <= TEMPO_TOLERANCE for factor in (0.5, 1.0, 2.0)
    )


def key_right(analysis: Analysis, truth: SongTruth) -> bool:
    return (analysis.key.tonic, analysis.key.mode) == (truth.tonic, truth.mode)


def chord_accuracy(analysis: Analysis, truth: SongTruth) -> float:
    """Share of the score's bars whose chord (root, major or minor) the analysis has at
    the bar's middle."""
    right = 0
    for bar, chord in enumerate(truth.chords):
        found = analysis.chord_at((bar + 0.5) * truth.bar_seconds)
        right += found is not None and (found.root, found.minor) == (chord.root, chord.minor)
    return right / max(1, len(truth.chords))


def note_f1(found: Sequence[MelodyNote], truth: Sequence[TrueNote]) -> float:
    """F1 of note matching: a true note matches at most one found note of its pitch whose
    onset is within ONSET_TOLERANCE (the nearest unmatched one)."""
    used: set[int] = set()
    hits = 0
    onsets = np.array([note.onset for note in found])
    for note in truth:
        if not len(onsets):
            break
        near = np.flatnonzero(np.abs(onsets - note.onset) <= ONSET_TOLERANCE)
        candidates = [int(i) for i in near if int(i) not in used and found[i].pitch == note.pitch]
        if candidates:
            used.add(min(candidates, key=lambda i: abs(onsets[i] - note.onset)))
            hits += 1
    precision, recall = hits / max(1, len(found)), hits / max(1, len(truth))
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def boundary_hits(analysis: Analysis, truth: SongTruth) -> float:
    """Share of the score's section starts (after the first) with a found section start
    within a bar."""
    found = [section.start for section in analysis.sections]
    true = [span.start_bar * truth.bar_seconds for span in truth.sections][1:]
    if not true:
        return 1.0
    return sum(any(abs(f - t) <= truth.bar_seconds for f in found) for t in true) / len(true)
