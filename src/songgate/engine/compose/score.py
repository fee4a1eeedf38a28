"""Style + Form + seed → Score: the song's notes, each part written by its own module.

The order matters only here: the plan first (sections, phrases, chords — all
parts must agree on them), then the melody (the lead needs it to echo and
replay), then the accompaniment, and feel (swing, velocity jitter) last so
every part swings alike. Every random choice comes from ``random.Random``
instances keyed by the seed and the part, so the same call gives an equal
Score and another seed gives another song.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from songgate.engine.compose.backing import shaped
from songgate.engine.compose.bass import bass_notes, monophonic
from songgate.engine.compose.colour import extra_notes
from songgate.engine.compose.comping import comp_notes, pad_notes
from songgate.engine.compose.drums import drum_notes
from songgate.engine.compose.groove import humanised, swung
from songgate.engine.compose.guided_melody import chords_laid_over, melody_writer
from songgate.engine.compose.lead import lead_notes
from songgate.engine.compose.lift import lifted
from songgate.engine.compose.melody import MelodyNote
from songgate.engine.compose.plan import Phrase, SongPlan, plan_song
from songgate.engine.guide import Guide
from songgate.engine.types import (
    DRUM_CHANNEL,
    Form,
    Note,
    Score,
    SectionSpan,
    Style,
    Track,
    VocalNote,
)

__all__ = ["compose"]

_MELODIC_CHANNELS = tuple(c for c in range(16) if c != DRUM_CHANNEL)


def compose(
    style: Style, form: Form, *, seed: int, max_seconds: float, guide: Guide | None = None
) -> Score:
    """Write the song: vocal melody (one note per syllable) and the arrangement.

    The song follows the form's sections in order, trimmed by whole sections
    (then whole lines) to last at most ``max_seconds``; without lyrics it is
    an instrumental of about a minute or two with the lead on the tune. A ``guide``
    (engine/guide.py) fixes the chord of every bar, and the tune when it has one.
    """
    if guide is not None and guide.melody:  # a cover: its chords follow where its tune is
        laid = plan_song(style, form, seed=seed, max_seconds=max_seconds)
        guide = chords_laid_over(guide, laid)
    plan = plan_song(style, form, seed=seed, max_seconds=max_seconds, guide=guide)
    melodies = _melodies(plan, style, seed, guide)
    vocal = _vocal(melodies, style.swing)
    tracks, vocal = lifted(_tracks(plan, style, melodies, seed), vocal, plan, style)
    total = plan.total_beats
    limit = max(0.0, max_seconds) * style.tempo / 60.0
    if total > limit + 1e-9:  # not even one line fits: clip rather than overrun
        total = limit
        vocal = _whole_lines(vocal, melodies, total, style.swing)
    tracks = [_clipped(track, total) for track in tracks]
    return Score(
        tempo=style.tempo,
        meter=style.meter,
        tonic=style.tonic,
        mode=style.mode,
        total_beats=total,
        tracks=tuple(tracks),
        vocal=tuple(vocal),
        sections=tuple(SectionSpan(s.kind, s.label, s.start_bar, s.bars) for s in plan.sections),
    )


Melodies = list[tuple[Phrase, list[MelodyNote]]]


def _melodies(plan: SongPlan, style: Style, seed: int, guide: Guide | None) -> Melodies:
    writer = melody_writer(style, plan.changes, seed, guide, plan.sections)
    result: Melodies = []
    for section in plan.sections:
        previous: int | None = None
        for phrase in section.phrases:
            notes = writer.write(phrase, previous)
            if notes:
                previous = notes[-1].pitch
            result.append((phrase, notes))
    return result


def _vocal(melodies: Melodies, swing: float) -> list[VocalNote]:
    vocal: list[VocalNote] = []
    for phrase, notes in melodies:
        if not phrase.sung:
            continue
        for note, syllable in zip(notes, phrase.syllables, strict=True):
            start = swung(note.start, swing)
            end = swung(note.start + note.duration, swing)
            vocal.append(VocalNote(start, end - start, note.pitch, syllable))
    return vocal


def _tracks(plan: SongPlan, style: Style, melodies: Melodies, seed: int) -> list[Track]:
    kit = style.instruments
    swing = style.swing
    channels = iter(_MELODIC_CHANNELS)

    def feel(part: str, notes: Sequence[Note], spread: int, drift: float) -> list[Note]:
        """Section energy and the outro's fade, then swing and a player's unevenness."""
        rng = random.Random(f"{seed}:feel:{part}")
        return humanised(shaped(part, notes, plan), swing, rng, spread, drift)

    tracks = [
        Track(
            "lead",
            kit.lead,
            next(channels),
            tuple(feel("lead", lead_notes(plan, style, melodies, seed), 4, 0.012)),
            volume=100,
            pan=64,
        ),
        Track(
            "comp",
            kit.comp,
            next(channels),
            tuple(feel("comp", comp_notes(plan, style, seed), 6, 0.01)),
            volume=88,
            pan=48,
        ),
        Track(
            "bass",
            kit.bass,
            next(channels),
            tuple(monophonic(feel("bass", bass_notes(plan, style, seed), 4, 0.008), 1e9)),
            volume=100,
            pan=64,
        ),
    ]
    if kit.pad is not None:
        pad = feel("pad", pad_notes(plan, style), 3, 0.01)
        tracks.append(Track("pad", kit.pad, next(channels), tuple(pad), volume=72, pan=80))
    for number, program in enumerate(kit.extras):
        channel = next(channels, None)
        if channel is None:
            break
        notes = feel(f"extra{number}", extra_notes(plan, style, number, program, seed), 5, 0.01)
        pan = 96 if number % 2 == 0 else 32
        tracks.append(Track(f"extra {number + 1}", program, channel, tuple(notes), 76, pan))
    drums = drum_notes(plan, style, seed)
    if drums:
        hits = feel("drums", drums, 6, 0.006)
        tracks.append(Track("drums", kit.drum_kit, DRUM_CHANNEL, tuple(hits), volume=100))
    return tracks


def _whole_lines(
    vocal: list[VocalNote], melodies: Melodies, total: float, swing: float
) -> list[VocalNote]:
    """Only lines that end before ``total``: a line is sung whole or not at all."""
    kept: list[VocalNote] = []
    for phrase, notes in melodies:
        if not phrase.sung or not notes:
            continue
        if swung(notes[-1].start + notes[-1].duration, swing) <= total + 1e-9:
            kept.extend(v for v in vocal if phrase.start <= v.start < phrase.start + phrase.beats)
    return kept


def _clipped(track: Track, total: float) -> Track:
    """Every note ends by ``total``: ringing past the song's end would be cut by the renderer."""
    notes = tuple(
        Note(n.start, min(n.duration, total - n.start), n.pitch, n.velocity)
        for n in track.notes
        if n.start < total - 1e-6
    )
    return Track(track.name, track.program, track.channel, notes, track.volume, track.pan)
