"""The bass line: roots, fifths and octaves with approach notes, in each genre's manner.

Each figure is a bar of (beat, length, degree) where degree names what to
play relative to the bar's chord: root, fifth, octave, third, or an approach
note leading into the next bar's root. Genres pick figures: a salsa tumbao
that anticipates the next chord, EDM off-beat octave pumping, a jazz walk,
ballad whole notes. The bass sits between E1 and Eb3.
"""

from __future__ import annotations

import random

from songgate.engine.compose.groove import base_velocity, velocity
from songgate.engine.compose.harmony import Chord, scale_of
from songgate.engine.compose.plan import SongPlan
from songgate.engine.types import Note, SectionKind, Style

BASS_FLOOR = 28  # E1: roots are placed in [28, 39]

Figure = tuple[tuple[float, float, str], ...]

FIGURES: dict[str, tuple[Figure, ...]] = {
    "eighths": (tuple((i * 0.5, 0.45, "approach" if i == 7 else "root") for i in range(8)),),
    "pop": (
        (
            (0, 1.0, "root"),
            (1.5, 0.5, "root"),
            (2, 1.0, "fifth"),
            (3, 0.5, "octave"),
            (3.5, 0.5, "approach"),
        ),
        ((0, 1.5, "root"), (1.5, 1.0, "root"), (2.5, 1.0, "fifth"), (3.5, 0.5, "approach")),
    ),
    "whole": (((0, 4.0, "root"),), ((0, 2.0, "root"), (2, 2.0, "fifth"))),
    "tumbao": (((1.5, 1.5, "fifth"), (3, 2.5, "next")),),
    "pump": (((0.5, 0.4, "root"), (1.5, 0.4, "octave"), (2.5, 0.4, "root"), (3.5, 0.4, "octave")),),
    "walk": (((0, 1.0, "root"), (1, 1.0, "walk"), (2, 1.0, "walk"), (3, 1.0, "approach")),),
    "808": (
        ((0, 1.5, "root"), (2.5, 1.0, "root"), (3.5, 0.5, "octave")),
        ((0, 0.75, "root"), (0.75, 1.75, "root"), (3, 1.0, "fifth")),
    ),
    "lofi": (((0, 1.5, "root"), (2.5, 1.0, "fifth"), (3.5, 0.5, "approach")),),
    "boom-chick": (((0, 1.0, "root"), (2, 1.0, "fifth")),),
    "rnb": (((0, 1.0, "root"), (1.5, 0.5, "octave"), (2.5, 1.0, "fifth"), (3.5, 0.5, "approach")),),
    "pentatonic": (((0, 2.0, "root"), (2, 1.5, "fifth"), (3.5, 0.5, "approach")),),
}

GENRE_FIGURES = {
    "pop": "pop",
    "rock": "eighths",
    "ballad": "whole",
    "salsa": "tumbao",
    "edm": "pump",
    "lofi": "lofi",
    "jazz": "walk",
    "folk": "boom-chick",
    "hiphop": "808",
    "rnb": "rnb",
    "orchestral": "whole",
    "chinese": "pentatonic",
}


def _waltz_figure(name: str, meter: int) -> Figure:
    if name in ("whole", "pentatonic"):
        return ((0, float(meter), "root"),)
    if name == "walk":
        return tuple((float(b), 1.0, "walk" if b else "root") for b in range(meter))
    return ((0, 1.0, "root"), (1, 1.0, "fifth"), (2, 1.0, "octave"))[:meter]


def bass_root(chord: Chord) -> int:
    return BASS_FLOOR + (chord.root - BASS_FLOOR) % 12


