"""Check that sung audio is in tune, with an independent pitch tracker.

The singer sets f0 itself, so trusting its own f0 would prove nothing; Praat's
autocorrelation tracker (PyPI ``praat-parselmouth``) listens to the audio instead.
Used by tests and benchmarks, not by the pipeline.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import parselmouth

from songgate.engine.types import Score

MIDDLE = (0.25, 0.75)  # the part of a note measured: past the onset, before the coda
TOLERANCE_CENTS = 50.0


def note_errors_cents(
    audio: npt.NDArray[np.floating[Any]], sample_rate: int, score: Score
) -> list[float]:
    """Per vocal note, |median f0 over the note's middle - note pitch| in cents;
    ``inf`` where the middle holds no pitched sound."""
    sound = parselmouth.Sound(np.asarray(audio, dtype=np.float64), float(sample_rate))
    pitch = sound.to_pitch_ac(time_step=0.005, pitch_floor=70.0, pitch_ceiling=1400.0)
    times = np.asarray(pitch.xs(), dtype=np.float64)
    f0 = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    errors: list[float] = []
    for note in score.vocal:
        start = score.seconds_at(note.start)
        length = score.seconds_at(note.duration)
        inside = (times >= start + MIDDLE[0] * length) & (times <= start + MIDDLE[1] * length)
        heard = f0[inside & (f0 > 0.0)]
        if heard.size == 0:
            errors.append(math.inf)
            continue
        target = 440.0 * 2.0 ** ((note.pitch - 69) / 12.0)
        errors.append(abs(1200.0 * math.log2(float(np.median(heard)) / target)))
    return errors


def measure_pitch_accuracy(
    audio: npt.NDArray[np.floating[Any]], sample_rate: int, score: Score
) -> float:
    """Fraction of vocal notes sung within 50 cents (1.0 when there are none)."""
    errors = note_errors_cents(audio, sample_rate, score)
    if not errors:
        return 1.0
    return sum(e <= TOLERANCE_CENTS for e in errors) / len(errors)
