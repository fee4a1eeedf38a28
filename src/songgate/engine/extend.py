"""Extending a song: keep the original up to a bar line, then join the new part in time.

The cut snaps back to the last bar line at or before ``continue_at`` (the
original started on a bar line at 0 s in the same tempo), so the new part's
first downbeat lands where the original's next one would have.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import soundfile

from songgate.engine.encode.timing import read_words
from songgate.engine.request import Continuation
from songgate.engine.sing.aligned import AlignedWord
from songgate.engine.types import Style

Audio = npt.NDArray[np.float32]
CROSSFADE_SECONDS = 0.05


def bar_seconds(style: Style) -> float:
    return style.meter * 60.0 / style.tempo


def cut_point(continue_at: float, style: Style) -> float:
    """The last bar line at or before ``continue_at`` (at least one bar in)."""
    bar = bar_seconds(style)
    return max(1, math.floor(continue_at / bar + 1e-6)) * bar


def kept_audio(continuation: Continuation, style: Style, sample_rate: int) -> Audio:
    audio, rate = soundfile.read(continuation.source_wav, dtype="float32", always_2d=True)
    if rate != sample_rate:
        raise ValueError(f"the original is at {rate} Hz, not {sample_rate} Hz")
    frames = min(len(audio), round(cut_point(continuation.continue_at, style) * sample_rate))
    return np.asarray(audio[:frames, :2], dtype=np.float32)


def kept_words(continuation: Continuation, cut_s: float) -> list[AlignedWord]:
    """The original's sung words the extension keeps: those begun before the cut, at their
    own times (a word the cut interrupts ends there). None when the original has no timing."""
    if continuation.source_timing is None or not continuation.source_timing.is_file():
        return []
    return [AlignedWord(w.word, w.start_s, min(w.end_s, round(cut_s, 4)))
            for w in read_words(continuation.source_timing) if w.start_s < cut_s]


def join(head: Audio, tail: Audio, sample_rate: int) -> Audio:
    """``head`` then ``tail`` with a short linear crossfade over the seam.

    Both sides come mastered; a linear crossfade is a weighted average of
    the two, so it never peaks above them and nothing needs mastering again.
    """
    fade = min(round(CROSSFADE_SECONDS * sample_rate), len(head), len(tail))
    if fade == 0:
        return np.concatenate([head, tail]).astype(np.float32)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
    seam = head[-fade:] * (1.0 - ramp) + tail[:fade] * ramp
    return np.concatenate([head[:-fade], seam, tail[fade:]]).astype(np.float32)


def placed_after(head: Audio, tail: Audio, sample_rate: int) -> Audio:
    """``tail`` where :func:`join` puts it after ``head``, faded in the same way, silence before.

    Applied to each stem of the new part, the stems line up with the joined song.
    """
    fade = min(round(CROSSFADE_SECONDS * sample_rate), len(head), len(tail))
    out = np.zeros((len(head) - fade + len(tail), tail.shape[1]), dtype=np.float32)
    faded = np.array(tail, dtype=np.float32)
    faded[:fade] *= np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
    out[len(head) - fade :] = faded
    return out
