"""Chords from roman numerals, placed in a key, and voiced for playing.

Styles write progressions as roman numerals so one preset serves every key.
This module is the one place that turns a numeral into pitch classes, so the
melody (which must land on chord tones) and the accompaniment (which plays
them) can never disagree about what a chord is.

Numerals are read leniently: case gives the quality (upper major, lower
minor, or diminished where the key makes that degree diminished), a leading
``b``/``#`` alters the degree against the major scale, and suffixes such as
``7``, ``maj7``, ``m7``, ``°``, ``ø``, ``+``, ``sus4``, ``6``, ``9``, ``add9``
and a secondary ``/V`` are understood. Anything unreadable becomes the tonic
chord rather than an error: a wrong chord is better than no song.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from songgate.engine.types import Mode

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)
MINOR_SCALE = (0, 2, 3, 5, 7, 8, 10)  # natural minor: "III", "VI", "VII" are its degrees

_NUMERAL = re.compile(r"^([b#♭♯]?)(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(.*)$")
_DEGREE = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}

MAJOR_TRIAD = (0, 4, 7)
MINOR_TRIAD = (0, 3, 7)
DIMINISHED_TRIAD = (0, 3, 6)


def scale_of(mode: Mode) -> tuple[int, ...]:
    """The seven scale steps (semitones above the tonic) of a mode."""
    return MAJOR_SCALE if mode is Mode.MAJOR else MINOR_SCALE


@dataclass(frozen=True, slots=True)
class Chord:
    """A chord as pitch classes: root first, then third, fifth, and any colour tones."""

    symbol: str
    root: int
    tones: tuple[int, ...]


def tonic_chord(tonic: int, mode: Mode) -> Chord:
    return parse_numeral("I" if mode is Mode.MAJOR else "i", tonic, mode)


def parse_numeral(symbol: str, tonic: int, mode: Mode) -> Chord:
    """The chord a roman numeral names in ``tonic``/``mode``; unreadable ones give the tonic."""
    text = symbol.strip()
    head, _, target = text.partition("/")
    if target:
        secondary = _parse_secondary(head, target, tonic, mode)
        if secondary is not None:
            return Chord(text, secondary.root, secondary.tones)
    chord = _parse_plain(text, tonic, mode)
    if chord is None:
        fallback = "I" if mode is Mode.MAJOR else "i"
        chord = _parse_plain(fallback, tonic, mode)
        assert chord is not None
        return Chord(text, chord.root, chord.tones)
    return chord


def _parse_secondary(head: str, target: str, tonic: int, mode: Mode) -> Chord | None:
    """``V/V``: ``head`` read in the major key whose tonic is the root of ``target``."""
    aim = _parse_plain(target, tonic, mode)
    if aim is None or _NUMERAL.match(head) is None:
        return None
    return _parse_plain(head, aim.root, Mode.MAJOR)


def _parse_plain(text: str, tonic: int, mode: Mode) -> Chord | None:
    match = _NUMERAL.match(text)
    if match is None:
        return None
    accidental, numeral, suffix = match.groups()
    degree = _DEGREE[numeral.lower()]
    if accidental:
        shift = -1 if accidental in "b♭" else 1
        offset = MAJOR_SCALE[degree] + shift
    else:
        offset = scale_of(mode)[degree]
    root = (tonic + offset) % 12
    triad = _base_triad(numeral, degree, mode, diatonic=not accidental)
    intervals = _apply_suffix(triad, suffix)
    return Chord(text, root, tuple((root + interval) % 12 for interval in intervals))


def _base_triad(numeral: str, degree: int, mode: Mode, *, diatonic: bool) -> tuple[int, ...]:
    if numeral.isupper():
        return MAJOR_TRIAD
    if diatonic and _diatonic_triad(degree, mode) == DIMINISHED_TRIAD:
        return DIMINISHED_TRIAD
    return MINOR_TRIAD


def _diatonic_triad(degree: int, mode: Mode) -> tuple[int, ...]:
    scale = scale_of(mode)
    root = scale[degree]
    third = (scale[(degree + 2) % 7] - root) % 12
    fifth = (scale[(degree + 4) % 7] - root) % 12
    return (0, third, fifth)


def _apply_suffix(triad: tuple[int, ...], suffix: str) -> tuple[int, ...]:
    """Quality marks after the numeral; the order they are checked in resolves overlaps."""
    raw = suffix.strip()
    low = raw.lower()
    third, fifth = triad[1], triad[2]
    extra: list[int] = []
    if low.startswith(("°", "o", "dim")):
        third, fifth = 3, 6
        if "7" in low:
            extra.append(9)
    elif low.startswith(("ø", "m7b5")):
        third, fifth = 3, 6
        extra.append(10)
    elif low.startswith(("+", "aug")):
        third, fifth = 4, 8
    if "maj7" in low or "Δ" in raw or re.match(r"^M7", raw) or "maj9" in low:
        extra.append(11)
    elif re.match(r"^(m|min|-)(7|9|11)", raw):
        third = 3
        extra.append(10)
    elif re.search(r"(^|[^d])(7|9|11|13)", low) and not extra:
        extra.append(9 if (third, fifth) == (3, 6) and "°" in raw else 10)
    if re.match(r"^(m|min|-)($|[^a-z])", raw) and not extra:
        third = 3
    if "sus2" in low:
        third = 2
    elif "sus" in low:
        third = 5
    if re.search(r"(^|[^1])6", low):
        extra.append(9)
    if "9" in low:
        extra.append(2)
    if "11" in low and "sus" not in low:
        extra.append(5)
    tones: list[int] = [0, third, fifth]
    for interval in extra:
        if interval not in tones:
            tones.append(interval)
    return tuple(tones)


def pitch_near(pitch_class: int, target: float) -> int:
    """The MIDI pitch of ``pitch_class`` closest to ``target`` (ties go down)."""
    base = int(target) - (int(target) - pitch_class) % 12
    return base if target - base <= base + 12 - target else base + 12


def pitches_in(pitch_classes: Sequence[int], low: int, high: int) -> list[int]:
    """Every MIDI pitch between ``low`` and ``high`` (inclusive) with one of these classes."""
    wanted = {pc % 12 for pc in pitch_classes}
    return [pitch for pitch in range(low, high + 1) if pitch % 12 in wanted]


def voice(
    chord: Chord,
    low: int,
    high: int,
    previous: Sequence[int] = (),
    size: int = 4,
) -> tuple[int, ...]:
    """A close-position voicing inside ``[low, high]`` that moves least from ``previous``.

    Smooth voice leading is what makes block chords sound played rather than
    pasted; without a previous voicing the one nearest the middle of the range
    wins. When the chord has more tones than ``size`` the fifth goes first.
    """
    tones = list(chord.tones)
    while len(tones) > size and len(tones) > 3:
        tones.pop(2)
    if len(tones) > size:
        tones = tones[:size]
    best: tuple[int, ...] = ()
    best_cost = float("inf")
    middle = (low + high) / 2
    for inversion in range(len(tones)):
        order = tones[inversion:] + tones[:inversion]
        for bottom in pitches_in([order[0]], low, high):
            notes = [bottom]
            for pc in order[1:]:
                notes.append(notes[-1] + ((pc - notes[-1]) % 12 or 12))
            if notes[-1] > high:
                continue
            if previous:
                cost = float(sum(min(abs(note - old) for old in previous) for note in notes))
                cost += 0.5 * abs(sum(notes) / len(notes) - middle) / 12
            else:
                cost = abs(sum(notes) / len(notes) - middle)
            if cost < best_cost:
                best, best_cost = tuple(notes), cost
    if not best:  # range too narrow for a close voicing: stack upward from low
        best = tuple(sorted(pitch_near(pc, low + 6) for pc in tones))
    return best


@dataclass(frozen=True, slots=True)
class ChordSpan:
    start: float  # beats
    beats: float
    chord: Chord

    @property
    def end(self) -> float:
        return self.start + self.beats


class Changes:
    """The chord sounding at any beat of the song, found by bisection."""

    def __init__(self, spans: Sequence[ChordSpan]) -> None:
        self.spans = tuple(spans)
        self._starts = [span.start for span in self.spans]

    def at(self, beat: float) -> Chord:
        return self.span_at(beat).chord

    def span_at(self, beat: float) -> ChordSpan:
        index = bisect.bisect_right(self._starts, beat + 1e-9) - 1
        return self.spans[max(0, min(index, len(self.spans) - 1))]

    def following(self, beat: float) -> Chord:
        """The chord after the one sounding at ``beat`` (the same one at the end)."""
        index = bisect.bisect_right(self._starts, beat + 1e-9)
        return self.spans[min(index, len(self.spans) - 1)].chord

    def between(self, start: float, end: float) -> list[ChordSpan]:
        return [span for span in self.spans if span.start < end and span.end > start]