def bass_notes(plan: SongPlan, style: Style, seed: int) -> list[Note]:
    rng = random.Random(f"{seed}:bass")
    name = GENRE_FIGURES.get(style.genre, "pop")
    meter = plan.meter
    notes: list[Note] = []
    for section in plan.sections:
        loud = base_velocity(style.energy, section.kind) * 0.95
        choices = FIGURES[name]
        figure = rng.choice(choices) if meter == 4 else _waltz_figure(name, meter)
        calm = section.kind is SectionKind.INTRO and style.energy < 0.6
        for bar in range(section.bars):
            origin = plan.section_start(section) + bar * meter
            chord = plan.changes.at(origin)
            after = plan.changes.following(origin)
            bar_figure: Figure = ((0, float(meter), "root"),) if calm else figure
            if name == "tumbao" and meter == 4 and origin == 0 and not calm:
                bar_figure = ((0, 1.5, "root"), *figure)
            walk = _walk(chord, after, meter) if name == "walk" else []
            for position, length, degree in bar_figure:
                if degree == "walk" and walk:
                    pitch = walk.pop(0)
                else:
                    pitch = _pitch(degree, chord, after, style, rng)
                accent = 1.0 if abs(position - round(position)) < 1e-9 else 0.85
                notes.append(Note(origin + position, length, pitch, velocity(loud * accent)))
    if plan.tail > 0:
        home = plan.changes.at(plan.body_beats)
        final = base_velocity(style.energy, SectionKind.CHORUS)
        notes.append(Note(plan.body_beats, plan.tail, bass_root(home), velocity(final)))
    return monophonic(notes, plan.total_beats)


def monophonic(notes: list[Note], end: float) -> list[Note]:
    """Cut each note where the next begins (a bass plays one note at a time), and at ``end``."""
    ordered = sorted((n for n in notes if n.start < end - 1e-9), key=lambda n: n.start)
    result: list[Note] = []
    for note, following in zip(ordered, [*ordered[1:], None], strict=True):
        stop = min(note.start + note.duration, end)
        if following is not None:
            stop = min(stop, following.start)
        if stop - note.start > 1e-6:
            result.append(Note(note.start, stop - note.start, note.pitch, note.velocity))
    return result


def _walk(chord: Chord, after: Chord, meter: int) -> list[int]:
    """The inner beats of a walking bar: chord tones heading from this root to the next.

    Each inner beat takes the chord tone nearest an even glide from the root
    to the next root, so the line walks rather than jumps and the approach
    note on the last beat is a step from both; over a repeated chord it climbs.
    """
    root = bass_root(chord)
    target = bass_root(after)
    inner = max(0, meter - 2)
    if target == root:
        target = root + 9
    tones = [
        root + (tone - chord.root) % 12 + octave for tone in chord.tones for octave in (-12, 0)
    ]
    tones = [p for p in tones if BASS_FLOOR <= p <= 52 and p != root]
    line: list[int] = []
    for step in range(1, inner + 1):
        aim = root + (target - root) * step / (inner + 1)
        options = [p for p in tones if not line or p != line[-1]] or [root]
        line.append(min(options, key=lambda p: (abs(p - aim), p)))
    return line


def _pitch(degree: str, chord: Chord, after: Chord, style: Style, rng: random.Random) -> int:
    root = bass_root(chord)
    if degree == "root":
        return root
    if degree == "octave":
        return root + 12
    if degree == "fifth":
        return root + (chord.tones[2] - chord.root) % 12
    if degree == "third":
        return root + (chord.tones[1] - chord.root) % 12
    target = bass_root(after)
    if degree == "next":
        return target
    if degree == "walk":
        tone = rng.choice(chord.tones[1:] or chord.tones)
        return root + (tone - chord.root) % 12
    # approach: a step into the next root, chromatic from below/above or from the scale
    if after.root == chord.root:
        return root + rng.choice((7, 12))
    scale = {(style.tonic + step) % 12 for step in scale_of(style.mode)}
    options = [target - 1, target + 1] + [
        target + step for step in (-2, 2) if (target + step) % 12 in scale
    ]
    choice = rng.choice(options)
    return choice if choice >= BASS_FLOOR else choice + 12
