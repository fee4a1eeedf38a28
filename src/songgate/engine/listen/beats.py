"""Tempo, beat grid and meter.

The beat period is first guessed from the onset strength's autocorrelation (lags of
0.3-2 s, weighted towards 120 bpm), then refined by folding: the onset strength is
wrapped around candidate periods a fraction of a per cent apart, and the period whose
fold is sharpest wins. Over a whole song a period off by 0.2 % smears the fold by a
beat's tenth, so the refined tempo is far finer than any one lag. A dynamic-programming
tracker (Ellis 2007) follows the beats; when they keep to the straight grid of the
refined period, the grid is the answer (a missed beat then moves no bar line), else the
tracked beats are.

The prior leans towards 120 bpm, so a slow song whose eighth notes are played (a ballad's
picked guitar or hi-hat) may be heard at twice its tempo. Its beats then alternate: every
other one is far weaker than its neighbours (the true beats carry the kick and snare, the
eighths between them only the light strokes). When they do, and half the tempo is still a
song's, every other beat is dropped, the strong ones kept.

The meter and the bar lines come from the harmony: chords change on the first beat of a
bar far more often than on any other, so the bar length (three or four beats) and phase
whose bars each fit a single triad best win.
"""

from __future__ import annotations

import itertools

import numpy as np

from songgate.engine.listen.features import ANALYSIS_RATE, HOP, Features, FloatArray
from songgate.engine.listen.templates import templates
from songgate.engine.listen.types import BeatGrid

FRAME = HOP / ANALYSIS_RATE  # seconds per onset frame
PRIOR_CENTRE = 0.5  # seconds per beat the guess leans towards (120 bpm)
PRIOR_WIDTH = 1.0  # octaves (standard deviation of the log-period prior)
HARMONICS = 4
REFINE = 0.04  # the fold searches periods this share either side of the guess
REFINE_STEPS = 161
FOLD_BINS = 48
STEADY = 0.1  # a tracked beat this share of a beat from the grid still keeps to it
STEADY_SHARE = 0.8  # ... and this share of beats must
TIGHTNESS = 100.0
METERS = (4, 3)  # ties go to the first
MIN_SECONDS = 4.0
ALTERNATE = 0.64  # every other beat this weak (mean onset, of the strong ones) -> half time
MIN_HALF_TEMPO = 55.0  # bpm: no song is halved below this


def beat_grid(feats: Features) -> BeatGrid:
    onset = _normalised(feats.onset)
    seconds = feats.seconds
    if seconds < MIN_SECONDS or not np.any(onset > 0):
        period = 0.5
        beats = np.arange(0.0, seconds, period)
    else:
        period, phase = _refined(onset, _guess(onset))
        grid = np.arange(phase, seconds, period)
        tracked = _tracked(onset, period)
        beats = grid if _keeps_to(tracked, grid, period) else tracked
        period, beats = _half_time(onset, period, beats)
    meter, first = _meter(feats, beats)
    downbeats = _downbeats(beats, meter, first, period)
    return BeatGrid(
        tempo=round(60.0 / period, 3),
        beats=tuple(round(float(b), 4) for b in beats),
        meter=meter,
        downbeats=tuple(round(float(d), 4) for d in downbeats),
    )


def _normalised(onset: FloatArray) -> FloatArray:
    centred = onset - np.convolve(onset, np.ones(16) / 16, mode="same")  # local mean removed
    positive = np.maximum(0.0, centred)
    scale = float(positive.std())
    return positive / scale if scale > 0 else positive


def _guess(onset: FloatArray) -> float:
    """Seconds per beat from the autocorrelation, leaning towards PRIOR_CENTRE. A lag's
    score sums the autocorrelation at its first HARMONICS multiples: a true beat period
    repeats at two, three and four beats, a lag a quarter off it does not."""
    n = len(onset)
    spectrum = np.fft.rfft(onset, 2 * n)
    auto = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    peaks = np.maximum(auto, np.maximum(np.roll(auto, 1), np.roll(auto, -1)))  # +-1 frame
    lags = np.arange(n) * FRAME
    usable = np.flatnonzero((lags >= 0.3) & (lags <= 2.0) & (np.arange(n) * HARMONICS < n))
    if not len(usable):
        return PRIOR_CENTRE
    harmonic = np.array([sum(peaks[k * i] for k in range(1, HARMONICS + 1)) for i in usable])
    weight = np.exp(-0.5 * (np.log2(lags[usable] / PRIOR_CENTRE) / PRIOR_WIDTH) ** 2)
    best = int(usable[int(np.argmax(harmonic * weight))])
    if 0 < best < n - 1:  # parabolic peak between frames
        a, b, c = auto[best - 1], auto[best], auto[best + 1]
        denom = a - 2 * b + c
        offset = 0.5 * (a - c) / denom if denom != 0 else 0.0
        return float((best + offset) * FRAME)
    return float(best * FRAME)


