"""Key and mode: the song's pitch-class profile against the 24 major and minor keys.

The profile is the chroma summed over the song with the bass chroma added (the bass
dwells on the tonic), correlated with Temperley's key profiles. A relative major and
minor share their notes, so the tonic chord's share of the song's bars decides
between the two when their scores are close.
"""

from __future__ import annotations

import numpy as np

from songgate.engine.listen.features import Features, FloatArray
from songgate.engine.listen.types import BarChord, Key
from songgate.engine.types import Mode

# Temperley (2001), "The Cognition of Basic Musical Structures", the Kostka-Payne profiles
MAJOR_PROFILE = np.array([5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0])
MINOR_PROFILE = np.array([5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0])
CHORD_WEIGHT = 0.5  # a key's score gains this times the share of bars on its tonic chord
BASS_WEIGHT = 1.0


def profile(feats: Features) -> FloatArray:
    chroma = feats.chroma / (feats.chroma.max(axis=0, keepdims=True) + 1e-9)
    bass = feats.bass / (feats.bass.max(axis=0, keepdims=True) + 1e-9)
    return np.asarray(chroma.sum(axis=1) + BASS_WEIGHT * bass.sum(axis=1))


def key_scores(pitch_profile: FloatArray) -> FloatArray:
    """(24,) correlations: index tonic for major, 12 + tonic for minor."""
    scores = np.zeros(24)
    for tonic in range(12):
        rolled = np.roll(pitch_profile, -tonic)
        scores[tonic] = np.corrcoef(rolled, MAJOR_PROFILE)[0, 1]
        scores[12 + tonic] = np.corrcoef(rolled, MINOR_PROFILE)[0, 1]
    return scores


def estimate_key(feats: Features, chords: tuple[BarChord, ...] = ()) -> Key:
    scores = key_scores(profile(feats))
    if chords:
        for tonic in range(12):
            scores[tonic] += CHORD_WEIGHT * _share(chords, tonic, minor=False)
            scores[12 + tonic] += CHORD_WEIGHT * _share(chords, tonic, minor=True)
    order = np.argsort(scores)[::-1]
    best, runner = int(order[0]), int(order[1])
    margin = float(np.clip(scores[best] - scores[runner], 0.0, 1.0))
    return Key(tonic=best % 12, mode=Mode.MAJOR if best < 12 else Mode.MINOR, confidence=margin)


def _share(chords: tuple[BarChord, ...], root: int, *, minor: bool) -> float:
    return sum(1 for c in chords if c.root == root and c.minor == minor) / len(chords)
