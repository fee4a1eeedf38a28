"""Sections: where the song's bars change character, and which sections repeat.

Each bar becomes a vector of its chroma and timbre (MFCC), normalised; the bars' cosine
self-similarity matrix shows a repeat as a stripe parallel to the diagonal and a section
as a block on it. A checkerboard kernel slid along the diagonal peaks at block edges
(Foote 2000; here the mean similarity within the bars either side less that across,
so the song's first and last bars need no padding): its peaks, at least MIN_BARS apart,
are the boundaries. Two sections get the same letter when their bars, laid side by side
from their starts, are as alike as a section is to itself.
"""

from __future__ import annotations

import itertools

import numpy as np

from songgate.engine.listen.features import ANALYSIS_RATE, HOP, Features, FloatArray
from songgate.engine.listen.types import BeatGrid, SongSection

KERNEL_BARS = 4  # half width of the checkerboard
MIN_BARS = 4  # shortest section
PEAK_SPREAD = 0.5  # a boundary's novelty stands this many deviations over the mean
SAME = 0.85  # mean similarity of aligned bars at which two sections repeat each other


def sections(feats: Features, grid: BeatGrid) -> tuple[SongSection, ...]:
    starts = list(grid.downbeats)
    if not starts:
        return ()
    bar = grid.meter * 60.0 / grid.tempo
    ends = [*starts[1:], starts[-1] + bar]
    vectors = _bar_vectors(feats, starts, ends)
    similarity = vectors.T @ vectors
    bounds = _boundaries(similarity)
    labels = _labels(similarity, bounds)
    result = []
    for (first, last), label in zip(itertools.pairwise(bounds), labels, strict=True):
        result.append(
            SongSection(
                start=round(max(0.0, starts[first]), 4),
                end=round(min(feats.seconds, ends[last - 1]), 4),
                start_bar=first,
                bars=last - first,
                label=label,
            )
        )
    return tuple(result)


def _bar_vectors(feats: Features, starts: list[float], ends: list[float]) -> FloatArray:
    rows = []
    for start, end in zip(starts, ends, strict=True):
        a = max(0, round(start * ANALYSIS_RATE / HOP))
        b = max(a + 1, min(feats.frames, round(end * ANALYSIS_RATE / HOP)))
        chroma = feats.chroma[:, a:b].mean(axis=1) if b <= feats.frames else np.zeros(12)
        timbre = feats.mfcc[1:, a:b].mean(axis=1) if b <= feats.frames else np.zeros(12)
        rows.append(np.concatenate([_unit(chroma - chroma.mean()), _unit(timbre)]))
    vectors = np.stack(rows, axis=1)
    return np.asarray(vectors / (np.linalg.norm(vectors, axis=0, keepdims=True) + 1e-9))


def _unit(vector: FloatArray) -> FloatArray:
    return np.asarray(vector / (np.linalg.norm(vector) + 1e-9))


def _boundaries(similarity: FloatArray) -> list[int]:
    n = similarity.shape[0]
    novelty = np.zeros(n)
    for index in range(1, n):
        before = slice(max(0, index - KERNEL_BARS), index)
        after = slice(index, min(n, index + KERNEL_BARS))
        within = similarity[before, before].mean() + similarity[after, after].mean()
        novelty[index] = within - 2.0 * similarity[before, after].mean()
    bounds = [0]
    threshold = float(novelty.mean() + PEAK_SPREAD * novelty.std())
    peaks = [
        i
        for i in range(1, n - 1)
        if novelty[i] >= novelty[i - 1] and novelty[i] >= novelty[i + 1] and novelty[i] > threshold
    ]
    for index in sorted(peaks, key=lambda i: -novelty[i]):  # the strongest first
        if all(abs(index - b) >= MIN_BARS for b in [*bounds, n]):
            bounds.append(index)
    return [*sorted(bounds), n]


def _labels(similarity: FloatArray, bounds: list[int]) -> list[str]:
    spans = list(itertools.pairwise(bounds))
    labels: list[str] = []
    letters: list[tuple[int, int]] = []  # the first section of each letter
    for span in spans:
        for letter, first in enumerate(letters):
            if _alike(similarity, first, span):
                labels.append(chr(ord("A") + letter % 26))
                break
        else:
            letters.append(span)
            labels.append(chr(ord("A") + (len(letters) - 1) % 26))
    return labels


def _alike(similarity: FloatArray, one: tuple[int, int], other: tuple[int, int]) -> bool:
    length = min(one[1] - one[0], other[1] - other[0])
    if length <= 0:
        return False
    pairs = [similarity[one[0] + k, other[0] + k] for k in range(length)]
    return float(np.mean(pairs)) >= SAME
