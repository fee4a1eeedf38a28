"""The lift of the final chorus: a key change where the style suits one, fuller drums always.

Pop, ballads, R&B, orchestral and Chinese pop modulate up for the last
chorus (a semitone or a whole tone) and stay there through the outro, so the
song ends in the new key with a cadence. Every style's lifted chorus gets
louder parts and a crash every other bar. Applied to the finished tracks and
vocal (after feel), so it moves every part alike: a note that rings across
the modulation is split there and re-struck in the new key.
"""

from __future__ import annotations

from collections.abc import Sequence

from songgate.engine.compose.drums import groove_for
from songgate.engine.compose.groove import velocity
from songgate.engine.compose.plan import SectionPlan, SongPlan
from songgate.engine.types import DRUM_CHANNEL, Note, Style, Track, VocalNote

KEY_CHANGES = {"pop": 1, "ballad": 1, "rnb": 1, "orchestral": 2, "chinese": 2}
LIFT_LOUDER = 1.06  # velocity factor for every part in the lifted chorus


def key_change(style: Style) -> int:
    """Semitones the final chorus goes up (0: the lift is in the drums and dynamics only)."""
    return KEY_CHANGES.get(style.genre, 0)


def lifted_section(plan: SongPlan) -> SectionPlan | None:
    return next((s for s in plan.sections if s.lift), None)


def lifted(
    tracks: Sequence[Track], vocal: Sequence[VocalNote], plan: SongPlan, style: Style
) -> tuple[list[Track], list[VocalNote]]:
    """The tracks and vocal with the final chorus lifted (unchanged when there is none)."""
    section = lifted_section(plan)
    if section is None:
        return list(tracks), list(vocal)
    start, end = plan.section_start(section), plan.section_end(section)
    shift = key_change(style)
    result: list[Track] = []
    for track in tracks:
        drums = track.channel == DRUM_CHANNEL
        notes = _louder(track.notes, start, end)
        if drums:
            notes += _crashes(plan, section, style, notes)
        elif shift:
            notes = _transposed(notes, start, shift)
        notes.sort(key=lambda n: (n.start, n.pitch))
        result.append(
            Track(track.name, track.program, track.channel, tuple(notes), track.volume, track.pan)
        )
    sung = [
        VocalNote(v.start, v.duration, v.pitch + shift, v.syllable)
        if v.start >= start - 1e-6
        else v
        for v in vocal
    ]
    return result, sung


def _louder(notes: Sequence[Note], start: float, end: float) -> list[Note]:
    return [
        Note(n.start, n.duration, n.pitch, velocity(n.velocity * LIFT_LOUDER))
        if start - 0.1 <= n.start < end - 0.1
        else n
        for n in notes
    ]


def _transposed(notes: Sequence[Note], start: float, shift: int) -> list[Note]:
    """Everything from ``start`` on moves up ``shift``; notes ringing across it are split."""
    result: list[Note] = []
    for note in notes:
        end = note.start + note.duration
        if note.start >= start - 0.1:  # humanised starts may fall a hair early
            result.append(Note(note.start, note.duration, note.pitch + shift, note.velocity))
        elif end > start + 0.25:
            result.append(Note(note.start, start - note.start, note.pitch, note.velocity))
            result.append(Note(start, end - start, note.pitch + shift, note.velocity))
        else:
            result.append(note)
    return [n for n in result if 0 <= n.pitch <= 127]


def _crashes(
    plan: SongPlan, section: SectionPlan, style: Style, notes: Sequence[Note]
) -> list[Note]:
    """A crash on every other downbeat of the section after its first (which has one)."""
    groove = groove_for(style.drum_pattern, plan.meter)
    if groove is None or not notes:
        return []
    loud = max(n.velocity for n in notes)
    start = plan.section_start(section)
    return [
        Note(start + bar * plan.meter, 1.0, groove.crash, velocity(loud * 0.85))
        for bar in range(2, section.bars, 2)
    ]