def _refined(onset: FloatArray, guess: float) -> tuple[float, float]:
    """(period, phase) in seconds: the period near ``guess`` whose fold is sharpest."""
    times = np.arange(len(onset)) * FRAME
    weights = onset
    best = (guess, 0.0)
    best_score = -np.inf
    for period in guess * np.linspace(1 - REFINE, 1 + REFINE, REFINE_STEPS):
        bins = ((times / period) % 1.0 * FOLD_BINS).astype(int) % FOLD_BINS
        fold = np.bincount(bins, weights=weights, minlength=FOLD_BINS)
        fold = fold + np.roll(fold, 1) + np.roll(fold, -1)  # a bin's neighbours share its beats
        peak = int(np.argmax(fold))
        score = float(fold[peak])
        if score > best_score:
            best_score = score
            best = (float(period), (peak + 0.5) / FOLD_BINS * float(period))
    return best


def _tracked(onset: FloatArray, period: float) -> FloatArray:
    """Beat times by dynamic programming: strong onsets, spaced close to ``period``."""
    frames_per_beat = period / FRAME
    n = len(onset)
    score = onset.copy()
    back = np.full(n, -1)
    lags = np.arange(round(frames_per_beat / 2), round(2 * frames_per_beat) + 1)
    penalty = -TIGHTNESS * np.log(lags / frames_per_beat) ** 2
    for frame in range(int(lags[0]), n):
        prior = frame - lags
        valid = prior >= 0
        candidates = np.where(valid, score[np.maximum(prior, 0)] + penalty, -np.inf)
        best = int(np.argmax(candidates))
        if candidates[best] > 0:
            score[frame] += candidates[best]
            back[frame] = prior[best]
    tail = n - round(frames_per_beat) - 1
    last = int(np.argmax(score[max(0, tail) :])) + max(0, tail)
    beats = [last]
    while back[beats[-1]] >= 0:
        beats.append(int(back[beats[-1]]))
    return np.asarray(beats[::-1], dtype=np.float64) * FRAME


def _half_time(onset: FloatArray, period: float,
               beats: FloatArray) -> tuple[float, FloatArray]:
    """(period, beats), halved to the strong beats when every other beat is weak."""
    if len(beats) < 8 or 60.0 / (2 * period) < MIN_HALF_TEMPO:
        return period, beats
    frames = np.clip(np.round(beats / FRAME).astype(int), 0, len(onset) - 1)
    windowed = np.maximum(onset, np.maximum(np.roll(onset, 1), np.roll(onset, -1)))
    strength = windowed[frames]
    even, odd = float(strength[0::2].mean()), float(strength[1::2].mean())
    if max(even, odd) <= 0 or min(even, odd) / max(even, odd) >= ALTERNATE:
        return period, beats
    return 2 * period, beats[0::2] if even >= odd else beats[1::2]


def _keeps_to(tracked: FloatArray, grid: FloatArray, period: float) -> bool:
    if len(tracked) < 4 or len(grid) < 4:
        return False
    distance = np.abs(((tracked - grid[0]) / period + 0.5) % 1.0 - 0.5)
    return float(np.mean(distance <= STEADY)) >= STEADY_SHARE


def _meter(feats: Features, beats: FloatArray) -> tuple[int, int]:
    """(beats per bar, index of the first downbeat among ``beats``): the bar length and
    phase whose bars each hold one chord best (a bar straddling a chord change fits no
    single triad well)."""
    per_beat = _beat_chroma(feats, beats)
    templates()
    best = (METERS[0], 0)
    best_score = -np.inf
    for meter in METERS:
        if per_beat.shape[1] < 2 * meter:
            continue
        for phase in range(meter):
            usable = (per_beat.shape[1] - phase) // meter
            bars = per_beat[:, phase : phase + usable * meter].reshape(24, usable, meter)
            score = float(bars.sum(axis=2).max(axis=0).mean()) / meter
            if score > best_score + 1e-9:
                best, best_score = (meter, phase), score
    return best


def _beat_chroma(feats: Features, beats: FloatArray) -> FloatArray:
    """(24, beats): each beat's chroma (with the bass) scored against the 24 triads."""
    edges = np.clip(np.round(beats / FRAME).astype(int), 0, feats.frames - 1)
    edges = np.append(edges, feats.frames)
    chroma = feats.chroma + feats.bass
    means = np.zeros((12, len(beats)))
    for index, (a, b) in enumerate(itertools.pairwise(edges)):
        if b > a:
            means[:, index] = chroma[:, a:b].mean(axis=1)
    means = means - means.min(axis=0, keepdims=True)
    unit = means / (np.linalg.norm(means, axis=0) + 1e-9)
    return np.asarray(templates() @ unit)


def _downbeats(beats: FloatArray, meter: int, first: int, period: float) -> FloatArray:
    bars = beats[first::meter]
    while len(bars) and bars[0] > 0.5 * period:  # the bars before the first full one
        bars = np.insert(bars, 0, bars[0] - meter * period)
    return np.asarray(bars, dtype=np.float64)
