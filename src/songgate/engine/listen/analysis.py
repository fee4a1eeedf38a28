"""Everything at once: the song's features computed once, then each estimate in turn."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from songgate.engine.listen.beats import beat_grid
from songgate.engine.listen.chords import bar_chords
from songgate.engine.listen.features import features
from songgate.engine.listen.key import estimate_key
from songgate.engine.listen.loudness import loudness
from songgate.engine.listen.melody import melody_notes
from songgate.engine.listen.sections import sections
from songgate.engine.listen.types import Analysis


def listen(
    audio: npt.NDArray[np.floating],
    sample_rate: int,
    *,
    melody_audio: npt.NDArray[np.floating] | None = None,
) -> Analysis:
    """What ``audio`` (mono (n,) or (n, channels) float) holds. The melody is read from
    ``melody_audio`` (a vocal stem or a hummed tune at the same rate) when given, else
    from ``audio`` itself, which serves when the tune is its loudest monophonic line."""
    feats = features(audio, sample_rate)
    grid = beat_grid(feats)
    melody = melody_notes(audio if melody_audio is None else melody_audio, sample_rate)
    key = estimate_key(feats, bar_chords(feats, grid), melody)
    return Analysis(
        seconds=round(feats.seconds, 4),
        grid=grid,
        key=key,
        chords=bar_chords(feats, grid, key),
        melody=melody,
        sections=sections(feats, grid),
        loudness=loudness(audio, sample_rate),
    )
