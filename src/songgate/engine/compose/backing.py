"""Energy per section: verses lean, choruses full, and an outro that fades into a ringing chord.

Loudness per section kind lives in ``groove`` (verses play softer than
choruses); this module decides *density*: in verses the comp keeps only its
on-beat hits (the drums keep time in quarters, see ``drums``, and the lead
only answers the voice; in choruses it doubles it), so a chorus arrives with
more notes. The outro dims bar by bar (a written fade), and the final chord
after the last bar is held shorter than the tail, so the song ends in its
own release and reverb rather than a cut.
"""

from __future__ import annotations

from collections.abc import Sequence

from songgate.engine.compose.groove import velocity
from songgate.engine.compose.plan import SectionPlan, SongPlan
from songgate.engine.types import Note, SectionKind

LEAN = (SectionKind.VERSE,)  # sections that play with fewer parts and notes
FADE_TO = 0.6  # velocity factor at the end of the outro (and for the final chord)
RELEASE_SECONDS = 2.6  # the tail's end left to the final chord's release (at least half the tail)


def shaped(part: str, notes: Sequence[Note], plan: SongPlan) -> list[Note]:
    """A part's notes (straight time, nominal velocities) with section energy and the fade."""
    result = list(notes)
    if part == "comp":
        result = _thinned(result, plan)
    return _faded(result, plan)


def _section_at(plan: SongPlan, beat: float) -> SectionPlan | None:
    for section in plan.sections:
        if plan.section_start(section) - 1e-6 <= beat < plan.section_end(section) - 1e-6:
            return section
    return None


def _lean(plan: SongPlan, beat: float) -> bool:
    section = _section_at(plan, beat)
    return section is not None and section.kind in LEAN


def _thinned(notes: Sequence[Note], plan: SongPlan) -> list[Note]:
    """In lean sections only hits on the beat stay (a strum's strings count as one hit).

    A bar whose hits are all off the beat (off-beat stabs) keeps every other one.
    """
    bars: dict[int, list[Note]] = {}
    result: list[Note] = []
    for note in notes:
        if _lean(plan, note.start):
            bars.setdefault(int(note.start // plan.meter), []).append(note)
        else:
            result.append(note)
    for bar_notes in bars.values():
        onsets = sorted({_onset(n) for n in bar_notes})
        on_beat = [o for o in onsets if abs(o - round(o)) < 1e-6]
        keep = set(on_beat) if on_beat else set(onsets[::2])
        result.extend(n for n in bar_notes if _onset(n) in keep)
    result.sort(key=lambda n: (n.start, n.pitch))
    return result


def _onset(note: Note) -> float:
    """The quarter-beat a note's hit belongs to (strummed strings lag the stroke a little)."""
    return int(note.start * 4 + 1e-6) / 4


def _faded(notes: Sequence[Note], plan: SongPlan) -> list[Note]:
    outro = plan.sections[-1] if plan.sections else None
    if outro is None or outro.kind is not SectionKind.OUTRO:
        return list(notes)
    begin, end = plan.section_start(outro), plan.body_beats
    release = RELEASE_SECONDS * plan.tempo / 60.0
    ring = max(0.5, min(plan.tail - release, plan.tail / 2)) if plan.tail > 0 else 0.0
    result: list[Note] = []
    for note in notes:
        if note.start < begin - 1e-6:
            result.append(note)
            continue
        if note.start >= end - 1e-6:  # the final chord: soft, and over before the tail ends
            length = min(note.duration, end + ring - note.start)
            if length > 0:
                result.append(
                    Note(note.start, length, note.pitch, velocity(note.velocity * FADE_TO))
                )
            continue
        share = (note.start - begin) / max(1e-6, end - begin)
        factor = 1.0 - (1.0 - FADE_TO) * share
        length = min(note.duration, end + ring - note.start)  # held into the tail: released too
        result.append(Note(note.start, length, note.pitch, velocity(note.velocity * factor)))
    return result
