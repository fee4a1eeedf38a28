"""Extra instruments, used sparingly: they colour a few sections and stay out of the rest.

Which sections: the first extra plays in choruses and instrumental breaks,
the second in the bridge, intro and outro, any further ones only in the
final chorus. How they play depends on the instrument family: brass stab
the chord, bells sparkle with a high broken chord, and everything else
(strings, winds, erhu-like fiddles) holds a slow counter-line of chord tones.
"""

from __future__ import annotations

import random

from songgate.engine.compose.groove import base_velocity, velocity
from songgate.engine.compose.harmony import Chord, pitch_near, voice
from songgate.engine.compose.plan import SectionPlan, SongPlan
from songgate.engine.types import Note, SectionKind, Style

_FIRST = (SectionKind.CHORUS, SectionKind.INSTRUMENTAL)
_SECOND = (SectionKind.BRIDGE, SectionKind.INTRO, SectionKind.OUTRO)


def family(program: int) -> str:
    if 56 <= program <= 63:
        return "brass"
    if 8 <= program <= 15 or program in (108, 112, 113, 114):
        return "bells"
    return "line"


def extra_notes(plan: SongPlan, style: Style, number: int, program: int, seed: int) -> list[Note]:
    """The notes of extra instrument ``number`` (0-based) with GM ``program``."""
    rng = random.Random(f"{seed}:extra:{number}")
    sections = _sections_for(plan, number)
    notes: list[Note] = []
    for section in sections:
        loud = base_velocity(style.energy, section.kind) * 0.7
        notes.extend(_play(plan, section, family(program), loud, rng))
    return notes


def _sections_for(plan: SongPlan, number: int) -> list[SectionPlan]:
    if number == 0:
        return [s for s in plan.sections if s.kind in _FIRST]
    if number == 1:
        return [s for s in plan.sections if s.kind in _SECOND]
    choruses = [s for s in plan.sections if s.kind is SectionKind.CHORUS]
    return choruses[-1:]


def _play(
    plan: SongPlan, section: SectionPlan, kind: str, loud: float, rng: random.Random
) -> list[Note]:
    meter = plan.meter
    notes: list[Note] = []
    line_pitch = 0
    for bar in range(section.bars):
        origin = plan.section_start(section) + bar * meter
        chord = plan.changes.at(origin)
        if kind == "brass":
            if bar % 2 == 1:  # every other bar: sparingly
                continue
            for position in (0.0, 2.5) if meter == 4 else (0.0,):
                notes.extend(
                    Note(origin + position, 0.5, p, velocity(loud * 1.1))
                    for p in voice(chord, 58, 76, (), 3)
                )
        elif kind == "bells":
            if bar % 4 != 0:
                continue
            for step, pitch in enumerate(voice(chord, 76, 91, (), 4)):
                notes.append(Note(origin + step * 0.5, 1.5, pitch, velocity(loud * 0.8)))
        else:
            if bar % 2 == 1:
                continue
            line_pitch = _counter(chord, line_pitch, rng)
            length = min(2.0 * meter, plan.section_end(section) - origin)
            notes.append(Note(origin, length, line_pitch, velocity(loud * 0.85)))
    return notes


def _counter(chord: Chord, previous: int, rng: random.Random) -> int:
    """The chord tone nearest the last one (a slow, smooth line above the voice)."""
    around = previous if previous else 76 + rng.randint(-2, 2)
    choices = sorted(
        (pitch_near(tone, around) for tone in chord.tones), key=lambda p: (abs(p - around), p)
    )
    pitch = choices[0] if choices[0] != previous or len(choices) == 1 else choices[1]
    while pitch < 72:
        pitch += 12
    while pitch > 86:
        pitch -= 12
    return pitch
