"""Where each syllable of a line starts: a small dynamic programme over grid slots.

Syllables are placed one per grid slot, in order, so that stressed syllables
(and every Chinese character) fall on strong beats, the notes spread evenly
over the phrase, and the last syllable lands on the phrase's cadence beat
(``phrasing.anchor``) and is held. A *motif* — a seeded preference for some
positions in the bar, a start offset, an evenness weight — is kept per melodic
role, so all verses share one rhythmic character and all choruses another,
while each line still adapts to its own syllable count.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from songgate.engine.compose.phrasing import (
    anchor,
    breath_beats,
    comfortable_gap,
    note_grid,
    spoken_gap,
)
from songgate.engine.types import Syllable

_INF = float("inf")


@dataclass(frozen=True, slots=True)
class Motif:
    """A role's rhythmic character: position preferences within the bar, and habits."""

    bias: tuple[float, ...]  # cost added per grid slot of the bar (negative: liked)
    start: float  # beats after the phrase start where the line likes to begin
    evenness: float  # how strongly notes are spread evenly
    spacing: float  # preferred beats between syllables when the phrase has room


def make_motif(meter: int, grid: float, rng: random.Random) -> Motif:
    slots = round(meter / grid)
    bias = []
    for slot in range(slots):
        position = slot * grid
        on_beat = abs(position - round(position)) < 1e-9
        bias.append(rng.uniform(-0.3, 0.3) if on_beat else rng.uniform(-0.9, 0.7))
    start = rng.choice((0.0, 0.0, 0.0, 0.5, 1.0))
    spacing = rng.choice((0.5, 0.75, 0.75, 1.0))
    return Motif(tuple(bias), start, rng.uniform(0.6, 1.6), spacing)


def metric_weight(position: float, meter: int) -> int:
    """4 downbeat, 3 mid-bar beat in 4/4, 2 other beats, 1 off-beat eighths, 0 finer."""
    in_bar = position % meter
    if abs(in_bar) < 1e-9 or abs(in_bar - meter) < 1e-9:
        return 4
    if abs(in_bar - round(in_bar)) < 1e-9:
        return 3 if meter == 4 and round(in_bar) == 2 else 2
    if abs(in_bar * 2 - round(in_bar * 2)) < 1e-9:
        return 1
    return 0


def _place_cost(syllable: Syllable, weight: int) -> float:
    if syllable.language == "zh":  # every character wants a beat; sixteenths blur tones
        return -0.6 * weight + (1.0 if weight == 0 else 0.0)
    if syllable.stressed:
        return -1.2 * weight
    return 0.4 * max(0, weight - 2) - 0.1 * weight


@dataclass(frozen=True, slots=True)
class Timing:
    start: float  # beats from the phrase start
    duration: float


def line_rhythm(
    syllables: Sequence[Syllable],
    phrase_beats: float,
    meter: int,
    tempo: float,
    swing: float,
    motif: Motif,
) -> list[Timing]:
    """One (start, duration) per syllable inside a phrase of ``phrase_beats``."""
    count = len(syllables)
    if count == 0:
        return []
    grid = note_grid(tempo, swing)
    bars = max(1, round(phrase_beats / meter))
    # English is sung at about the pace it is spoken: a syllable per sixteenth or
    # eighth, whichever is nearer a spoken syllable (``spoken_gap``), the words
    # flowing into the last note, which is held a beat (two if stressed). Drawn-out
    # syllables are what make sung words hard to understand.
    spoken = all(s.language == "en" for s in syllables)
    if spoken:
        motif = replace(motif, spacing=spoken_gap(tempo, swing))
    cadence = anchor(count, bars, meter, tempo, swing, motif.spacing, spread=not spoken)
    if cadence is None or round(cadence / grid) < count - 1:
        return _even(count, phrase_beats, grid)
    hold = _held(cadence, phrase_beats, tempo, grid)
    if spoken:
        hold = max(grid, min(hold, 2.0 if syllables[-1].stressed else 1.0))
    if count == 1:
        return [Timing(cadence, hold)]
    gap = motif.spacing if spoken else comfortable_gap(tempo, swing)
    room = cadence - (count - 1) * gap
    start = motif.start if motif.start <= room + 1e-9 else 0.0
    if spoken:  # the words flow at their pace into the held last note
        start = max(start, math.floor(room / grid + 1e-9) * grid)
    ideal = (cadence - start) / (count - 1)
    if ideal > hold:  # a sparse line: hold the last note at least as long as the others
        hold = min(phrase_beats - cadence - breath_beats(tempo), math.ceil(ideal / grid) * grid)
    slots = _best_slots(syllables[:-1], start, cadence, grid, meter, motif, hold)
    onsets = [slot * grid for slot in slots] + [cadence]
    timings = [Timing(a, b - a) for a, b in itertools.pairwise(onsets)]
    timings.append(Timing(cadence, hold))
    return timings


