"""How much time a sung line gets: the note grid, the phrase length, the cadence beat.

A line is sung inside a phrase of whole bars (usually two). Its last syllable
lands on a strong beat (the *anchor*) and is held; after it comes a breath,
which is also where the lead instrument answers. These rules live together
because the plan (how many bars a section takes) and the melody (where the
notes fall) must agree on them exactly, or a line would not fit its bars.
"""

from __future__ import annotations

import math

MIN_NOTE_SECONDS = 0.18  # shorter than this and a syllable cannot be sung clearly
GRIDS = (0.25, 0.5, 1.0)  # sixteenths, eighths, quarters (in beats)


def seconds_per_beat(tempo: float) -> float:
    return 60.0 / tempo


def shortest_swung(grid: float, swing: float) -> float:
    """The shortest note a grid yields once off-beat eighths are pushed late by ``swing``."""
    if grid >= 1.0:
        return grid
    # the off-beat eighth before a beat loses the delay
    squeezed = 0.5 - min(max(swing, 0.0), 1.0 / 3.0)
    return squeezed * grid / 0.5


def note_grid(tempo: float, swing: float = 0.0) -> float:
    """The finest grid whose shortest (swung) note still lasts ``MIN_NOTE_SECONDS``."""
    for grid in GRIDS:
        if shortest_swung(grid, swing) * seconds_per_beat(tempo) >= MIN_NOTE_SECONDS:
            return grid
    return 2.0


def comfortable_gap(tempo: float, swing: float = 0.0) -> float:
    """The usual distance between syllables: an eighth, or the grid if that is coarser."""
    return max(0.5, note_grid(tempo, swing))


SPOKEN_SYLLABLE_SECONDS = 0.3  # English sung near the pace it is spoken


def spoken_gap(tempo: float, swing: float = 0.0) -> float:
    """The distance between English syllables: of the sixteenth and the eighth
    (never finer than the singable grid), the one nearest a syllable's spoken
    length. A slow song's words on eighths are drawn out past recognition."""
    grid = note_grid(tempo, swing)
    steps = [g for g in (0.25, 0.5) if g >= grid] or [grid]
    spb = seconds_per_beat(tempo)
    return min(steps, key=lambda g: abs(g * spb - SPOKEN_SYLLABLE_SECONDS))


def breath_beats(tempo: float) -> float:
    """Silence after a line: at least a beat and at least half a second."""
    return float(max(1, math.ceil(0.5 / seconds_per_beat(tempo))))


def strong_positions(bars: int, meter: int) -> list[float]:
    """Beats 1 and 3 of 4/4 bars, the downbeat of other meters, from the phrase start."""
    strong: list[float] = []
    for bar in range(bars):
        strong.append(float(bar * meter))
        if meter == 4:
            strong.append(float(bar * meter + 2))
    return strong


def is_strong_beat(beat: float, meter: int) -> bool:
    """Whether a beat position of the song falls on beat 1 (or 3 in 4/4) of its bar."""
    position = beat % meter
    if abs(position - round(position)) > 1e-6:
        return False
    whole = round(position) % meter
    return whole == 0 or (meter == 4 and whole == 2)


def anchor(
    syllables: int,
    bars: int,
    meter: int,
    tempo: float,
    swing: float = 0.0,
    spacing: float = 0.0,
    *,
    spread: bool = True,
) -> float | None:
    """Where the last syllable of a line falls, or None when the line does not fit.

    The earliest strong beat that leaves the other syllables ``spacing`` beats
    each (a melody's preferred pace), else a comfortable eighth, else the
    finest singable grid; not before the phrase's middle (so short lines
    still span it) unless ``spread`` is off, and early enough for a held note
    and a breath after it.
    """
    phrase = bars * meter
    latest = phrase - 1.0 - breath_beats(tempo)
    candidates = [beat for beat in strong_positions(bars, meter) if beat <= latest]
    gaps = (spacing, comfortable_gap(tempo, swing), note_grid(tempo, swing))
    for number, gap in enumerate(gaps):
        if gap <= 0:
            continue
        before = (syllables - 1) * gap
        spreads = spread and syllables > 2 and number != 2
        earliest = max(before, phrase / 2) if spreads else before
        for beat in candidates:
            if beat >= earliest - 1e-9:
                return beat
    return None


def bars_for_line(syllables: int, meter: int, tempo: float, swing: float = 0.0) -> int:
    """2 bars for most lines, 4 for long ones, more only for very long lines."""
    for bars in (2, 4):
        if _fits_comfortably(syllables, bars, meter, tempo, swing):
            return bars
    bars = 4
    while anchor(syllables, bars, meter, tempo, swing) is None:
        bars += 2
    return bars


def _fits_comfortably(syllables: int, bars: int, meter: int, tempo: float, swing: float) -> bool:
    found = anchor(syllables, bars, meter, tempo, swing)
    return found is not None and found >= (syllables - 1) * comfortable_gap(tempo, swing) - 1e-9

