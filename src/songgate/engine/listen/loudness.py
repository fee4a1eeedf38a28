"""Loudness by ITU-R BS.1770: the whole song (gated integrated loudness), its peak, and
the short-term loudness of 3 s windows every second (EBU R 128), all read from one
K-weighted copy of the song. The K-weighting filters are pyloudnorm's, designed for the
song's own rate; the gating is done here on block sums, so each sample is filtered once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.signal import lfilter

from songgate.engine.listen.types import Loudness

BLOCK = 0.4  # seconds: BS.1770 gating block
BLOCK_STEP = 0.1  # 75 % overlap
WINDOW = 3.0  # seconds: EBU R 128 short-term loudness
STEP = 1.0
SILENT = -70.0  # LUFS: BS.1770's absolute gate, reported for silence
RELATIVE_GATE = 10.0  # LU below the absolutely gated loudness


def loudness(audio: npt.NDArray[np.floating], sample_rate: int) -> Loudness:
    samples = np.asarray(audio, dtype=np.float64)
    if samples.ndim == 1:
        samples = samples[:, None]
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    power = _weighted_power(samples, sample_rate)
    return Loudness(
        integrated_lufs=_integrated(power, sample_rate),
        peak_dbfs=round(20.0 * float(np.log10(peak)), 2) if peak > 0 else -np.inf,
        short_term_lufs=tuple(
            round(max(SILENT, float(v)), 2)
            for v in _windows(power, int(WINDOW * sample_rate), int(STEP * sample_rate))
        ),
    )


def _weighted_power(samples: npt.NDArray[np.float64], sample_rate: int) -> npt.NDArray[np.float64]:
    """Running sum (length n + 1) of the K-weighted power summed over channels."""
    weighted = samples
    for stage in pyloudnorm.Meter(sample_rate)._filters.values():
        weighted = lfilter(stage.b, stage.a, weighted, axis=0)
    return np.concatenate([[0.0], np.cumsum(np.sum(weighted**2, axis=1))])


def _windows(power: npt.NDArray[np.float64], width: int, step: int) -> npt.NDArray[np.float64]:
    """LUFS of windows ``width`` samples long every ``step`` (one short window if shorter)."""
    n = len(power) - 1
    starts = np.arange(0, max(1, n - width + 1), step)
    ends = np.minimum(starts + width, n)
    mean_square = (power[ends] - power[starts]) / np.maximum(1, ends - starts)
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10.0 * np.log10(mean_square))


def _integrated(power: npt.NDArray[np.float64], sample_rate: int) -> float:
    if len(power) - 1 < int(BLOCK * sample_rate):
        return SILENT
    blocks = _windows(power, int(BLOCK * sample_rate), int(BLOCK_STEP * sample_rate))
    kept = blocks[blocks > SILENT]
    if not len(kept):
        return SILENT
    relative = _mean_lufs(kept) - RELATIVE_GATE
    kept = kept[kept > relative]
    return round(max(SILENT, _mean_lufs(kept)), 2) if len(kept) else SILENT


def _mean_lufs(blocks: npt.NDArray[np.float64]) -> float:
    return float(-0.691 + 10.0 * np.log10(np.mean(10.0 ** ((blocks + 0.691) / 10.0))))
