"""The lead instrument: the tune where nobody sings, and answers where somebody does.

In intros, outros, instrumental breaks and songs without words the lead
plays the phrases the melody writer made (the same tune the voice sings in
the sections they echo). In sung choruses it doubles the voice softly; in
other sung sections it answers the voice in the breath after a line — call
and response — echoing the line's last notes an octave up, ending on a tone
of the chord then sounding, and never running into the next line.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from songgate.engine.compose.groove import base_velocity, velocity
from songgate.engine.compose.harmony import pitch_near
from songgate.engine.compose.melody import MelodyNote
from songgate.engine.compose.plan import Phrase, SongPlan
from songgate.engine.types import Note, SectionKind, Style

_HIGH_LEADS = {*range(0, 16), 40, 46, *range(72, 80), 107, 108}


def lead_octave(program: int) -> int:
    """Pianos, bells, violin, harp and flutes sound best an octave above the voice."""
    return 12 if program in _HIGH_LEADS else 0


def lead_notes(
    plan: SongPlan,
    style: Style,
    phrases: Sequence[tuple[Phrase, Sequence[MelodyNote]]],
    seed: int,
) -> list[Note]:
    """Lead notes for every phrase: played when unsung, answered when sung."""
    rng = random.Random(f"{seed}:lead")
    shift = lead_octave(style.instruments.lead)
    notes: list[Note] = []
    for phrase, melody in phrases:
        kind = _kind(plan, phrase)
        loud = base_velocity(style.energy, kind)
        if not phrase.sung:
            notes.extend(
                Note(m.start, m.duration * 0.95, _fit(m.pitch + shift), velocity(loud * 0.9))
                for m in melody
            )
        elif melody and kind is SectionKind.CHORUS:
            notes.extend(_doubled(melody, shift, loud))
        elif melody:
            notes.extend(_answer(plan, style, phrase, melody, shift, loud, rng))
    return [n for n in notes if n.start < plan.total_beats - 1e-9]


def _doubled(melody: Sequence[MelodyNote], shift: int, loud: float) -> list[Note]:
    """A sung chorus line doubled softly under the voice: the hook sounds fuller."""
    return [
        Note(m.start, m.duration * 0.95, _fit(m.pitch + shift), velocity(loud * 0.6))
        for m in melody
    ]


def _kind(plan: SongPlan, phrase: Phrase) -> SectionKind:
    for section in plan.sections:
        if plan.section_start(section) <= phrase.start < plan.section_end(section):
            return section.kind
    return SectionKind.VERSE


def _fit(pitch: int) -> int:
    while pitch > 96:
        pitch -= 12
    return max(0, pitch)


def _answer(
    plan: SongPlan,
    style: Style,
    phrase: Phrase,
    melody: Sequence[MelodyNote],
    shift: int,
    loud: float,
    rng: random.Random,
) -> list[Note]:
    """A short echo of the line's tail in the gap after it, some of the time.

    It may begin under a long held last note (a beat after it starts), and
    it stops a little before the next line.
    """
    held = melody[-1]
    sung_end = min(held.start + held.duration, held.start + 1.0)
    begin = math.ceil(sung_end * 2 - 1e-9) / 2
    end = phrase.start + phrase.beats
    gap = end - begin
    chance = 0.8 if phrase.last else 0.5
    if style.energy < 0.3:
        chance -= 0.2
    if gap < 1.0 or rng.random() >= chance:
        return []
    step = 0.5 if gap < 3.0 and 30.0 / style.tempo >= 0.15 else 1.0
    count = max(2, min(4, len(melody), math.floor(gap / step)))
    if count * step > gap + 1e-9:
        return []
    source = [m.pitch + shift for m in melody[-count:]]
    if rng.random() < 0.4:  # mirror the contour instead of copying it
        source = [2 * source[0] - p for p in source]
    notes: list[Note] = []
    for number, pitch in enumerate(source):
        at = begin + number * step
        last = number == count - 1
        length = max(0.25, end - at - 0.2) if last else step * 0.9
        if last:
            chord = plan.changes.at(at)
            pitch = min((pitch_near(t, pitch) for t in chord.tones), key=lambda p: abs(p - pitch))
        notes.append(Note(at, length, _fit(pitch), velocity(loud * 0.75)))
    return notes
