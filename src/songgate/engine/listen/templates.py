"""Chord templates as unit pitch-class vectors, each named by the triad it counts as:
major and minor triads on every root, and the sevenths (maj7, 7, m7) that the engine's
jazz, lo-fi and R&B styles voice, which count as their triads."""

from __future__ import annotations

import numpy as np

from songgate.engine.listen.features import FloatArray

# (intervals above the root, minor triad?)
SHAPES = (
    ((0, 4, 7), False),
    ((0, 3, 7), True),
    ((0, 4, 7, 11), False),  # maj7
    ((0, 4, 7, 10), False),  # dominant 7
    ((0, 3, 7, 10), True),  # m7
)
SEVENTH_WEIGHT = 0.7  # a seventh's extra tone counts for less than a triad tone


def chord_table() -> tuple[FloatArray, np.ndarray, np.ndarray]:
    """(templates (n, 12), root of each (n,), minor of each (n,))."""
    rows: list[np.ndarray] = []
    roots: list[int] = []
    minors: list[bool] = []
    for intervals, minor in SHAPES:
        for root in range(12):
            row = np.zeros(12)
            for position, interval in enumerate(intervals):
                row[(root + interval) % 12] = 1.0 if position < 3 else SEVENTH_WEIGHT
            rows.append(row / np.linalg.norm(row))
            roots.append(root)
            minors.append(minor)
    return np.stack(rows), np.asarray(roots), np.asarray(minors)


def templates() -> FloatArray:
    """(24, 12): row ``root`` is the major triad on ``root``, row ``12 + root`` the minor."""
    return chord_table()[0][:24]
