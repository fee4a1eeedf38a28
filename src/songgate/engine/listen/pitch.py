"""Fundamental frequency of a monophonic voice by YIN (de Cheveigné & Kawahara 2002),
vectorised over frames with FFT correlation: a frame is voiced where the cumulative
mean normalised difference dips below a threshold and the frame is loud enough."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.fft import irfft, rfft

from songgate.engine.listen.features import FloatArray

WINDOW = 0.025  # seconds integrated per lag
THRESHOLD = 0.15  # YIN's absolute threshold on the normalised difference
FMIN = 65.0
FMAX = 1100.0
QUIET_DB = 40.0  # frames this far below the loud frames are unvoiced
SILENT_DB = -70.0  # ... and frames below this power (dB full scale) in any case


@dataclass(frozen=True, slots=True)
class PitchTrack:
    hop: float  # seconds between frames
    f0: FloatArray  # Hz, 0 where unvoiced
    level_db: FloatArray  # frame RMS in dB, relative to the loud frames

    @property
    def voiced(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.f0 > 0)

    def times(self) -> FloatArray:
        return np.arange(len(self.f0), dtype=np.float64) * self.hop


def yin(signal: npt.NDArray[np.float32], rate: int, hop: int) -> PitchTrack:
    width = int(WINDOW * rate)
    max_lag = int(rate / FMIN) + 1
    min_lag = max(2, int(rate / FMAX))
    span = width + max_lag + 2
    size = 1 << int(np.ceil(np.log2(span + width)))
    frames = max(1, len(signal) // hop)
    padded = np.pad(signal.astype(np.float64), (width // 2, span + hop * frames))
    f0 = np.zeros(frames)
    level = np.zeros(frames)
    block = 1024
    for first in range(0, frames, block):
        count = min(block, frames - first)
        starts = (first + np.arange(count)) * hop
        chunk = padded[starts[:, None] + np.arange(span)[None, :]]
        f0[first : first + count], level[first : first + count] = _yin_block(
            chunk, width, min_lag, max_lag, size, rate
        )
    level_db = 10.0 * np.log10(level + 1e-12)
    loud = float(np.percentile(level_db, 95))
    f0[(level_db < loud - QUIET_DB) | (level_db < SILENT_DB)] = 0.0
    level_db = level_db - loud
    return PitchTrack(hop=hop / rate, f0=f0, level_db=level_db)


def _yin_block(
    chunk: FloatArray, width: int, min_lag: int, max_lag: int, size: int, rate: int
) -> tuple[FloatArray, FloatArray]:
    head = np.zeros((chunk.shape[0], size))
    head[:, :width] = chunk[:, :width]
    whole = np.zeros((chunk.shape[0], size))
    whole[:, : chunk.shape[1]] = chunk
    correlation = irfft(np.conj(rfft(head, axis=1)) * rfft(whole, axis=1), n=size, axis=1)
    correlation = correlation[:, : max_lag + 2]
    squares = np.cumsum(np.pad(chunk**2, ((0, 0), (1, 0))), axis=1)
    lags = np.arange(max_lag + 2)
    energy_head = squares[:, width][:, None]
    energy_lag = squares[:, lags + width] - squares[:, lags]
    difference = np.maximum(0.0, energy_head + energy_lag - 2.0 * correlation)
    cumulative = np.cumsum(difference[:, 1:], axis=1)
    normalised = np.ones_like(difference)
    normalised[:, 1:] = difference[:, 1:] * lags[1:] / np.maximum(cumulative, 1e-12)
    inner = normalised[:, min_lag : max_lag + 1]
    below = inner[:, 1:-1] < THRESHOLD
    minimum = (inner[:, 1:-1] <= inner[:, :-2]) & (inner[:, 1:-1] <= inner[:, 2:])
    candidate = below & minimum
    found = candidate.any(axis=1)
    index = np.argmax(candidate, axis=1) + 1  # into inner
    rows = np.arange(inner.shape[0])
    a = inner[rows, index - 1]
    b = inner[rows, index]
    c = inner[rows, np.minimum(index + 1, inner.shape[1] - 1)]
    denom = a - 2 * b + c
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (a - c) / np.where(denom == 0, 1, denom), 0.0)
    lag = min_lag + index + np.clip(shift, -1, 1)
    f0 = np.where(found, rate / lag, 0.0)
    level = energy_head[:, 0] / width
    return f0, level
