"""Re-time a spoken phrase onto its notes: a source position for every output frame.

For each note the spoken syllable is laid out so that its onset consonants end
exactly on the note's start (they are sung just before the beat, as singers
do), its vowel fills the note and its coda consonants close it. Consonants are
lengthened with the note (up to twice) unless the neighbouring notes leave no
room; then they are squeezed, never the vowel below ``MIN_VOWEL_SHARE`` of its
note. Frames between
notes that are not covered (rests) are silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from songgate.engine.sing.align import SourceSpan

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

MIN_VOWEL_SHARE = 0.5  # of a note's own time, left to its vowel
MAX_ONSET_SHARE = 0.5  # of the previous note's time an onset may borrow
MAX_ONSET_S = 0.25  # before a note that follows a rest
MAX_CONSONANT_STRETCH = 2.0


@dataclass(frozen=True, slots=True)
class Slot:
    """A note in output seconds (relative to the phrase start) and its source span."""

    start: float
    end: float
    source: SourceSpan


@dataclass(frozen=True, slots=True)
class FrameMap:
    position: FloatArray  # source time in seconds per output frame; -1 = silence
    note: IntArray  # index of the note each frame belongs to; -1 = silence
    onset_frame: IntArray  # per note: the output frame of its start (the beat)


def frame_map(slots: Sequence[Slot], frame_s: float, n_frames: int) -> FrameMap:
    times = np.arange(n_frames, dtype=np.float64) * frame_s
    position = np.full(n_frames, -1.0)
    owner = np.full(n_frames, -1, dtype=np.intp)
    onsets = np.zeros(len(slots), dtype=np.intp)
    begins = _onset_starts(slots)
    for i, slot in enumerate(slots):
        end = slot.end if i + 1 == len(slots) else min(slot.end, begins[i + 1])
        src = slot.source
        end = max(end, slot.start + frame_s)
        coda = (src.end - src.vowel_end) * _stretch(slot)
        coda_out = min(coda, (1.0 - MIN_VOWEL_SHARE) * (end - slot.start))
        knots_out = [begins[i], slot.start, end - coda_out, end]
        knots_src = [src.start, src.vowel_start, src.vowel_end, src.end]
        inside = (times >= begins[i]) & (times < end)
        position[inside] = np.interp(times[inside], _strictly_rising(knots_out), knots_src)
        owner[inside] = i
        onsets[i] = min(n_frames - 1, max(0, round(slot.start / frame_s)))
    return FrameMap(position, owner, onsets)


def _onset_starts(slots: Sequence[Slot]) -> list[float]:
    """Where each note's onset consonants begin: their spoken length before the
    beat, limited by the previous note's time (or MAX_ONSET_S after a rest)."""
    begins = []
    for i, slot in enumerate(slots):
        onset = (slot.source.vowel_start - slot.source.start) * _stretch(slot)
        if i == 0 or slots[i - 1].end < slot.start - 1e-6:
            room = MAX_ONSET_S if i == 0 else min(MAX_ONSET_S, slot.start - slots[i - 1].end + 0.1)
        else:
            room = MAX_ONSET_SHARE * (slot.start - slots[i - 1].start)
        begins.append(slot.start - max(0.0, min(onset, room)))
    return begins


def _strictly_rising(knots: list[float]) -> list[float]:
    out = [knots[0]]
    for k in knots[1:]:
        out.append(max(k, out[-1] + 1e-6))
    return out


def _stretch(slot: Slot) -> float:
    """How much a note's consonants are lengthened: as much as the note is longer
    than the spoken syllable, up to ``MAX_CONSONANT_STRETCH``. A vowel drawn out
    between consonants of spoken length is harder to understand than the
    whole syllable slowed down."""
    spoken = max(0.05, slot.source.end - slot.source.start)
    return min(MAX_CONSONANT_STRETCH, max(1.0, (slot.end - slot.start) / spoken))
