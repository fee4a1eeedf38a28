"""The song's first bars, quickly: what a client hears while the whole song renders.

Right after composing, the score is cut after its first few bars (:func:`preview_beats`,
:func:`cut`), and that short score is played by the band in one FluidSynth run (no
stems), sung, summed with a fixed vocal level and brought to a fixed peak: no room,
no mastering chain. It sounds like the beginning of the finished song, a little drier.

The band is played with FluidR3 when it is installed, whatever font the song itself
uses: MuseScore General's compressed samples take about a second to load even for a
few bars, FluidR3's a fifth of that, and the preview is there to be heard soon.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from songgate.engine.encode.audio import write_mp3
from songgate.engine.extend import join
from songgate.engine.render.instruments import RenderError, render_fluidsynth
from songgate.engine.render.placement import placed
from songgate.engine.render.synth import synthesize
from songgate.engine.sing.espeak import EspeakError
from songgate.engine.sing.vocals import sing
from songgate.engine.types import Note, Score, VocalNote

Audio = npt.NDArray[np.float32]

PREVIEW_SECONDS = 6.0  # the preview lasts at least this long (whole bars), if the song does
SECTION_SLACK_SECONDS = 4.0  # the first section's end is taken when it comes this soon after
PREVIEW_PEAK = 0.89  # -1 dBFS
VOCAL_GAIN = 0.8  # the voice against the band, before the peak is set
FADE_OUT_SECONDS = 0.05  # the cut ends without a click
QUICK_SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")


def preview_beats(score: Score, seconds: float = PREVIEW_SECONDS) -> float:
    """Where the preview ends, in beats: after whole bars covering ``seconds``, or at the end
    of the first section when that comes soon after; never past the song's end."""
    bar_seconds = score.seconds_at(score.meter)
    if bar_seconds <= 0:
        return score.total_beats
    bars = max(1, math.ceil(seconds / bar_seconds - 1e-9))
    for section in score.sections:
        end = section.start_bar + section.bars
        if bars <= end and (end - bars) * bar_seconds <= SECTION_SLACK_SECONDS:
            bars = end
            break
    return min(score.total_beats, float(bars * score.meter))


def _cut_notes(notes: tuple[Note, ...], beats: float) -> tuple[Note, ...]:
    return tuple(replace(note, duration=min(note.duration, beats - note.start))
                 for note in notes if note.start < beats)


def _cut_vocal(notes: tuple[VocalNote, ...], beats: float) -> tuple[VocalNote, ...]:
    return tuple(replace(note, duration=min(note.duration, beats - note.start))
                 for note in notes if note.start < beats)


def cut(score: Score, beats: float) -> Score:
    """The score's first ``beats``: notes that start before the cut, shortened to end at it."""
    beats = max(0.0, min(beats, score.total_beats))
    tracks = tuple(replace(track, notes=_cut_notes(track.notes, beats)) for track in score.tracks)
    bars = beats / score.meter if score.meter else 0.0
    sections = tuple(replace(span, bars=min(span.bars, math.ceil(bars - span.start_bar)))
                     for span in score.sections if span.start_bar < bars)
    return replace(score, total_beats=beats, tracks=tracks,
                   vocal=_cut_vocal(score.vocal, beats), sections=sections)


def _band(score: Score, sample_rate: int) -> Audio:
    """The whole band in one run (FluidSynth, else the numpy synthesiser), exactly as long."""
    frames = math.ceil(score.seconds * sample_rate)
    try:
        font = QUICK_SOUNDFONT if QUICK_SOUNDFONT.is_file() else None
        audio = render_fluidsynth(placed(score), soundfont=font, sample_rate=sample_rate)
    except RenderError:
        audio = synthesize(placed(score), sample_rate)
    out = np.zeros((frames, 2), dtype=np.float32)
    out[: min(frames, len(audio))] = audio[:frames]
    return out


def preview_audio(score: Score, *, sample_rate: int, voice: str, seed: int) -> Audio:
    """The (already cut) score as float32 stereo, band and voice, peaking at -1 dBFS."""
    audio = _band(score, sample_rate)
    if score.vocal:
        try:
            vocals = sing(score, sample_rate=sample_rate, seed=seed, voice=voice)
        except EspeakError:  # the preview stays instrumental, as the song will
            vocals = None
        if vocals is not None:
            length = min(len(audio), len(vocals))
            audio[:length] += VOCAL_GAIN * vocals[:length, None]
    fade = min(len(audio), round(FADE_OUT_SECONDS * sample_rate))
    if fade:
        audio[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    loudest = float(np.max(np.abs(audio))) if len(audio) else 0.0
    if loudest > 0:
        audio *= np.float32(PREVIEW_PEAK / loudest)
    return audio



def write_preview(
    score: Score, path: Path, *, sample_rate: int, voice: str, seed: int,
    head: Audio | None = None,
) -> Path:
    """An MP3 of the song's first bars at ``path`` (after ``head``, the song an extension
    continues, when there is one); returns ``path``."""
    audio = preview_audio(cut(score, preview_beats(score)), sample_rate=sample_rate,
                          voice=voice, seed=seed)
    if head is not None:
        audio = join(head, audio, sample_rate)
    write_mp3(audio, sample_rate, path)
    return path
