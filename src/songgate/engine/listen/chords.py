"""A chord per bar: the bar's chroma against the 24 major and minor triads.

Each bar's chroma (averaged over the bar) is compared with triad templates by cosine;
the bass chroma adds weight to the root it dwells on, which tells a chord from the
triad inside its seventh (C E G B holds E minor). Chords outside the key lose a little.
"""

from __future__ import annotations

import itertools

import numpy as np

from songgate.engine.listen.features import ANALYSIS_RATE, HOP, Features
from songgate.engine.listen.templates import chord_table
from songgate.engine.listen.types import BarChord, BeatGrid, Key
from songgate.engine.types import Mode

BASS_WEIGHT = 0.35
BASS_HEAD = (
    0.5  # share of the bass read on the bar's first beat (a walking bass starts on the root)
)
OUT_OF_KEY = 0.05
MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)


def bar_chords(feats: Features, grid: BeatGrid, key: Key | None = None) -> tuple[BarChord, ...]:
    table, roots, minors = chord_table()
    mask = diatonic(key) if key is not None else np.zeros(24, dtype=bool)
    in_key = mask[roots + 12 * minors]
    bars = [*list(grid.downbeats), grid.downbeats[-1] + _bar_length(grid)] if grid.downbeats else []
    chords: list[BarChord] = []
    for start, end in itertools.pairwise(bars):
        a = max(0, round(start * ANALYSIS_RATE / HOP))
        b = min(feats.frames, round(end * ANALYSIS_RATE / HOP))
        if b <= a:
            continue
        chroma = feats.chroma[:, a:b].mean(axis=1)
        chroma = chroma - chroma.min()
        head = a + max(1, (b - a) // max(1, grid.meter))  # the bar's first beat
        bass = (1 - BASS_HEAD) * feats.bass[:, a:b].mean(axis=1) + BASS_HEAD * feats.bass[
            :, a:head
        ].mean(axis=1)
        bass = bass - bass.min()
        unit = chroma / (np.linalg.norm(chroma) + 1e-9)
        bass_share = bass / (bass.max() + 1e-9)
        score = table @ unit + BASS_WEIGHT * bass_share[roots]
        if key is not None:
            score = score - OUT_OF_KEY * ~in_key
        best = int(np.argmax(score))
        chords.append(BarChord(float(start), float(end), int(roots[best]), bool(minors[best])))
    return tuple(chords)


def _bar_length(grid: BeatGrid) -> float:
    return grid.meter * 60.0 / grid.tempo


def diatonic(key: Key) -> np.ndarray:
    """(24,) the triads of the key's scale (natural minor's are the relative major's)."""
    major_tonic = key.tonic if key.mode is Mode.MAJOR else (key.tonic + 3) % 12
    mask = np.zeros(24, dtype=bool)
    for degree, quality in zip(MAJOR_SCALE, ("M", "m", "m", "M", "M", "m", "d"), strict=True):
        root = (major_tonic + degree) % 12
        if quality == "M":
            mask[root] = True
        elif quality == "m":
            mask[12 + root] = True
    if key.mode is Mode.MINOR:  # harmonic minor's major V
        mask[(key.tonic + 7) % 12] = True
    return mask