def _held(cadence: float, phrase_beats: float, tempo: float, grid: float) -> float:
    """The last note: at least a beat, up to half the rest of the phrase, then a breath."""
    room = phrase_beats - cadence - breath_beats(tempo)
    wanted = min(3.0, max(1.0, (phrase_beats - cadence) / 2))
    held = max(1.0, min(room, wanted))
    return max(grid, math.floor(held / grid + 1e-9) * grid)


def _even(count: int, phrase_beats: float, grid: float) -> list[Timing]:
    """Fallback for a line too long for its phrase: one grid step each (never expected)."""
    step = max(grid, math.floor(phrase_beats * 0.8 / count / grid) * grid)
    return [Timing(i * step, step) for i in range(count)]


def _best_slots(
    syllables: Sequence[Syllable],
    start: float,
    cadence: float,
    grid: float,
    meter: int,
    motif: Motif,
    hold: float,
) -> list[int]:
    """Slots for every syllable but the last, minimising placement + spacing cost.

    No note may outlast the held last one (``hold``), unless the line is so
    sparse that even spacing needs it.
    """
    count = len(syllables)
    first = round(start / grid)
    end = round(cadence / grid)  # the cadence slot; syllables go strictly before it
    ideal = (cadence - start) / count
    widest = max(math.ceil(ideal / grid - 1e-9), min(round(2.0 / grid), round(hold / grid)))
    bar_slots = len(motif.bias)
    weights = [metric_weight(k * grid, meter) for k in range(end)]
    spacing = [0.0] + [motif.evenness * (d * grid - ideal) ** 2 for d in range(1, widest + 1)]

    def place(i: int, k: int) -> float:
        return _place_cost(syllables[i], weights[k]) + motif.bias[k % bar_slots]

    cost: list[float] = [_INF] * end
    for k in range(first, end - count + 1):
        cost[k] = place(0, k) + 0.8 * (k - first) * grid
    back: list[list[int]] = []
    for i in range(1, count):
        fresh = [_INF] * end
        came = [-1] * end
        for k in range(first + i, end - (count - 1 - i)):
            best, arg = _INF, -1
            for j in range(max(first + i - 1, k - widest), k):
                if cost[j] == _INF:
                    continue
                total = cost[j] + spacing[k - j]
                if total < best:
                    best, arg = total, j
            if arg >= 0:
                fresh[k] = best + place(i, k)
                came[k] = arg
        back.append(came)
        cost = fresh
    best, last = _INF, -1
    for j in range(max(0, end - widest), end):
        if cost[j] < _INF and cost[j] + spacing[end - j] < best:
            best, last = cost[j] + spacing[end - j], j
    if last < 0:  # the spacing window was too narrow: spread evenly instead
        step = (end - first) / count
        return [first + math.floor(i * step) for i in range(count)]
    path = [last]
    for came in reversed(back):
        path.append(came[path[-1]])
    return list(reversed(path))
