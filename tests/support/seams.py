"""Where a continued song leaves its original, and how the join sounds there: the largest
sample step at the seam against the music's own, and the short-term loudness either side."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from songgate.engine.listen.loudness import loudness

Samples = npt.NDArray[np.floating]
WINDOW = 3.0  # seconds: EBU R 128 short-term loudness
FADE = 0.05  # seconds: the join's crossfade


@dataclass(frozen=True, slots=True)
class Seam:
    seconds: float  # where the result stops being the original (the crossfade's start)
    step: float  # largest sample-to-sample step within 50 ms of the seam
    music_step: float  # the largest step in the second either side of it (the music's own)
    before_lufs: float  # short-term loudness of the 3 s before the seam
    after_lufs: float  # of the 3 s after the crossfade

    @property
    def loudness_step(self) -> float:
        return abs(self.after_lufs - self.before_lufs)


def seam_of(original: Samples, result: Samples, rate: int, *, kept_from: float = 0.0) -> Seam:
    """The seam of ``result``, which holds ``original`` (from ``kept_from`` s) up to it."""
    start = round(kept_from * rate)
    frames = min(len(original) - start, len(result))
    a = _mono(original)[start : start + frames]
    b = _mono(result)[:frames]
    differs = np.flatnonzero(np.abs(a - b) > 2e-3)
    at = int(differs[0]) if len(differs) else frames
    return seam_at(result, rate, at)


def end_seam_of(original: Samples, result: Samples, rate: int) -> Seam:
    """The seam where ``result`` takes up ``original`` again: both end alike after it."""
    frames = min(len(original), len(result))
    a = _mono(original)[::-1][:frames]
    b = _mono(result)[::-1][:frames]
    differs = np.flatnonzero(np.abs(a - b) > 2e-3)
    back = int(differs[0]) if len(differs) else frames
    return seam_at(result, rate, max(0, len(result) - back - round(FADE * rate)))


def seam_at(result: Samples, rate: int, at: int) -> Seam:
    """The join of ``result`` whose crossfade starts at frame ``at``."""
    mono = _mono(result)
    near = round(FADE * rate)
    steps = np.abs(np.diff(mono))
    step = float(steps[max(0, at - near) : at + 2 * near].max())
    music = max(float(steps[max(0, at - rate) : max(1, at - near)].max()),
                float(steps[min(len(steps) - 1, at + 2 * near) : at + rate].max()))
    width = round(WINDOW * rate)
    end = at + near
    before = loudness(result[max(0, at - width) : at], rate).short_term_lufs[-1]
    after = loudness(result[end : end + width], rate).short_term_lufs[0]
    return Seam(at / rate, step, music, before, after)


def _mono(audio: Samples) -> npt.NDArray[np.float64]:
    data = np.asarray(audio, dtype=np.float64)
    return data.mean(axis=1) if data.ndim == 2 else data
