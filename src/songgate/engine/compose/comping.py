"""Chordal accompaniment: the comp part in each genre's manner, and the sustained pad.

A comp *manner* is how a player fills a bar with the chord: piano block
chords, a ballad arpeggio, guitar strums (strings staggered like a real
strum), a salsa montuno, jazz shells on a Charleston rhythm, soft lofi
sevenths, EDM off-beat stabs, an orchestral ostinato. Voicings move by the
smallest steps (``harmony.voice``) so changes sound played, not pasted.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from songgate.engine.compose.groove import base_velocity, velocity
from songgate.engine.compose.harmony import Chord, pitch_near, voice
from songgate.engine.compose.plan import SectionPlan, SongPlan
from songgate.engine.types import Note, SectionKind, Style

GENRE_MANNER = {
    "pop": "block",
    "rock": "strum",
    "ballad": "arpeggio",
    "salsa": "montuno",
    "edm": "stabs",
    "lofi": "soft7",
    "jazz": "shell",
    "folk": "strum",
    "hiphop": "sparse",
    "rnb": "rnb",
    "orchestral": "ostinato",
    "chinese": "arpeggio",
}

Cell = tuple[tuple[float, float], ...]  # (beat, length) chord hits within a bar

_CELLS: dict[str, tuple[Cell, ...]] = {
    "block": (
        ((0, 1.5), (1.5, 1.0), (2.5, 1.5)),
        ((0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)),
        ((0, 2.0), (2, 1.5), (3.5, 0.5)),
    ),
    "stabs": (((0.5, 0.3), (1.5, 0.3), (2.5, 0.3), (3.5, 0.3)),),
    "soft7": (((0, 3.75),), ((0, 2.0), (2.5, 1.25))),
    "sparse": (((0, 2.0),), ((0, 1.5), (2.5, 1.0))),
    "shell": (((0, 1.0), (1.5, 0.5)), ((0, 0.75), (2.5, 1.0)), ((1.5, 0.5), (3.5, 0.5))),
    "rnb": (((0, 1.5), (1.5, 1.0), (3, 0.5), (3.5, 0.5)), ((0, 2.5), (2.5, 1.5))),
}
_STRUMS = (
    ((0, "down"), (1, "down"), (1.5, "up"), (2.5, "up"), (3, "down"), (3.5, "up")),
    ((0, "down"), (1, "down"), (2, "down"), (2.5, "up"), (3, "down"), (3.5, "up")),
)

Manner = Callable[["Comper", Chord, float, int], list[Note]]


def with_seventh(chord: Chord, tonic: int) -> Chord:
    """Lofi, R&B and jazz colour: add the seventh a triad implies (b7 on the dominant)."""
    if len(chord.tones) > 3:
        return chord
    third = (chord.tones[1] - chord.root) % 12
    dominant = (chord.root - tonic) % 12 == 7
    seventh = 11 if third == 4 and not dominant else 10
    return Chord(chord.symbol, chord.root, (*chord.tones, (chord.root + seventh) % 12))


class Comper:
    """Plays one section at a time; remembers the last voicing for smooth leading."""

    def __init__(self, style: Style, manner: str, rng: random.Random) -> None:
        self.style = style
        self.manner = manner
        self.rng = rng
        self.previous: tuple[int, ...] = ()
        self.cell: Cell = ()
        self.loud = 80.0
        self.kind = SectionKind.VERSE

    def section(self, plan: SongPlan, section: SectionPlan) -> list[Note]:
        meter = plan.meter
        self.kind = section.kind
        self.loud = base_velocity(self.style.energy, section.kind) * 0.8
        self.cell = self._cell(meter)
        manner = _MANNERS.get(self.manner, Comper.block)
        calm = section.kind is SectionKind.INTRO and self.style.energy < 0.4
        notes: list[Note] = []
        for bar in range(section.bars):
            origin = plan.section_start(section) + bar * meter
            chord = plan.changes.at(origin)
            if self.manner in ("soft7", "shell", "rnb", "sparse"):
                chord = with_seventh(chord, self.style.tonic)
            if calm:
                notes.extend(self.chord_hit(chord, origin, float(meter), 0.85))
            else:
                notes.extend(manner(self, chord, origin, bar))
        return notes

    def ending(self, chord: Chord, at: float, length: float) -> list[Note]:
        return self.chord_hit(chord, at, length, 1.0)

    def _cell(self, meter: int) -> Cell:
        if meter != 4:
            if self.manner in ("soft7", "sparse"):
                return ((0.0, float(meter) - 0.25),)
            return tuple((float(b), 1.0) for b in range(1, meter)) or ((0.0, 1.0),)
        if self.style.energy < 0.3 and self.manner == "block":
            return ((0.0, 4.0),)
        return self.rng.choice(_CELLS.get(self.manner, _CELLS["block"]))

    def voicing(
        self, chord: Chord, low: int = 52, high: int = 71, size: int = 4
    ) -> tuple[int, ...]:
        notes = voice(chord, low, high, self.previous, size)
        self.previous = notes
        return notes

    def chord_hit(self, chord: Chord, at: float, length: float, weight: float) -> list[Note]:
        return [
            Note(at, length, pitch, velocity(self.loud * weight)) for pitch in self.voicing(chord)
        ]

    def block(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        notes: list[Note] = []
        for position, length in self.cell:
            weight = 1.0 if position == 0 else 0.85
            notes.extend(self.chord_hit(chord, origin + position, length, weight))
        return notes

    def shell(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Third and seventh only (the bass has the root), on a Charleston-like rhythm."""
        cell = self.rng.choice(_CELLS["shell"]) if self.style.meter == 4 else self.cell
        guide = [chord.tones[1], chord.tones[3] if len(chord.tones) > 3 else chord.tones[2]]
        notes: list[Note] = []
        for position, length in cell:
            pitches = voice(Chord(chord.symbol, chord.root, tuple(guide)), 53, 67, self.previous)
            self.previous = pitches
            for pitch in pitches:
                notes.append(Note(origin + position, length, pitch, velocity(self.loud * 0.85)))
        return notes

    def soft(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Lofi: sevenths rolled gently from the bottom, a touch behind the beat."""
        notes: list[Note] = []
        for position, length in self.cell:
            for order, pitch in enumerate(self.voicing(chord, 50, 70)):
                at = origin + position + 0.04 + 0.03 * order
                notes.append(Note(at, length - 0.03 * order, pitch, velocity(self.loud * 0.75)))
        return notes

    def arpeggio(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Bass note, then the chord broken upward and back in eighths, left ringing."""
        meter = self.style.meter
        upper = list(self.voicing(chord, 55, 74, 3))
        low = pitch_near(chord.root, 45)
        order = [low, *upper, upper[-1] + 12 if upper[-1] + 12 <= 84 else upper[0], *upper[::-1]]
        notes: list[Note] = []
        for step in range(meter * 2):
            pitch = order[step % len(order)]
            weight = 0.85 if step == 0 else 0.65
            notes.append(Note(origin + step * 0.5, 1.0, pitch, velocity(self.loud * weight)))
        return notes

    def strum(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Guitar: six-ish strings, staggered 1/50 beat, downstrokes low to high."""
        meter = self.style.meter
        rock_verse = self.style.genre == "rock" and self.kind is not SectionKind.CHORUS
        root = pitch_near(chord.root, 45)
        if rock_verse:  # power chord, palm-muted eighths
            strings = [root, root + 7, root + 12]
            return [
                Note(origin + i * 0.5, 0.4, p, velocity(self.loud * (0.95 if i % 2 == 0 else 0.75)))
                for i in range(meter * 2)
                for p in strings
            ]
        strings = [root, *self.voicing(chord, 52, 67)]
        strokes = (
            self.rng.choice(_STRUMS)
            if meter == 4
            else tuple((b / 2, "down" if b % 2 == 0 else "up") for b in range(meter * 2))
        )
        notes: list[Note] = []
        for number, (position, stroke) in enumerate(strokes):
            following = strokes[number + 1][0] if number + 1 < len(strokes) else meter
            length = max(0.25, following - position)
            played = strings if stroke == "down" else strings[:0:-1][:4]
            weight = 0.9 if stroke == "down" else 0.7
            for order, pitch in enumerate(played):
                at = origin + position + 0.02 * order
                notes.append(Note(at, length - 0.02 * order, pitch, velocity(self.loud * weight)))
        return notes

    def montuno(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Salsa piano: a syncopated two-bar figure in octaves over the chord tones."""
        if self.style.meter != 4:
            return self.block(chord, origin, bar)
        hits = (0.0, 1.0, 1.5, 2.5, 3.5) if bar % 2 == 0 else (0.5, 1.5, 2.0, 3.0, 3.5)
        top = list(self.voicing(chord, 60, 74, 3))
        notes: list[Note] = []
        for number, position in enumerate(hits):
            pitch = top[(number + bar) % len(top)]
            middle = pitch_near(chord.tones[(number + 1) % 3], pitch - 6)
            for p in sorted({pitch - 12, middle, pitch}):
                notes.append(Note(origin + position, 0.45, p, velocity(self.loud * 0.85)))
        return notes

    def stabs(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        weight = 0.95 if self.kind is SectionKind.CHORUS else 0.75
        notes: list[Note] = []
        for position, length in self.cell:
            notes.extend(self.chord_hit(chord, origin + position, length, weight))
        return notes

    def ostinato(self, chord: Chord, origin: float, bar: int) -> list[Note]:
        """Strings: a driving eighth-note figure on root, fifth and octave."""
        root = pitch_near(chord.root, 52)
        fifth = root + (chord.tones[2] - chord.root) % 12
        figure = (root, fifth, root + 12, fifth)
        return [
            Note(origin + i * 0.5, 0.45, figure[i % 4], velocity(self.loud * (1 - 0.15 * (i % 2))))
            for i in range(self.style.meter * 2)
        ]


_MANNERS: dict[str, Manner] = {
    "block": Comper.block,
    "sparse": Comper.block,
    "rnb": Comper.block,
    "stabs": Comper.stabs,
    "shell": Comper.shell,
    "soft7": Comper.soft,
    "arpeggio": Comper.arpeggio,
    "strum": Comper.strum,
    "montuno": Comper.montuno,
    "ostinato": Comper.ostinato,
}


def manner_for(style: Style) -> str:
    """The genre's manner, adjusted to the instrument: guitars strum, pianos don't."""
    manner = GENRE_MANNER.get(style.genre, "block")
    program = style.instruments.comp
    if manner == "block" and 24 <= program <= 31:
        return "strum"
    if manner == "strum" and program < 8:
        return "block"
    return manner


def comp_notes(plan: SongPlan, style: Style, seed: int) -> list[Note]:
    comper = Comper(style, manner_for(style), random.Random(f"{seed}:comp"))
    notes: list[Note] = []
    for section in plan.sections:
        notes.extend(comper.section(plan, section))
    if plan.tail > 0:
        comper.loud = base_velocity(style.energy, SectionKind.CHORUS) * 0.8
        notes.extend(comper.ending(plan.changes.at(plan.body_beats), plan.body_beats, plan.tail))
    return _within(notes, plan.total_beats)


def pad_notes(plan: SongPlan, style: Style) -> list[Note]:
    """Sustained chords, one per chord change, soft and wide, voice-led."""
    notes: list[Note] = []
    previous: tuple[int, ...] = ()
    for span in plan.changes.spans:
        if span.start >= plan.total_beats - 1e-9:
            break
        kind = _kind_at(plan, span.start)
        loud = base_velocity(style.energy, kind) * 0.6
        previous = voice(span.chord, 48, 69, previous, 4)
        length = min(span.beats, plan.total_beats - span.start)
        notes.extend(Note(span.start, length, p, velocity(loud)) for p in previous)
    return _within(_merged(notes), plan.total_beats)


def _kind_at(plan: SongPlan, beat: float) -> SectionKind:
    for section in plan.sections:
        if plan.section_start(section) <= beat < plan.section_end(section):
            return section.kind
    return SectionKind.OUTRO


def _merged(notes: list[Note]) -> list[Note]:
    """Join a pitch held across bars into one long note (a pad does not re-attack)."""
    ringing: dict[int, Note] = {}
    result: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.start, n.pitch)):
        held = ringing.get(note.pitch)
        if held is not None and abs(held.start + held.duration - note.start) < 1e-6:
            ringing[note.pitch] = Note(
                held.start, held.duration + note.duration, held.pitch, held.velocity
            )
            continue
        if held is not None:
            result.append(held)
        ringing[note.pitch] = note
    result.extend(ringing.values())
    return result


def _within(notes: list[Note], end: float) -> list[Note]:
    return [
        Note(n.start, min(n.duration, end - n.start), n.pitch, n.velocity)
        for n in notes
        if n.start < end - 1e-9 and n.duration > 0
    ]
