"""A clip's timed lyrics as a file: its sung words with their times, and a waveform.

The JSON beside the song (``{stem}.timing.json``) holds ``aligned_words`` (``word``,
``start_s``, ``end_s``, ``success``, ``p_align``: the times are the score's, so every
word is placed with certainty) and ``waveform_data``: the song's peak level in
``WAVEFORM_POINTS`` equal slices, from 0 to 1, for drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from songgate.engine.encode.atomic import atomic_path
from songgate.engine.sing.aligned import AlignedWord

WAVEFORM_POINTS = 200


def waveform_data(audio: npt.NDArray[np.floating[Any]], points: int = WAVEFORM_POINTS
                  ) -> list[float]:
    """The peak of each of ``points`` equal slices of ``audio``, scaled so the loudest is 1."""
    level = np.abs(np.asarray(audio, dtype=np.float64))
    if level.ndim > 1:
        level = level.max(axis=1)
    if level.size == 0:
        return []
    slices = np.array_split(level, min(points, level.size))
    peaks = np.array([float(part.max()) for part in slices])
    top = float(peaks.max())
    return [round(float(p) / top, 4) if top > 0 else 0.0 for p in peaks]


def timing_document(words: Sequence[AlignedWord], audio: npt.NDArray[np.floating[Any]]
                    ) -> dict[str, Any]:
    return {
        "aligned_words": [
            {"word": w.word, "start_s": w.start_s, "end_s": w.end_s, "success": True,
             "p_align": 1.0}
            for w in words
        ],
        "waveform_data": waveform_data(audio),
    }


def read_words(path: Path) -> list[AlignedWord]:
    """The sung words of a timing document (as :func:`write_timing` wrote it)."""
    found = orjson.loads(path.read_bytes())
    return [AlignedWord(str(w["word"]), float(w["start_s"]), float(w["end_s"]))
            for w in found.get("aligned_words") or []]


def write_timing(words: Sequence[AlignedWord], audio: npt.NDArray[np.floating[Any]],
                 path: Path) -> dict[str, Any]:
    """Writes the timing document to ``path`` and answers it."""
    document = timing_document(words, audio)
    with atomic_path(path) as partial:
        partial.write_bytes(orjson.dumps(document))
    return document
