"""Sing an English phrase whole: Flite speaks the line, WORLD sings it on the notes.

Speaking the line in one utterance keeps the co-articulation that makes words
recognisable (consonants joined to their neighbours, reduced function words,
natural consonant lengths). The spoken phrase is analysed once by WORLD; its
syllables are matched to the notes (``align``), re-timed so onsets fall just
before each beat and vowels fill the notes (``timing``), and resynthesised with
each note's f0, portamento and vibrato (``pitch``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pyworld

from songgate.engine.sing import align, flite, pitch, timing, world
from songgate.engine.sing.phrases import Phrase, words

FloatArray = npt.NDArray[np.float64]

LEAD_S = timing.MAX_ONSET_S  # the phrase's audio starts this long before its first note
TAIL_S = 0.03
UNSTRESSED_GAIN = 0.85
RAMP_FRAMES = 3  # sound fades in and out over this many frames around rests
SILENT_POWER = 1e-14
# Flite is asked to speak a slow phrase slower (its duration_stretch), up to
# MAX_PACE: a syllable spoken at length and then stretched a little onto its
# notes keeps its consonants clearer than one spoken fast and stretched far.
# benchmarks/voice.py: slt's sung word error rate 0.64 at pace 1, 0.54 at 1.7,
# 0.61 at 2.3 (the voice starts to drawl).
SPOKEN_SYLLABLE_S = 0.2  # Flite's own pace, about five syllables a second
MAX_PACE = 1.7


def sing_phrase(
    phrase: Phrase, voice: str, ornaments: list[pitch.Ornament], from_pitch: int | None = None
) -> tuple[float, FloatArray, int] | None:
    """(start in seconds, mono audio, its rate) of the phrase sung by Flite ``voice``;
    None when it has no words Flite can say. ``ornaments`` has one per note."""
    found = words(phrase.notes)
    if not found:
        return None
    spoken = flite.speak(" ".join(w for w, _ in found), voice, pace=_pace(phrase))
    model = world.analyse_phrase(spoken.samples, spoken.rate)
    if model is None:
        return None
    spans = align.spans(spoken, [n for _, n in found])
    origin = phrase.start - LEAD_S
    slots = [
        timing.Slot(n.start - origin, n.end - origin, span)
        for n, span in zip(phrase.notes, spans, strict=True)
    ]
    frame_s = world.FRAME_MS / 1000.0
    n_frames = math.ceil((phrase.end - origin + TAIL_S) / frame_s) + 1
    fmap = timing.frame_map(slots, frame_s, n_frames)
    f0 = _f0(phrase, fmap, frame_s, ornaments, from_pitch)
    audio = _synthesize(model, fmap, f0, frame_s, phrase)
    return origin, audio, model.fs


def _pace(phrase: Phrase) -> float:
    """How much slower than its own speech Flite says the phrase: as slow as the
    sung phrase is per syllable, between 1 and ``MAX_PACE``."""
    per_syllable = (phrase.end - phrase.start) / max(1, len(phrase.notes))
    return min(MAX_PACE, max(1.0, per_syllable / SPOKEN_SYLLABLE_S))


def _f0(
    phrase: Phrase,
    fmap: timing.FrameMap,
    frame_s: float,
    ornaments: list[pitch.Ornament],
    from_pitch: int | None,
) -> FloatArray:
    f0 = np.zeros(fmap.note.size)
    previous = from_pitch
    for i, note in enumerate(phrase.notes):
        frames = np.flatnonzero(fmap.note == i)
        if frames.size == 0:
            continue
        f0[frames] = pitch.contour(
            frames.size,
            frame_s,
            note.pitch,
            onset_frame=int(fmap.onset_frame[i] - frames[0]),
            from_pitch=previous,
            ornament=ornaments[i],
        )
        previous = note.pitch
    return f0


def _synthesize(
    model: world.SyllableModel,
    fmap: timing.FrameMap,
    f0: FloatArray,
    frame_s: float,
    phrase: Phrase,
) -> FloatArray:
    sounding = fmap.note >= 0
    source = np.clip(fmap.position / frame_s, 0.0, model.frames - 1.0)
    low = np.floor(source).astype(np.intp)
    high = np.minimum(low + 1, model.frames - 1)
    frac = (source - low)[:, None]
    sp = model.sp[low] * (1.0 - frac) + model.sp[high] * frac
    ap = model.ap[low] * (1.0 - frac) + model.ap[high] * frac
    voiced = model.voiced[np.rint(source).astype(np.intp)] & sounding
    gain = np.where(sounding, 1.0, 0.0)
    for i, note in enumerate(phrase.notes):
        if not note.note.syllable.stressed:
            gain[fmap.note == i] *= UNSTRESSED_GAIN
    kernel = np.ones(RAMP_FRAMES) / RAMP_FRAMES
    gain = np.convolve(gain, kernel, mode="same") * sounding
    sp = sp * np.square(gain)[:, None] + SILENT_POWER
    out = pyworld.synthesize(
        np.ascontiguousarray(np.where(voiced, f0, 0.0)),
        np.ascontiguousarray(sp),
        np.ascontiguousarray(np.where(sounding[:, None], ap, 1.0)),
        model.fs,
        world.FRAME_MS,
    )
    return np.asarray(out, dtype=np.float64)
