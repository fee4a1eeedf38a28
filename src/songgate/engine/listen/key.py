"""Key and mode, from every cue a song gives.

The song's pitch-class profile (chroma summed over the song, bass added) is correlated
with Temperley's key profiles; that alone confuses a key with its relative minor and
its dominant, which share nearly all their notes. The chords settle it: a key gains the
share of bars whose chord belongs to it, the share on its tonic chord, and the last
chord of the song when that is its tonic; the melody's phrase endings (the note before
a rest) land on the tonic more than on any other degree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from songgate.engine.listen.chords import diatonic
from songgate.engine.listen.features import Features, FloatArray
from songgate.engine.listen.types import BarChord, Key, MelodyNote
from songgate.engine.types import Mode

# Temperley (2001), "The Cognition of Basic Musical Structures", the Kostka-Payne profiles
MAJOR_PROFILE = np.array([5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0])
MINOR_PROFILE = np.array([5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0])
BASS_WEIGHT = 1.0
IN_KEY_WEIGHT = 1.0  # times the share of bars whose chord is in the key
TONIC_WEIGHT = 0.5  # times the share of bars on the tonic chord
LAST_WEIGHT = 0.3  # the song's last chord is the tonic chord
ENDING_WEIGHT = 0.5  # times the share of phrase endings on the tonic
PHRASE_GAP = 0.4  # seconds of rest after a note that ends a phrase


def profile(feats: Features) -> FloatArray:
    chroma = feats.chroma / (feats.chroma.max(axis=0, keepdims=True) + 1e-9)
    bass = feats.bass / (feats.bass.max(axis=0, keepdims=True) + 1e-9)
    return np.asarray(chroma.sum(axis=1) + BASS_WEIGHT * bass.sum(axis=1))


def key_scores(pitch_profile: FloatArray) -> FloatArray:
    """(24,) correlations: index tonic for major, 12 + tonic for minor."""
    scores = np.zeros(24)
    if float(np.std(pitch_profile)) == 0.0:  # silence: no key stands out
        return scores
    for tonic in range(12):
        rolled = np.roll(pitch_profile, -tonic)
        scores[tonic] = np.corrcoef(rolled, MAJOR_PROFILE)[0, 1]
        scores[12 + tonic] = np.corrcoef(rolled, MINOR_PROFILE)[0, 1]
    return scores


def estimate_key(
    feats: Features, chords: Sequence[BarChord] = (), melody: Sequence[MelodyNote] = ()
) -> Key:
    scores = key_scores(profile(feats))
    endings = _phrase_endings(melody)
    for index in range(24):
        key = Key(index % 12, Mode.MAJOR if index < 12 else Mode.MINOR, 0.0)
        minor = key.mode is Mode.MINOR
        if chords:
            mask = diatonic(key)
            scores[index] += IN_KEY_WEIGHT * np.mean([mask[c.root + 12 * c.minor] for c in chords])
            scores[index] += TONIC_WEIGHT * np.mean(
                [c.root == key.tonic and c.minor == minor for c in chords]
            )
            last = chords[-1]
            scores[index] += LAST_WEIGHT * (last.root == key.tonic and last.minor == minor)
        if endings:
            scores[index] += ENDING_WEIGHT * np.mean([pc == key.tonic for pc in endings])
    order = np.argsort(scores)[::-1]
    best, runner = int(order[0]), int(order[1])
    margin = float(np.clip(scores[best] - scores[runner], 0.0, 1.0))
    return Key(tonic=best % 12, mode=Mode.MAJOR if best < 12 else Mode.MINOR, confidence=margin)


def _phrase_endings(melody: Sequence[MelodyNote]) -> list[int]:
    """Pitch classes of the notes a rest follows (and of the last note)."""
    endings = []
    notes = list(melody)
    for note, following in zip(notes, [*notes[1:], None], strict=False):
        if following is None or following.onset - note.offset >= PHRASE_GAP:
            endings.append(note.pitch % 12)
    return endings
