"""Two weights bend a Style after the tags chose it; 0.5 (or None) leaves it as it is.

- ``style_weight`` scales how far the tags moved tempo, energy and swing away from a
  plain pop feel (110 bpm, energy 0.5, straight): at 1 twice as far, at 0 not at all.
- ``weirdness`` strays from the genre. Above 0.5, with a chance that grows to
  certainty at 1, the chords are another genre's (drawn from ``seed``), and the
  off-beats fall later (up to a sixth of a beat more swing); below 0.5 the swing is
  straightened towards none and, at 0.25 or less, only the genre's first
  progression is played.
"""

from __future__ import annotations

import dataclasses
import random

from songgate.engine.style.presets import PRESETS
from songgate.engine.types import Mode, Style

NEUTRAL_TEMPO = 110.0
NEUTRAL_ENERGY = 0.5
TEMPO_RANGE = (60.0, 180.0)
ENERGY_RANGE = (0.15, 1.0)
SWING_MAX = 1 / 3


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def weigh_style(style: Style, style_weight: float | None, weirdness: float | None,
                *, seed: int = 0) -> Style:
    """``style`` bent by the two weights (each in [0, 1]); deterministic in ``seed``."""
    if style_weight is not None and style_weight != 0.5:
        style = _weigh(style, 2.0 * style_weight)
    if weirdness is not None and weirdness != 0.5:
        style = _stray(style, 2.0 * weirdness - 1.0, seed)
    return style


def _weigh(style: Style, scale: float) -> Style:
    tempo = NEUTRAL_TEMPO + scale * (style.tempo - NEUTRAL_TEMPO)
    energy = NEUTRAL_ENERGY + scale * (style.energy - NEUTRAL_ENERGY)
    return dataclasses.replace(
        style,
        tempo=float(round(_clamp(tempo, *TEMPO_RANGE))),
        energy=round(_clamp(energy, *ENERGY_RANGE), 2),
        swing=_clamp(scale * style.swing, 0.0, SWING_MAX),
    )


def _stray(style: Style, amount: float, seed: int) -> Style:
    if amount < 0:
        straight = 1.0 + amount  # 1 at weirdness 0.5, 0 at weirdness 0
        progressions = style.progressions[:1] if amount <= -0.5 else style.progressions
        return dataclasses.replace(style, swing=style.swing * straight,
                                   progressions=progressions)
    rng = random.Random(f"songgate-weird|{seed}|{style.genre}")
    progressions = style.progressions
    if rng.random() < amount:
        others = [preset for preset in PRESETS if preset.name != style.genre]
        other = others[rng.randrange(len(others))]
        progressions = other.major if style.mode is Mode.MAJOR else other.minor
    swing = _clamp(style.swing + amount / 6, 0.0, SWING_MAX)
    return dataclasses.replace(style, progressions=progressions, swing=swing)
