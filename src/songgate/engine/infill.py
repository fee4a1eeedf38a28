"""Replacing a span of a song: the rest kept, the span recomposed in its key and tempo.

:func:`planned_span` snaps the asked span to the nearest bar lines (an engine song's
from its style, whose bars start at 0 s; an upload's as listened for) and finds the
style: an engine song's from its request (the provider passes its stored tags and
style seed), an upload's heard (a guide in its tempo, meter and key whose chords loop
the span's own bars, and tags estimated unless given). The new part is mastered to the
level of the music around the span. :func:`spliced` puts it in: whole bars of it, at
most the span (a shorter part shortens the song by whole bars, keeping the grid), its
loudness evened out against the original at both ends and crossfaded in at both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from songgate.engine.extend import CROSSFADE_SECONDS, bar_seconds, join
from songgate.engine.guide import GuideChord, guide_from_analysis
from songgate.engine.listen.loudness import loudness
from songgate.engine.master.mix import limiter_gain
from songgate.engine.request import SongRequest
from songgate.engine.scoring import style_and_form
from songgate.engine.source import SourceAudio, read_source
from songgate.engine.upload_extend import (
    CEILING_DB,
    LEVEL_SECONDS,
    LOUDEST_LUFS,
    MAX_CORRECTION_DB,
    QUIETEST_LUFS,
    estimated_tags,
    matched_at_seam,
    seam_ramp,
    seam_step_db,
)

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class PlannedSpan:
    request: SongRequest  # styled as the song around the span
    before: Audio  # the song up to the span's start, and the crossfade past it
    after: Audio  # the song from the crossfade before the span's end
    start: float  # seconds, on a bar line
    end: float
    level_lufs: float  # the music around the span

    @property
    def seconds(self) -> float:
        return self.end - self.start


def planned_span(request: SongRequest, sample_rate: int,
                 source: SourceAudio | None = None) -> PlannedSpan | None:
    """The span ``request.infill`` replaces (``source``: its song, read already); None for
    a request that replaces none."""
    infill = request.infill
    if infill is None:
        return None
    if source is None:
        source = read_source(infill.source_wav, request.listened_in)
    song = source.at_rate(sample_rate, "the song")
    total = len(song) / sample_rate
    if infill.heard:
        analysis = source.analysis()
        lines = [t for t in analysis.grid.downbeats if 0.0 <= t <= total]
        bar = analysis.grid.meter * 60.0 / max(1.0, analysis.grid.tempo)
    else:
        bar = bar_seconds(style_and_form(request)[0])
        lines = [k * bar for k in range(int(total / bar + 1e-6) + 1)]
    start, end = _snapped(lines or [0.0, total], infill.start_s, infill.end_s, bar, total)
    if infill.heard:
        guide = guide_from_analysis(analysis)
        spanned = [GuideChord(c.root, c.minor) for c in analysis.chords
                   if start - 1e-3 <= c.start < end - 1e-3]
        guide = replace(guide, chords=tuple(spanned), melody=(), sections=(), first_bar_s=start)
        tags = request.tags.strip() or estimated_tags(analysis, song, sample_rate)
        request = replace(request, tags=tags, guide=guide)
    fade = round(CROSSFADE_SECONDS * sample_rate)
    first, last = round(start * sample_rate), round(end * sample_rate)
    before = np.ascontiguousarray(song[: first + fade], dtype=np.float32)
    after = np.ascontiguousarray(song[max(0, last - fade):], dtype=np.float32)
    return PlannedSpan(request, before, after, start, end,
                       _level(song[:first], song[last:], sample_rate))


def _snapped(lines: list[float], start: float, end: float, bar: float,
             total: float) -> tuple[float, float]:
    """The bar lines nearest ``start`` and ``end``: at least a bar apart, within the song."""
    first = min(lines, key=lambda t: abs(t - start))
    later = [t for t in lines if t >= first + bar * 0.5]
    last = min(later, key=lambda t: abs(t - end)) if later else min(total, first + bar)
    return first, max(first + min(bar, total - first), last)


def spliced(span: PlannedSpan, audio: Audio, stems: dict[str, Audio], sample_rate: int,
            composed_seconds: float, bar: float) -> tuple[Audio, dict[str, Audio]]:
    """The whole song with the new part (``audio``, its ``stems`` alike) in the span;
    the stems gain "original": the kept song around it."""
    bars = max(1, math.ceil(composed_seconds / bar - 1e-6))
    frames = min(round(span.seconds * sample_rate), round(bars * bar * sample_rate))
    part = _fitted(audio, frames)
    parts = {name: _fitted(stem, frames) for name, stem in stems.items()}
    part, parts = matched_at_seam(span.before, part, parts, sample_rate)
    part, parts = _matched_before(span.after, part, parts, sample_rate)
    silent_before, silent_after = np.zeros_like(span.before), np.zeros_like(span.after)
    song = join(join(span.before, part, sample_rate), span.after, sample_rate)
    placed = {name: join(join(silent_before, stem, sample_rate), silent_after, sample_rate)
              for name, stem in parts.items()}
    placed["original"] = join(join(span.before, np.zeros_like(part), sample_rate), span.after,
                              sample_rate)
    return song, placed


def _matched_before(after: Audio, part: Audio, stems: dict[str, Audio],
                    sample_rate: int) -> tuple[Audio, dict[str, Audio]]:
    """``part`` with its last seconds at the loudness of what follows it (ramped in)."""
    step = -seam_step_db(part, after, sample_rate)  # positive: the part's end is quieter
    if not np.isfinite(step) or abs(step) < 0.1:
        return part, stems
    correction = float(np.clip(step, -MAX_CORRECTION_DB, MAX_CORRECTION_DB))
    db = correction * seam_ramp(len(part), sample_rate)[::-1]
    curve = np.power(10.0, db / 20.0).astype(np.float32)
    curve = curve * limiter_gain(part * curve[:, None], sample_rate, CEILING_DB - 0.3)
    return (np.asarray(part * curve[:, None], dtype=np.float32),
            {name: np.asarray(stem * curve[:, None], dtype=np.float32)
             for name, stem in stems.items()})


def _fitted(audio: Audio, frames: int) -> Audio:
    """``audio`` cut or padded with silence to ``frames``."""
    if len(audio) >= frames:
        return np.ascontiguousarray(audio[:frames], dtype=np.float32)
    out = np.zeros((frames, audio.shape[1]), dtype=np.float32)
    out[: len(audio)] = audio
    return out


def _level(before: npt.NDArray[np.float32], after: npt.NDArray[np.float32],
           sample_rate: int) -> float:
    """The loudness of the music either side of the span (up to LEVEL_SECONDS of each)."""
    width = round(LEVEL_SECONDS * sample_rate)
    around = np.concatenate([before[-width:], after[:width]])
    found = loudness(around, sample_rate).integrated_lufs
    return float(min(LOUDEST_LUFS, max(QUIETEST_LUFS, found)))
