"""Measurements on rendered audio, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import signal

Audio = npt.NDArray[np.floating]


def mono(audio: Audio) -> Audio:
    return audio.mean(axis=1) if audio.ndim == 2 else audio


def onset_envelope(audio: Audio, sample_rate: int, hop: int = 512) -> Audio:
    """Positive spectral flux per hop: where new energy starts."""
    _, _, spec = signal.stft(mono(audio), fs=sample_rate, nperseg=2048, noverlap=2048 - hop)
    magnitude = np.log1p(np.abs(spec))
    flux = np.maximum(0.0, np.diff(magnitude, axis=1)).sum(axis=0)
    flux -= flux.mean()
    return np.maximum(flux, 0.0)


def estimate_tempo(audio: Audio, sample_rate: int, low: float = 50, high: float = 220) -> float:
    """The beats per minute whose period best repeats in the onset envelope."""
    hop = 512
    envelope = onset_envelope(audio, sample_rate, hop)
    frames_per_second = sample_rate / hop
    correlation = np.correlate(envelope, envelope, mode="full")[len(envelope) - 1:]
    lags = np.arange(len(correlation))
    bpm = np.full(len(lags), np.inf)
    bpm[1:] = 60.0 * frames_per_second / lags[1:]
    usable = (bpm >= low) & (bpm <= high)
    best = lags[usable][np.argmax(correlation[usable])]
    # refine the peak by a parabola through its neighbours
    left, mid, right = correlation[best - 1], correlation[best], correlation[best + 1]
    shift = 0.5 * (left - right) / (left - 2 * mid + right) if left - 2 * mid + right else 0.0
    return float(60.0 * frames_per_second / (best + shift))


def tempo_matches(measured: float, expected: float, tolerance: float = 0.04) -> bool:
    """Within ``tolerance`` of the tempo, its double or its half."""
    return any(abs(measured - expected * factor) <= tolerance * expected * factor
               for factor in (0.5, 1.0, 2.0))


def spectral_centroid(audio: Audio, sample_rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(mono(audio)))
    freqs = np.fft.rfftfreq(len(mono(audio)), 1 / sample_rate)
    return float((spectrum * freqs).sum() / spectrum.sum())


def octave_profile(audio: Audio, sample_rate: int) -> Audio:
    """Each octave's share of the energy in dB, for octaves centred 31.5 Hz .. 16 kHz."""
    power = np.abs(np.fft.rfft(mono(audio))) ** 2
    freqs = np.fft.rfftfreq(len(mono(audio)), 1 / sample_rate)
    total = power.sum()
    centres = 31.25 * 2.0 ** np.arange(10)
    shares = [power[(freqs >= c / np.sqrt(2)) & (freqs < c * np.sqrt(2))].sum() / total
              for c in centres]
    return np.asarray(10 * np.log10(np.maximum(shares, 1e-12)), dtype=np.float32)


def onset_times(audio: Audio, sample_rate: int, *, hop: int = 128, frame: int = 1024,
                peak_s: float = 0.03, median_s: float = 0.15, delta: float = 0.05) -> Audio:
    """Seconds of the onsets in ``audio``: peaks of the rise in log spectral magnitude
    (spectral flux, scaled to its maximum) that are the largest within ``peak_s`` and
    stand ``delta`` above the median within ``median_s``, at least 30 ms apart."""
    signal = mono(audio)
    n = max(0, (len(signal) - frame) // hop + 1)
    index = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    spectrum = np.log1p(100.0 * np.abs(np.fft.rfft(signal[index] * np.hanning(frame), axis=1)))
    flux = np.concatenate([[0.0], np.maximum(np.diff(spectrum, axis=0), 0.0).sum(axis=1)])
    flux /= max(float(flux.max()), 1e-12)
    near, wide = max(1, int(peak_s * sample_rate / hop)), max(1, int(median_s * sample_rate / hop))
    found: list[float] = []
    for i in range(1, len(flux) - 1):
        if flux[i] >= flux[max(0, i - near):i + near + 1].max() \
                and flux[i] > np.median(flux[max(0, i - wide):i + wide + 1]) + delta:
            seconds = (i * hop + frame / 2) / sample_rate
            if not found or seconds - found[-1] >= 0.03:
                found.append(seconds)
    return np.array(found)
