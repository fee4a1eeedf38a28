"""Where sound starts: an onset envelope, to tell whether two recordings play the same notes."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

HOP_SECONDS = 0.02


def onset_envelope(audio: npt.ArrayLike, rate: int) -> npt.NDArray[np.float64]:
    """How much the loudness rises from each 20 ms frame to the next (mono, log RMS)."""
    data = np.asarray(audio, dtype=np.float64)
    mono = data.mean(axis=1) if data.ndim == 2 else data
    hop = max(1, round(rate * HOP_SECONDS))
    frames = len(mono) // hop
    rms = np.sqrt((mono[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    return np.maximum(np.diff(np.log(rms + 1e-4)), 0.0)


def same_notes(
    first: npt.ArrayLike, second: npt.ArrayLike, rate: int, offset: float = 0.0
) -> float:
    """Correlation of the onsets of ``first`` with those of ``second`` from ``offset`` seconds
    on, over the length of ``first``: near 1 when both play the same notes at the same times."""
    head = onset_envelope(first, rate)
    start = round(offset / HOP_SECONDS)
    tail = onset_envelope(second, rate)[start : start + len(head)]
    if len(tail) < len(head):
        return 0.0
    return float(np.corrcoef(head, tail)[0, 1])
