"""Chords for a given tune: per bar, the key's triad that best covers the melody there.

Adding a band under a sung line needs the harmony the singer implies. Each bar is
scored against the key's six common triads (I ii iii IV V vi in major; i III iv V VI
VII in minor, the dominant raised as players do) by the share of the bar's melody,
weighted by duration, that falls on the chord's tones; a note on the downbeat counts
more. Between bars, moves common in songs (I-IV, IV-V, V-I, vi-IV, ii-V ...) earn a
bonus and the tonic is preferred at the start, so where the tune alone cannot decide
(a rest, one long note two chords share) the usual progression wins. The best path
through all bars is found at once (Viterbi), not bar by bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from songgate.engine.guide import GuideChord, GuideNote
from songgate.engine.types import Mode

# (semitones above the tonic, minor?) per degree, in the order numerals count them.
_MAJOR_TRIADS = ((0, False), (2, True), (4, True), (5, False), (7, False), (9, True))
_MINOR_TRIADS = ((0, True), (3, False), (5, True), (7, False), (8, False), (10, False))
# Degree moves (index into the tables above) common in songs, in either mode.
_COMMON_MOVES = frozenset({
    (0, 3), (0, 4), (0, 5), (3, 4), (3, 0), (4, 0), (4, 5), (5, 3), (1, 4), (5, 1),
    (2, 5), (3, 1), (5, 4), (0, 1), (2, 3),
})
MOVE_BONUS = 0.18  # a common move, against a share of the bar's melody
STAY_BONUS = 0.08  # the same chord again
STRONG_DEGREES = {0: 0.06, 3: 0.03, 4: 0.04, 5: 0.02}  # I, IV, V, vi are likelier anywhere
START_BONUS = 0.15  # the first bar on the tonic
DOWNBEAT_WEIGHT = 1.5  # a note sounding at the bar line counts this much more


# Krumhansl and Kessler's key profiles: how well each scale step fits a major / minor key.
_MAJOR_PROFILE = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
_MINOR_PROFILE = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)


@dataclass(frozen=True, slots=True)
class Harmony:
    chords: tuple[GuideChord, ...]  # one per bar from bar 0
    coverage: float  # share of the melody's duration on its bar's chord tones, 0..1


def key_triads(tonic: int, mode: Mode) -> tuple[GuideChord, ...]:
    """The six triads the harmoniser chooses among, by degree."""
    table = _MAJOR_TRIADS if mode is Mode.MAJOR else _MINOR_TRIADS
    return tuple(GuideChord((tonic + step) % 12, minor) for step, minor in table)


def melody_key(melody: Sequence[GuideNote]) -> tuple[int, Mode] | None:
    """The key a tune alone implies: the profile best correlated with how long each pitch
    class sounds (None for no tune). A lone voice's chroma says little of its key; its
    notes say more."""
    durations = [0.0] * 12
    for note in melody:
        durations[note.pitch % 12] += note.beats
    if sum(durations) <= 0:
        return None
    best: tuple[float, int, Mode] | None = None
    for mode, profile in ((Mode.MAJOR, _MAJOR_PROFILE), (Mode.MINOR, _MINOR_PROFILE)):
        for tonic in range(12):
            fit = _correlation(durations, [profile[(pc - tonic) % 12] for pc in range(12)])
            if best is None or fit > best[0] + 1e-12:
                best = (fit, tonic, mode)
    assert best is not None
    return best[1], best[2]


def _correlation(a: Sequence[float], b: Sequence[float]) -> float:
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    da, db = [x - mean_a for x in a], [y - mean_b for y in b]
    norm = (sum(x * x for x in da) * sum(y * y for y in db)) ** 0.5
    return sum(x * y for x, y in zip(da, db, strict=True)) / norm if norm > 0 else 0.0


def bar_weights(
    melody: Sequence[GuideNote], meter: int, bars: int, *, downbeat: float = DOWNBEAT_WEIGHT
) -> list[dict[int, float]]:
    """Per bar, the beats each pitch class sounds (a note at the bar line ``downbeat`` times)."""
    weights: list[dict[int, float]] = [{} for _ in range(bars)]
    for note in melody:
        start, end = note.start, note.start + note.beats
        first = max(0, int(start // meter))
        for bar in range(first, min(bars, int(end // meter) + 1)):
            low, high = max(start, bar * meter), min(end, (bar + 1) * meter)
            if high <= low:
                continue
            weight = (high - low) * (downbeat if low <= bar * meter + 1e-6 else 1.0)
            cell = weights[bar]
            cell[note.pitch % 12] = cell.get(note.pitch % 12, 0.0) + weight
    return weights


def _fit(weights: dict[int, float], chord: GuideChord) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    tones = chord.tones
    return sum(w for pc, w in weights.items() if pc in tones) / total


def _move(a: int, b: int) -> float:
    if a == b:
        return STAY_BONUS
    return MOVE_BONUS if (a, b) in _COMMON_MOVES else 0.0


def _best_before(score: Sequence[float], degree: int) -> int:
    """The degree whose path into ``degree`` scores best."""
    return max(range(len(score)), key=lambda before: score[before] + _move(before, degree))


def harmonise(
    melody: Sequence[GuideNote], *, tonic: int, mode: Mode, meter: int, bars: int
) -> Harmony:
    """A triad of the key per bar for ``melody`` (beats from bar 0), ``bars`` bars long."""
    bars = max(1, bars)
    triads = key_triads(tonic, mode)
    weights = bar_weights(melody, meter, bars)
    fits = [[_fit(cell, chord) + STRONG_DEGREES.get(d, 0.0) for d, chord in enumerate(triads)]
            for cell in weights]
    score = [fits[0][d] + (START_BONUS if d == 0 else 0.0) for d in range(len(triads))]
    back: list[list[int]] = []
    degrees = range(len(triads))
    for bar in range(1, bars):
        came = [_best_before(score, b) for b in degrees]
        score = [score[came[b]] + _move(came[b], b) + fits[bar][b] for b in range(len(triads))]
        back.append(came)
    path = [max(range(len(triads)), key=lambda d: score[d])]
    for came in reversed(back):
        path.append(came[path[-1]])
    path.reverse()
    chords = tuple(triads[d] for d in path)
    return Harmony(chords, coverage(melody, chords, meter))


def coverage(melody: Sequence[GuideNote], chords: Sequence[GuideChord], meter: int) -> float:
    """Share of the melody's duration that sounds on a tone of its bar's chord."""
    covered = total = 0.0
    for bar, cell in enumerate(bar_weights(melody, meter, len(chords), downbeat=1.0)):
        for pc, weight in cell.items():
            total += weight
            covered += weight if pc in chords[bar].tones else 0.0
    return covered / total if total > 0 else 1.0
