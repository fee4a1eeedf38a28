"""Score → the band as separate stems: drums, bass and everything else, or every part.

``fine=True`` renders each part of :mod:`parts` the score plays (drums, percussion,
bass, guitar, keys, strings, synth, pads, fx, other) as a stem of its own, in the
same one run: each part is one more segment of the sequenced render.

With FluidSynth the groups are rendered in **one** run, one after another in
time: each group's notes are shifted by a whole number of beats (a
group's length plus a gap for the reverb tail to die away) and the output is
cut back into one stem per group. One run loads the SoundFont once, and
silence costs FluidSynth little, so the stems take about as long as a
single render of the whole band. The numpy synthesiser renders each group on
its own at the band's common scale. Either way the band is exactly the sum of
its stems: mixing and mastering work on the stems and sum them at the end.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from songgate.engine.render.instruments import (
    RENDERERS,
    RenderError,
    render_fluidsynth,
)
from songgate.engine.render.parts import split
from songgate.engine.render.placement import placed
from songgate.engine.render.synth import PEAK, synthesize
from songgate.engine.types import DRUM_CHANNEL, SAMPLE_RATE, Score, Track

log = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]

BAND_STEMS: tuple[str, ...] = ("drums", "bass", "other")
GAP_SECONDS = 4.0  # between groups in the sequenced render: FluidSynth's reverb dies away
_BASS_PROGRAMS = range(32, 40)  # the GM bass family


@dataclass(frozen=True, slots=True)
class Stems:
    # every name of BAND_STEMS (silence if empty), or with fine=True every part played:
    # float32 (frames, 2)
    stems: dict[str, Audio]
    renderer: str
    fallbacks: tuple[str, ...] = ()

    @property
    def band(self) -> Audio:
        """The whole band: the sum of the stems."""
        return np.asarray(sum(self.stems.values()), dtype=np.float32)


def stem_of(track: Track) -> str:
    """Which band stem a track belongs to."""
    if track.channel == DRUM_CHANNEL:
        return "drums"
    if track.name == "bass" or track.program in _BASS_PROGRAMS:
        return "bass"
    return "other"


def grouped(score: Score, *, fine: bool = False) -> dict[str, tuple[Track, ...]]:
    """The score's tracks with notes, by stem (every stem present, maybe empty); with
    ``fine``, by part (only the parts played, "other" when none is)."""
    if fine:
        parts = {name: tracks for name, tracks in split(score).items() if tracks}
        return parts or {"other": ()}
    groups: dict[str, list[Track]] = {name: [] for name in BAND_STEMS}
    for track in score.tracks:
        if track.notes:
            groups[stem_of(track)].append(track)
    return {name: tuple(tracks) for name, tracks in groups.items()}


def render_stems(
    score: Score,
    *,
    soundfont: Path | None = None,
    sample_rate: int = SAMPLE_RATE,
    renderers: Sequence[str] = RENDERERS,
    fine: bool = False,
) -> Stems:
    """The placed score (:func:`placed`) as band stems of ceil(score.seconds x rate) frames
    (with ``fine``, one stem per part played)."""
    score = placed(score)
    frames = math.ceil(score.seconds * sample_rate)
    groups = grouped(score, fine=fine)
    reasons: list[str] = []
    last: Exception | None = None
    for name in renderers:
        try:
            if name == "fluidsynth":
                stems = _fluidsynth_stems(score, groups, soundfont, sample_rate, frames)
            elif name == "numpy":
                stems = _numpy_stems(score, groups, sample_rate, frames)
            else:
                raise RenderError(f"unknown renderer {name!r}")
        except Exception as error:  # any failure hands over to the next renderer
            log.warning(
                "renderer %s failed: %s", name, error, exc_info=not isinstance(error, RenderError)
            )
            reasons.append(f"{name}: {error}")
            last = error
            continue
        return Stems(stems=stems, renderer=name, fallbacks=tuple(reasons))
    raise RenderError(
        "no renderer succeeded: " + ("; ".join(reasons) or "none asked for")
    ) from last


def sequenced(score: Score, groups: dict[str, tuple[Track, ...]]) -> tuple[Score, dict[str, float]]:
    """One score playing the non-empty groups one after another; each group's start in beats."""
    gap_beats = GAP_SECONDS * score.tempo / 60.0
    segment = float(math.ceil(score.total_beats + gap_beats))  # whole beats: exact MIDI ticks
    tracks: list[Track] = []
    starts: dict[str, float] = {}
    for name, group in groups.items():
        if not group:
            continue
        offset = segment * len(starts)
        starts[name] = offset
        for track in group:
            notes = tuple(replace(note, start=note.start + offset) for note in track.notes)
            tracks.append(replace(track, notes=notes))
    total = segment * max(0, len(starts) - 1) + score.total_beats
    return replace(score, tracks=tuple(tracks), total_beats=total, vocal=()), starts


def _fluidsynth_stems(
    score: Score,
    groups: dict[str, tuple[Track, ...]],
    soundfont: Path | None,
    sample_rate: int,
    frames: int,
) -> dict[str, Audio]:
    stems = {name: np.zeros((frames, 2), dtype=np.float32) for name in groups}
    together, starts = sequenced(score, groups)
    if not starts:
        return stems
    audio = render_fluidsynth(together, soundfont=soundfont, sample_rate=sample_rate)
    for name, beat in starts.items():
        first = round(score.seconds_at(beat) * sample_rate)
        part = audio[first : first + frames]
        stems[name][: part.shape[0]] = part
    return stems


def _numpy_stems(
    score: Score, groups: dict[str, tuple[Track, ...]], sample_rate: int, frames: int
) -> dict[str, Audio]:
    stems: dict[str, Audio] = {}
    for name, group in groups.items():
        if group:
            part = synthesize(replace(score, tracks=group), sample_rate, peak=None)
            stems[name] = _fit(part, frames)
        else:
            stems[name] = np.zeros((frames, 2), dtype=np.float32)
    loudest = float(np.max(np.abs(sum(stems.values())))) if frames else 0.0
    if loudest > 0:  # the scale synthesize gives a whole band
        for stem in stems.values():
            stem *= np.float32(PEAK / loudest)
    return stems


def _fit(audio: Audio, frames: int) -> Audio:
    audio = np.asarray(audio, dtype=np.float32)
    if audio.shape[0] >= frames:
        return np.ascontiguousarray(audio[:frames])
    return np.pad(audio, ((0, frames - audio.shape[0]), (0, 0)))
