"""Feel: swing on off-beat eighths, loudness from energy, a little human unevenness.

Arrangers write on a straight grid at nominal loudness; these functions are
applied last so every part swings and breathes the same way. Swing maps time
within each beat piecewise-linearly — the off-beat eighth moves late by
``swing`` and the sixteenths around it stretch or squeeze with it — so the
mapping is monotonic: notes that touched still touch, none start to overlap.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

from songgate.engine.types import Note, SectionKind

MAX_SWING = 1.0 / 3.0

_SECTION_LIFT = {
    SectionKind.INTRO: 0.78,
    SectionKind.VERSE: 0.68,
    SectionKind.PRE_CHORUS: 0.9,
    SectionKind.CHORUS: 1.0,
    SectionKind.BRIDGE: 0.88,
    SectionKind.OUTRO: 0.9,
    SectionKind.INSTRUMENTAL: 0.97,
}


def swung(beat: float, swing: float) -> float:
    """Where a straight-time position sounds once off-beat eighths fall ``swing`` beats late."""
    if swing <= 0.0:
        return beat
    swing = min(swing, MAX_SWING)
    whole = math.floor(beat + 1e-9)
    within = beat - whole
    if within <= 0.5:
        return whole + within * (0.5 + swing) / 0.5
    return whole + 0.5 + swing + (within - 0.5) * (0.5 - swing) / 0.5


def base_velocity(energy: float, kind: SectionKind) -> float:
    """Nominal loudness of a section: 64 (calm) .. 108 (driving), lifted in choruses."""
    energy = min(1.0, max(0.0, energy))
    return (64.0 + 44.0 * energy) * _SECTION_LIFT.get(kind, 0.95)


def velocity(value: float) -> int:
    return max(1, min(127, round(value)))


def humanised(
    notes: Iterable[Note],
    swing: float,
    rng: random.Random,
    spread: int = 5,
    drift: float = 0.0,
) -> list[Note]:
    """Swing every note, jitter velocities by up to ``spread`` and starts by up to ``drift``."""
    result: list[Note] = []
    for note in notes:
        start = swung(note.start, swing)
        end = swung(note.start + note.duration, swing)
        if drift > 0.0 and start > drift:
            shift = rng.uniform(-drift, drift)
            start, end = start + shift, end + shift
        jitter = rng.randint(-spread, spread) if spread else 0
        result.append(
            Note(
                start=round(start, 6),
                duration=round(max(1e-3, end - start), 6),
                pitch=max(0, min(127, note.pitch)),
                velocity=velocity(note.velocity + jitter),
            )
        )
    result.sort(key=lambda n: (n.start, n.pitch))
    return result
