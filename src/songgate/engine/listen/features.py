"""The spectral views every estimate reads, computed once per song with numpy alone (no
JIT to warm up, so a fresh process listens as fast as a warm one): a mono signal at the
analysis rate, its onset strength, a treble and a bass chroma, and timbre (MFCC).

Chroma maps each spectrum bin to the semitones it lies between (a triangle one semitone
wide), so it needs bins finer than a semitone: 5.4 Hz bins serve from C2 (65 Hz) up; the
bass chroma (C1..B2) reads a spectrum of the signal decimated to a quarter of the rate,
whose bins are 1.3 Hz, on the same 23 ms hop.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

import numpy as np
import numpy.typing as npt
from scipy.fft import dct, rfft
from scipy.signal import resample_poly

ANALYSIS_RATE = 22_050
HOP = 512  # frames of 23 ms at the analysis rate
N_FFT = 4096  # the chroma's spectrum
ONSET_FFT = 1024  # the onset strength's: short, so an attack is not heard 90 ms early
BASS_DECIMATE = 4
MEL_BANDS = 64
CHROMA_PITCHES = (36, 96)  # C2..B6: the chord and the key
BASS_PITCHES = (24, 48)  # C1..B2: the chord's root
LOG_FLOOR = 1e-3  # dynamic compression: log(1 + magnitude / floor)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Features:
    signal: npt.NDArray[np.float32]  # mono at ANALYSIS_RATE
    onset: FloatArray  # onset strength per frame
    chroma: FloatArray  # (12, frames), pitch class 0 = C
    bass: FloatArray  # (12, frames)
    mfcc: FloatArray  # (13, frames)

    @property
    def frames(self) -> int:
        return int(self.onset.shape[0])

    @property
    def seconds(self) -> float:
        return len(self.signal) / ANALYSIS_RATE


def frame_times(frames: int) -> FloatArray:
    return np.arange(frames, dtype=np.float64) * HOP / ANALYSIS_RATE


def time_frame(seconds: float) -> int:
    return round(seconds * ANALYSIS_RATE / HOP)


def mono_at(
    audio: npt.NDArray[np.floating], sample_rate: int, rate: int
) -> npt.NDArray[np.float32]:
    """``audio`` (n,) or (n, channels) as mono float32 at ``rate``."""
    if sample_rate <= 0:
        raise ValueError("sample_rate must be positive")
    signal = np.asarray(audio, dtype=np.float32)
    if signal.ndim == 2:
        signal = signal.mean(axis=1)
    if signal.ndim != 1:
        raise ValueError("audio must be (n,) or (n, channels)")
    if sample_rate != rate:
        common = gcd(sample_rate, rate)
        signal = resample_poly(signal, rate // common, sample_rate // common).astype(np.float32)
    return np.ascontiguousarray(signal, dtype=np.float32)


def magnitudes(
    signal: npt.NDArray[np.float32], n_fft: int, hop: int, frames: int, bins: int | None = None
) -> FloatArray:
    """(bins, frames) magnitude spectrogram (the lowest ``bins`` of n_fft // 2 + 1), frames
    centred on multiples of ``hop``."""
    bins = n_fft // 2 + 1 if bins is None else bins
    padded = np.pad(signal, (n_fft // 2, n_fft // 2 + hop * frames))
    starts = np.arange(frames) * hop
    window = np.hanning(n_fft).astype(np.float32)
    out = np.empty((bins, frames), dtype=np.float64)
    block = 512
    for first in range(0, frames, block):
        idx = starts[first : first + block, None] + np.arange(n_fft)[None, :]
        out[:, first : first + block] = np.abs(rfft(padded[idx] * window, axis=1)[:, :bins]).T
    return out


def features(audio: npt.NDArray[np.floating], sample_rate: int) -> Features:
    signal = mono_at(audio, sample_rate, ANALYSIS_RATE)
    frames = max(1, len(signal) // HOP)
    spectrum = magnitudes(signal, N_FFT, HOP, frames, _bins_below(CHROMA_PITCHES[1], ANALYSIS_RATE))
    freqs = np.arange(spectrum.shape[0]) * ANALYSIS_RATE / N_FFT
    short = magnitudes(signal, ONSET_FFT, HOP, frames)
    short_freqs = np.arange(short.shape[0]) * ANALYSIS_RATE / ONSET_FFT
    log_mel = np.log(_mel_bank(short_freqs) @ (short**2) + 1e-8)
    flux = np.maximum(0.0, np.diff(log_mel, axis=1, prepend=log_mel[:, :1])).mean(axis=0)
    chroma = _fold(_pitch_bank(freqs, *CHROMA_PITCHES) @ spectrum)
    low = mono_at(signal, ANALYSIS_RATE, ANALYSIS_RATE // BASS_DECIMATE)
    low_rate = ANALYSIS_RATE // BASS_DECIMATE
    low_spectrum = magnitudes(
        low, N_FFT, HOP // BASS_DECIMATE, frames, _bins_below(BASS_PITCHES[1], low_rate)
    )
    low_freqs = np.arange(low_spectrum.shape[0]) * (ANALYSIS_RATE / BASS_DECIMATE) / N_FFT
    bass = _fold(_pitch_bank(low_freqs, *BASS_PITCHES) @ low_spectrum)
    mfcc = dct(log_mel, type=2, axis=0, norm="ortho")[:13]
    return Features(
        signal=signal,
        onset=np.asarray(flux, dtype=np.float64),
        chroma=np.log1p(chroma / LOG_FLOOR),
        bass=np.log1p(bass / LOG_FLOOR),
        mfcc=np.asarray(mfcc, dtype=np.float64),
    )


def _bins_below(pitch: int, rate: int) -> int:
    """Spectrum bins (of N_FFT at ``rate``) up to a semitone above MIDI ``pitch``."""
    hz = 440.0 * 2.0 ** ((pitch + 1 - 69) / 12.0)
    return min(N_FFT // 2 + 1, int(np.ceil(hz * N_FFT / rate)) + 1)


def _hz_to_midi(freqs: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        return np.asarray(69.0 + 12.0 * np.log2(np.maximum(freqs, 1e-6) / 440.0))


def _pitch_bank(freqs: FloatArray, low: int, high: int) -> FloatArray:
    """(high - low, bins): each bin's share of each semitone, a triangle a semitone wide."""
    midi = _hz_to_midi(freqs)
    pitches = np.arange(low, high, dtype=np.float64)
    return np.maximum(0.0, 1.0 - np.abs(midi[None, :] - pitches[:, None]))


def _fold(pitched: FloatArray) -> FloatArray:
    """Semitones starting on a C folded into 12 pitch classes."""
    octaves = pitched.shape[0] // 12
    return np.asarray(pitched[: octaves * 12].reshape(octaves, 12, -1).sum(axis=0))


def _mel_bank(freqs: FloatArray) -> FloatArray:
    def mel(hz: FloatArray) -> FloatArray:
        return np.asarray(2595.0 * np.log10(1.0 + hz / 700.0))

    edges_mel = np.linspace(
        mel(np.array([30.0]))[0], mel(np.array([ANALYSIS_RATE / 2]))[0], MEL_BANDS + 2
    )
    edges = 700.0 * (10.0 ** (edges_mel / 2595.0) - 1.0)
    bank = np.zeros((MEL_BANDS, len(freqs)))
    for band in range(MEL_BANDS):
        low, centre, high = edges[band], edges[band + 1], edges[band + 2]
        rising = (freqs - low) / (centre - low)
        falling = (high - freqs) / (high - centre)
        bank[band] = np.maximum(0.0, np.minimum(rising, falling))
    return bank
