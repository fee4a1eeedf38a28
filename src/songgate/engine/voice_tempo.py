"""The tempo of a lone voice from its notes' onsets, where beat tracking has no drums.

A sung line's syllables start on the beat grid (quarters and eighths), so the note
onsets of a voice alone mark the grid even though the audio has no steady pulse. The
onsets become a click train; a comb over its autocorrelation (beats 1 to 8 apart,
leaning towards 110 bpm) picks the tempo roughly, and the period whose eighth-note
phases the onsets agree on most (the length of their mean phase vector) refines it
within a few per cent. The same mean phase places the grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_NOTES = 8
LOW_BPM, HIGH_BPM, COARSE_STEP = 60.0, 180.0, 0.25
PRIOR_BPM, PRIOR_OCTAVES = 110.0, 0.7
REFINE, REFINE_STEP = 0.04, 0.0005  # ± share searched, step as a share
FRAMES_PER_SECOND = 100
COMB_BEATS = 8


@dataclass(frozen=True, slots=True)
class VoiceGrid:
    tempo: float  # beats per minute
    eighth_origin_s: float  # an eighth-note grid line, in [0, one eighth)
    agreement: float  # 0..1: how closely the onsets keep to that grid


def _coherence(onsets: np.ndarray, bpm: float) -> complex:
    eighth = 30.0 / bpm
    return complex(np.exp(2j * np.pi * onsets / eighth).mean())


def voice_grid(onsets: Sequence[float]) -> VoiceGrid | None:
    """The grid of a voice's note onsets (seconds); None for fewer than MIN_NOTES."""
    times = np.asarray(sorted(onsets), dtype=np.float64)
    if len(times) < MIN_NOTES:
        return None
    train = np.zeros(int(times.max() * FRAMES_PER_SECOND) + 2 * FRAMES_PER_SECOND)
    for onset in times:
        at = round(float(onset) * FRAMES_PER_SECOND)
        train[max(0, at - 1):at + 2] += 1.0
    correlation = np.correlate(train, train, "full")[len(train) - 1:]
    lags = np.arange(len(correlation), dtype=np.float64)

    def comb(bpm: float) -> float:
        period = 60.0 / bpm * FRAMES_PER_SECOND
        score = float(np.interp(period * np.arange(1, COMB_BEATS + 1), lags, correlation).mean())
        return score * math.exp(-0.5 * (math.log2(bpm / PRIOR_BPM) / PRIOR_OCTAVES) ** 2)

    coarse = max(np.arange(LOW_BPM, HIGH_BPM, COARSE_STEP), key=comb)
    fine = np.arange(coarse * (1 - REFINE), coarse * (1 + REFINE), coarse * REFINE_STEP)
    tempo = float(max(fine, key=lambda bpm: abs(_coherence(times, bpm))))
    phase = _coherence(times, tempo)
    eighth = 30.0 / tempo
    origin = (math.atan2(phase.imag, phase.real) / (2 * math.pi) * eighth) % eighth
    return VoiceGrid(round(tempo, 3), origin, abs(phase))
