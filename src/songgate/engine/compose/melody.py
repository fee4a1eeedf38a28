"""The tune: pitches for each phrase's rhythm, and the memory that makes choruses repeat.

Pitches are chosen note by note, greedily, by a cost that prefers steps to
leaps (and a step back after a leap), follows a contour per line (arch, rise,
fall, dip) around a register that depends on the role (choruses sit higher
than verses), and adds a seeded dash of chance. Notes on beats 1 and 3, long
notes and phrase ends must be chord tones of the chord sounding then; the
last note also prefers a stable degree (the tonic at the end of a section).

A phrase's melody is remembered by its role, syllables, length and chords,
so a chorus sung again — or replayed by the lead in an intro — is identical.
Randomness per line comes from ``(seed, role, line index, syllable count)``,
so verses with similar lines get similar tunes: a shared motif that adapts.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from songgate.engine.compose.harmony import Changes, Chord, pitches_in, scale_of
from songgate.engine.compose.phrasing import is_strong_beat, note_grid
from songgate.engine.compose.plan import Phrase
from songgate.engine.compose.rhythm import Motif, line_rhythm, make_motif
from songgate.engine.types import Mode, Style

VOCAL_LOW = 58  # Bb3
VOCAL_HIGH = 74  # D5

_CENTERS = {"verse": 63.5, "pre-chorus": 66.0, "bridge": 67.0, "chorus": 68.5}
_SPANS = {"verse": 3.0, "pre-chorus": 3.0, "bridge": 3.5, "chorus": 4.0}
_STEP_COST = (0.9, 0.3, 0.0, 0.6, 0.8, 1.6, 3.2, 2.2, 3.0, 3.4, 4.0, 4.8, 4.2)
_CONTOURS = (
    lambda t: math.sin(math.pi * t),  # arch
    lambda t: 2 * t - 1,  # rise
    lambda t: 1 - 2 * t,  # fall
    lambda t: 0.5 - math.sin(math.pi * t),  # dip
)
PENTATONIC = {Mode.MAJOR: (0, 2, 4, 7, 9), Mode.MINOR: (0, 3, 5, 7, 10)}


@dataclass(frozen=True, slots=True)
class MelodyNote:
    start: float  # beats from the song start, before swing
    duration: float
    pitch: int


class MelodyWriter:
    """Writes every phrase of one song; holds the per-role motifs and the repeat memory."""

    def __init__(self, style: Style, changes: Changes, seed: int) -> None:
        self.style = style
        self.changes = changes
        self.seed = seed
        self.grid = note_grid(style.tempo, style.swing)
        self.pentatonic = style.genre == "chinese"
        self._motifs: dict[str, Motif] = {}
        self._contours: dict[str, tuple[int, ...]] = {}
        self._memory: dict[tuple[object, ...], list[tuple[float, float, int]]] = {}

    def write(self, phrase: Phrase, previous: int | None) -> list[MelodyNote]:
        """The notes of ``phrase``; ``previous`` is the pitch sung just before, if any."""
        key = self._key(phrase)
        shape = self._memory.get(key)
        if shape is None:
            shape = self._compose(phrase, previous)
            self._memory[key] = shape
        return [MelodyNote(phrase.start + s, d, p) for s, d, p in shape]

    def _key(self, phrase: Phrase) -> tuple[object, ...]:
        chords = tuple(
            (span.start - phrase.start, span.chord.symbol)
            for span in self.changes.between(phrase.start, phrase.start + phrase.beats)
        )
        words = tuple((s.text, s.language, s.stressed) for s in phrase.syllables)
        return (phrase.role, words, phrase.beats, chords, phrase.last)

    def _motif(self, role: str) -> Motif:
        if role not in self._motifs:
            rng = random.Random(f"{self.seed}:motif:{role}")
            self._motifs[role] = make_motif(self.style.meter, self.grid, rng)
        return self._motifs[role]

    def _contour(self, role: str, index: int) -> int:
        if role not in self._contours:
            rng = random.Random(f"{self.seed}:contour:{role}")
            self._contours[role] = tuple(rng.randrange(len(_CONTOURS)) for _ in range(4))
        return self._contours[role][index % 4]

    def _compose(self, phrase: Phrase, previous: int | None) -> list[tuple[float, float, int]]:
        style = self.style
        timings = line_rhythm(
            phrase.syllables,
            phrase.beats,
            style.meter,
            style.tempo,
            style.swing,
            self._motif(phrase.role),
        )
        rng = random.Random(f"{self.seed}:{phrase.role}:{phrase.index}:{len(timings)}")
        center = _CENTERS.get(phrase.role, 66.0) + rng.uniform(-1.0, 1.0)
        span = _SPANS.get(phrase.role, 3.0)
        contour = _CONTOURS[self._contour(phrase.role, phrase.index)]
        prev = previous if previous is not None else round(center)
        prev_step = 0
        repeats = 0
        notes: list[tuple[float, float, int]] = []
        for number, timing in enumerate(timings):
            start = phrase.start + timing.start
            chord = self.changes.at(start)
            last = number == len(timings) - 1
            strict = last or timing.duration >= 1.5 or is_strong_beat(start, style.meter)
            progress = number / max(1, len(timings) - 1)
            target = center + span * contour(progress)
            recent = tuple(p for _, _, p in notes[-3:])
            pitch = self._choose(chord, strict, prev, prev_step, repeats, recent, target, rng)
            if last:
                pitch = self._cadence(chord, pitch, prev, target, phrase)
            repeats = repeats + 1 if pitch == prev else 0
            prev_step = pitch - prev if notes or previous is not None else 0
            prev = pitch
            notes.append((timing.start, timing.duration, pitch))
        return notes

    def _allowed(self, chord: Chord, strict: bool) -> list[int]:
        if strict:
            classes = set(chord.tones)
        else:
            base = PENTATONIC[self.style.mode] if self.pentatonic else scale_of(self.style.mode)
            classes = {(self.style.tonic + step) % 12 for step in base}
            # a chromatic chord tone (the raised seventh over V in minor) replaces its neighbours
            for tone in chord.tones:
                if tone not in classes:
                    classes -= {(tone + 1) % 12, (tone - 1) % 12}
            classes |= set(chord.tones)
        return pitches_in(sorted(classes), VOCAL_LOW, VOCAL_HIGH)

    def _choose(
        self,
        chord: Chord,
        strict: bool,
        prev: int,
        prev_step: int,
        repeats: int,
        recent: tuple[int, ...],
        target: float,
        rng: random.Random,
    ) -> int:
        """The cheapest allowed pitch; ``recent`` are the last few notes of this line."""
        best, best_cost = prev, math.inf
        trilling = len(recent) >= 3 and recent[-1] == recent[-3]
        for pitch in self._allowed(chord, strict):
            step = pitch - prev
            size = abs(step)
            if size > 12:
                continue
            cost = _STEP_COST[size] + 0.35 * abs(pitch - target) + 1.3 * rng.random()
            if abs(prev_step) >= 5 and step * prev_step > 0:
                cost += 2.5  # after a leap, turn back
            if size == 0 and repeats >= 1:
                cost += 1.2 * repeats
            if len(recent) >= 2 and size and pitch == recent[-2]:
                cost += 2.0 if trilling else 0.9  # back and forth between two notes is dull
            elif 0 < size <= 2 and 0 < abs(prev_step) <= 2 and step * prev_step > 0:
                cost -= 0.3  # a scale run keeps its direction
            if cost < best_cost:
                best, best_cost = pitch, cost
        return best

    def _cadence(self, chord: Chord, pitch: int, prev: int, target: float, phrase: Phrase) -> int:
        """Rest the line on a stable tone: the tonic at a section's end, else root/third/fifth."""
        tonic = self.style.tonic
        if phrase.last:
            wish = [tonic, chord.root, chord.tones[1]] if tonic in chord.tones else [chord.root]
        elif phrase.index % 2 == 0:
            wish = [chord.tones[1], chord.tones[2], chord.root]
        else:
            wish = [chord.root, chord.tones[1]]
        best, best_cost = pitch, math.inf
        for rank, pitch_class in enumerate(wish):
            for candidate in pitches_in([pitch_class], VOCAL_LOW, VOCAL_HIGH):
                size = abs(candidate - prev)
                if size > 12:
                    continue
                cost = rank * 1.2 + _STEP_COST[size] + 0.3 * abs(candidate - target)
                if cost < best_cost:
                    best, best_cost = candidate, cost
        return best
