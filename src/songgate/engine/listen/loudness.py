"""Loudness by ITU-R BS.1770 (pyloudnorm): the whole song, its peak, and 3 s windows."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyloudnorm

from songgate.engine.listen.types import Loudness

WINDOW = 3.0  # seconds: EBU R 128 short-term loudness
STEP = 1.0
SILENT = -70.0  # LUFS reported for digital silence (BS.1770's absolute gate)


def loudness(audio: npt.NDArray[np.floating], sample_rate: int) -> Loudness:
    samples = np.asarray(audio, dtype=np.float64)
    meter = pyloudnorm.Meter(sample_rate)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return Loudness(
        integrated_lufs=_lufs(meter, samples),
        peak_dbfs=round(20.0 * np.log10(peak), 2) if peak > 0 else -np.inf,
        short_term_lufs=_short_term(meter, samples, sample_rate),
    )


def _lufs(meter: pyloudnorm.Meter, samples: npt.NDArray[np.float64]) -> float:
    if len(samples) < int(0.4 * meter.rate) + 1 or not np.any(samples):
        return SILENT
    value = float(meter.integrated_loudness(samples))
    return round(max(SILENT, value), 2) if np.isfinite(value) else SILENT


def _short_term(
    meter: pyloudnorm.Meter, samples: npt.NDArray[np.float64], sample_rate: int
) -> tuple[float, ...]:
    width, step = int(WINDOW * sample_rate), int(STEP * sample_rate)
    if len(samples) < width:
        return (_lufs(meter, samples),)
    return tuple(_lufs(meter, samples[start : start + width]) for start in range(0, len(samples) - width + 1, step))
