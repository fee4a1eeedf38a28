"""The melody as notes from a monophonic voice (a vocal stem, a hummed tune).

Frames of the YIN pitch track are smoothed by a median over 70 ms (vibrato averages out),
rounded to semitones, and cut into notes where the rounded pitch holds, the voice stops,
or the level dips between two syllables on one pitch. Blips shorter than a note can be
are dropped.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.ndimage import median_filter

from songgate.engine.listen.features import mono_at
from songgate.engine.listen.pitch import PitchTrack, yin
from songgate.engine.listen.types import MelodyNote

RATE = 16_000
HOP = 160  # 10 ms
SMOOTH = 7  # frames in the median
MIN_NOTE = 0.06  # seconds
DIP_DB = 6.0  # a level dip this deep inside a held pitch starts a new note
DIP_SPAN = 5  # frames either side the dip is measured against


def melody_notes(audio: npt.NDArray[np.floating], sample_rate: int) -> tuple[MelodyNote, ...]:
    track = yin(mono_at(audio, sample_rate, RATE), RATE, HOP)
    return notes_of(track)


def notes_of(track: PitchTrack) -> tuple[MelodyNote, ...]:
    voiced = track.voiced
    midi = np.zeros(len(track.f0))
    midi[voiced] = 69.0 + 12.0 * np.log2(track.f0[voiced] / 440.0)
    smooth = _voiced_median(midi, voiced)
    pitch = np.where(voiced, np.round(smooth), 0).astype(int)
    pitch = _fill_blips(pitch, round(MIN_NOTE / track.hop))
    dips = _dips(track.level_db)
    notes: list[MelodyNote] = []
    start = 0
    for frame in range(1, len(pitch) + 1):
        ends = (
            frame == len(pitch)
            or pitch[frame] != pitch[start]
            or (dips[frame] and pitch[start] > 0)
        )
        if not ends:
            continue
        if pitch[start] > 0 and (frame - start) * track.hop >= MIN_NOTE:
            notes.append(
                MelodyNote(
                    round(start * track.hop, 4), round(frame * track.hop, 4), int(pitch[start])
                )
            )
        start = frame
    return tuple(notes)


def _voiced_median(
    midi: npt.NDArray[np.float64], voiced: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """A running median over voiced frames only (unvoiced ones do not drag it to zero)."""
    filled = midi.copy()
    if voiced.any():
        index = np.where(voiced, np.arange(len(midi)), 0)
        np.maximum.accumulate(index, out=index)
        filled = midi[index]  # an unvoiced frame takes the last voiced pitch
    return np.asarray(median_filter(filled, size=SMOOTH, mode="nearest"))


def _fill_blips(pitch: npt.NDArray[np.int_], shortest: int) -> npt.NDArray[np.int_]:
    """Voiced runs shorter than ``shortest`` frames take the pitch of the run before them."""
    out = pitch.copy()
    start = 0
    for frame in range(1, len(out) + 1):
        if frame < len(out) and out[frame] == out[start]:
            continue
        if out[start] > 0 and frame - start < shortest and start > 0 and out[start - 1] > 0:
            out[start:frame] = out[start - 1]
        start = frame
    return out


def _dips(level_db: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Frames at a local level minimum at least DIP_DB below the peaks on both sides."""
    n = len(level_db)
    dips = np.zeros(n + 1, dtype=bool)
    for frame in range(DIP_SPAN, n - DIP_SPAN):
        here = level_db[frame]
        window = level_db[frame - 1 : frame + 2]
        if here > window.min():
            continue
        before = level_db[frame - DIP_SPAN : frame].max()
        after = level_db[frame + 1 : frame + DIP_SPAN + 1].max()
        if before - here >= DIP_DB and after - here >= DIP_DB:
            dips[frame] = True
    return dips
