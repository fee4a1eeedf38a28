"""Filters the mix uses: biquads in second-order sections, applied along the time axis."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfilt

Audio = npt.NDArray[np.float32]
Sections = npt.NDArray[np.float64]


def peaking(sample_rate: int, freq: float, gain_db: float, *, q: float) -> Sections:
    """One peaking biquad (the RBJ audio-EQ form) as second-order sections."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * freq / sample_rate
    alpha = math.sin(w0) / (2 * q)
    cos_w0 = math.cos(w0)
    b = np.array([1 + alpha * a, -2 * cos_w0, 1 - alpha * a])
    den = np.array([1 + alpha / a, -2 * cos_w0, 1 - alpha / a])
    return np.concatenate([b / den[0], den / den[0]])[None, :]


def highpass(audio: Audio, sample_rate: int, freq: float, *, order: int = 2) -> Audio:
    sos = butter(order, freq, btype="highpass", fs=sample_rate, output="sos")
    return np.asarray(sosfilt(sos, audio, axis=0), dtype=np.float32)


def lowpass(audio: Audio, sample_rate: int, freq: float, *, order: int = 2) -> Audio:
    sos = butter(order, freq, btype="lowpass", fs=sample_rate, output="sos")
    return np.asarray(sosfilt(sos, audio, axis=0), dtype=np.float32)


def bandpass(audio: Audio, sample_rate: int, low: float, high: float) -> Audio:
    """A 4th-order Butterworth band between ``low`` and ``high`` Hz."""
    sos = butter(4, (low, high), btype="bandpass", fs=sample_rate, output="sos")
    return np.asarray(sosfilt(sos, audio, axis=0), dtype=np.float32)


def apply(audio: Audio, sections: Sections) -> Audio:
    return np.asarray(sosfilt(sections, audio, axis=0), dtype=np.float32)
