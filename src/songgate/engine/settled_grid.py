"""A guide's beat in a singable tempo: a double-time estimate halved, on the strong beats.

Beat tracking often hears eighth notes as beats (a 100 bpm song as 200 bpm); for a
cover that is harmless, but a voice composed over it would sing at double speed and,
worse, half its bar lines would fall on the upload's off-beats. Above
:data:`FAST_TEMPO` the tempo is halved and the beat kept is whichever of the two
interleaved halves of the grid carries more onset strength (kick and snare land on the
beat, hi-hats between), the first bar line is the first such beat nearest a found bar
line, and each new bar takes the chord found where it sounds.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from songgate.engine.guide import Guide, GuideChord
from songgate.engine.listen.features import features, time_frame
from songgate.engine.listen.types import Analysis

FAST_TEMPO = 160.0  # bpm; above it a grid is taken for eighth notes
_WINDOW = 2  # onset frames either side of a beat searched for its attack


def settled(
    guide: Guide, analysis: Analysis, audio: np.ndarray, sample_rate: int
) -> Guide:
    """``guide`` as it is, or at half its tempo on the stronger half of its beats."""
    beats = list(analysis.grid.beats)
    if guide.tempo <= FAST_TEMPO or len(beats) < 4:
        return guide
    onset = features(audio, sample_rate).onset

    def strength(times: list[float]) -> float:
        found = [onset[max(0, f - _WINDOW): f + _WINDOW + 1].max(initial=0.0)
                 for f in (time_frame(t) for t in times) if 0 <= f < len(onset)]
        return float(np.mean(found)) if found else 0.0

    phase = max((0, 1), key=lambda p: strength(beats[p::2]))
    slow = [t for t in beats[phase::2] if t >= -1e-6]
    if not slow:
        return guide
    tempo = guide.tempo / 2.0
    downbeats = analysis.grid.downbeats
    first = min(slow[:guide.meter], key=lambda t: min(abs(t - d) for d in downbeats))
    bar = guide.meter * 60.0 / tempo
    chords: list[GuideChord] = []
    at = first
    while at < analysis.seconds and analysis.chords:
        found = analysis.chord_at(at + bar / 4) or analysis.chords[-1]
        chords.append(GuideChord(found.root, found.minor))
        at += bar
    return replace(guide, tempo=tempo, first_bar_s=first, chords=tuple(chords) or guide.chords)


PHRASE_GAP_BEATS = 1.0  # a note after this much rest starts a phrase
PHRASE_WEIGHT = 2.0  # ... and counts this much more in finding the bar line
NEAR_BEATS = 0.15  # a note this close to a bar line starts on it


def phrased(guide: Guide, melody: list[tuple[float, float]], *, steps: int = 1) -> Guide:
    """``guide`` with its bar lines moved to the beat where the tune's notes, phrase
    starts above all, most often begin (``melody``: (onset, offset) seconds): a lone voice
    has no drums to mark the bar, but sung lines start on it. ``steps``: grid lines per
    beat the bar line may move by (2: eighths, when the beat's own phase is unknown)."""
    if not melody:
        return guide
    beat = 60.0 / guide.tempo
    bar = guide.bar_seconds()
    weights: list[tuple[float, float]] = []
    previous_end = -1e9
    for onset, offset in sorted(melody):
        phrase = onset - previous_end >= PHRASE_GAP_BEATS * beat
        weights.append((onset, (offset - onset) * (PHRASE_WEIGHT if phrase else 1.0)))
        previous_end = max(previous_end, offset)

    def fit(first: float) -> float:
        total = 0.0
        for onset, weight in weights:
            off = (onset - first) % bar
            if min(off, bar - off) <= NEAR_BEATS * beat:
                total += weight
        return total

    candidates = [(guide.first_bar_s + k * beat / steps) % bar
                  for k in range(guide.meter * steps)]
    first = max(candidates, key=fit)
    return replace(guide, first_bar_s=first)
