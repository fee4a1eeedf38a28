"""The tune of an existing song, sung on a new song's rhythm: the melody a cover keeps.

A :class:`~songgate.engine.guide.Guide` holds the guiding song's melody as notes in
beats. Each syllable of a new phrase is given the guide's note sounding where the
original sang that syllable: when the guide knows the original's words and times (a
song of this engine), the phrase's words are found in the original's in order and each
syllable sits inside its word's span; otherwise the beat is found by section (the new
song's n-th section over the guide's n-th, the offset inside kept) or, without
sections, at the same beat. The guide's pitches move by whole octaves, once for the
whole song, into the writer's vocal register (the singer's register is fitted after,
engine/sing/voices.py), keep on chord tones where the writer needs one (beats 1 and 3,
long notes, line ends) when a chord tone lies within a tone, and on the key's scale.
Where the guide has nothing to say (a word it never sang, a beat past its end) the
writer composes as usual.
"""

from __future__ import annotations

import bisect
import random
import statistics
from collections.abc import Sequence
from dataclasses import replace

from songgate.engine.compose.harmony import Changes, Chord, scale_of
from songgate.engine.compose.melody import VOCAL_HIGH, VOCAL_LOW, MelodyWriter
from songgate.engine.compose.phrasing import is_strong_beat
from songgate.engine.compose.plan import Phrase, SectionPlan, SongPlan
from songgate.engine.compose.rhythm import line_rhythm
from songgate.engine.guide import Guide, GuideNote
from songgate.engine.types import Style

CENTRE = 66  # the writer's vocal register's middle (melody.py's verse-to-chorus centres)
NEAREST_BEATS = 1.0  # a syllable between notes takes a note this near, else none
SNAP_SEMITONES = 2  # a needed chord tone this near replaces the guide's pitch


def bare(text: str) -> str:
    """A word as :class:`GuideWord` keeps it: lower case, letters and digits only."""
    return "".join(c for c in text.lower() if c.isalnum() or c == "'").strip("'")


class GuideTune:
    """The guide's melody, looked up by beat."""

    def __init__(self, notes: Sequence[GuideNote]) -> None:
        self.notes = sorted(notes, key=lambda n: n.start)
        self._starts = [n.start for n in self.notes]
        pitches = [n.pitch for n in self.notes]
        self.shift = 12 * round((CENTRE - statistics.median(pitches)) / 12) if pitches else 0

    def pitch_at(self, beat: float) -> int | None:
        """The guide's pitch sounding at ``beat`` (else the nearest note's), in the
        writer's register; None far from any note."""
        if not self.notes:
            return None
        index = bisect.bisect_right(self._starts, beat + 1e-6) - 1
        best: GuideNote | None = None
        distance = NEAREST_BEATS
        for near in (index, index + 1):
            if 0 <= near < len(self.notes):
                note = self.notes[near]
                gap = max(0.0, note.start - beat, beat - (note.start + note.beats))
                if gap <= distance:
                    best, distance = note, gap
        if best is None:
            return None
        pitch = best.pitch + self.shift
        while pitch < VOCAL_LOW - 3:
            pitch += 12
        while pitch > VOCAL_HIGH + 3:
            pitch -= 12
        return pitch


class SourceBeats:
    """Where in the guiding song each syllable of a new phrase was sung (guide beats)."""

    def __init__(self, guide: Guide, sections: Sequence[SectionPlan], meter: int) -> None:
        self.guide = guide
        self.words = [w.word for w in guide.words]
        self.sections = list(sections)
        self.meter = meter
        self._next = 0  # the first original word not yet sung again

    def of(self, phrase: Phrase, offsets: Sequence[float]) -> list[float]:
        """The guide beat for each syllable, ``offsets`` being its beats into the phrase."""
        by_words = self._by_words(phrase) if self.words else None
        if by_words is not None and len(by_words) == len(offsets):
            return by_words
        shift = self.section_shift(phrase.start)
        return [phrase.start + offset + shift for offset in offsets]

    def bar_shift(self, phrase: Phrase) -> int:
        """Whole bars from ``phrase`` to where the guide has it (its chords are there)."""
        found = self._by_words(phrase) if self.words and phrase.syllables else None
        if not found:
            return round(self.section_shift(phrase.start) / self.meter)
        return round((found[0] - phrase.start) / self.meter)

    def _by_words(self, phrase: Phrase) -> list[float] | None:
        runs: list[int] = []  # syllables per word
        count = 0
        for syllable in phrase.syllables:
            count += 1
            if syllable.word_end:
                runs.append(count)
                count = 0
        if count:
            runs.append(count)
        joined = self._joined(phrase)
        if len(joined) != len(runs) or not joined:
            return None
        at = self._find(joined)
        if at is None:
            return None
        if phrase.sung:
            self._next = at + len(joined)
        beats: list[float] = []
        for word, run in zip(self.guide.words[at:at + len(joined)], runs, strict=True):
            span = max(0.0, word.end - word.start)
            beats.extend(word.start + span * k / run + 0.05 for k in range(run))
        return beats

    @staticmethod
    def _joined(phrase: Phrase) -> list[str]:
        """The phrase's words, each the bare join of its syllables' texts."""
        found: list[str] = []
        text = ""
        for syllable in phrase.syllables:
            text += syllable.text
            if syllable.word_end:
                found.append(bare(text))
                text = ""
        if text:
            found.append(bare(text))
        return found if all(found) else []

    def _find(self, words: list[str]) -> int | None:
        """Where ``words`` are sung in the original: next in order, else anywhere."""
        size = len(words)
        for start in (self._next, 0):
            for at in range(start, len(self.words) - size + 1):
                if self.words[at:at + size] == words:
                    return at
        return None

    def section_shift(self, beat: float) -> float:
        """Beats from a new section's start to its counterpart's in the guide."""
        if not self.guide.sections:
            return 0.0
        for number, section in enumerate(self.sections):
            if section.start_bar * self.meter <= beat < (section.start_bar + section.bars) \
                    * self.meter:
                if number >= len(self.guide.sections):
                    return 0.0
                return float((self.guide.sections[number].start_bar - section.start_bar)
                             * self.meter)
        return 0.0


class GuidedMelodyWriter(MelodyWriter):
    """Writes each phrase on the guide's tune; composes where the guide is silent."""

    def __init__(self, style: Style, changes: Changes, seed: int, guide: Guide,
                 sections: Sequence[SectionPlan]) -> None:
        super().__init__(style, changes, seed)
        self.tune = GuideTune(guide.melody)
        self.beats = SourceBeats(guide, sections, style.meter)
        self._scale = {(style.tonic + step) % 12 for step in scale_of(style.mode)}

    def _key(self, phrase: Phrase) -> tuple[object, ...]:
        """Each sung line is written anew: its place in the original decides its tune."""
        return (*super()._key(phrase), phrase.start if phrase.sung else 0.0)

    def _compose(self, phrase: Phrase, previous: int | None) -> list[tuple[float, float, int]]:
        style = self.style
        timings = line_rhythm(phrase.syllables, phrase.beats, style.meter, style.tempo,
                              style.swing, self._motif(phrase.role))
        sources = self.beats.of(phrase, [t.start for t in timings])
        pitches = [self.tune.pitch_at(beat) for beat in sources]
        if not any(p is not None for p in pitches):
            return super()._compose(phrase, previous)
        rng = random.Random(f"{self.seed}:guided:{phrase.role}:{phrase.index}")
        prev = previous
        notes: list[tuple[float, float, int]] = []
        for number, (timing, wanted) in enumerate(zip(timings, pitches, strict=True)):
            start = phrase.start + timing.start
            chord = self.changes.at(start)
            strict = (number == len(timings) - 1 or timing.duration >= 1.5
                      or is_strong_beat(start, style.meter))
            if wanted is None:
                anchor = prev if prev is not None else CENTRE
                wanted = self._choose(chord, strict, anchor, 0, 0, (), float(anchor), rng)
            pitch = self._fitted(wanted, chord, strict)
            notes.append((timing.start, timing.duration, pitch))
            prev = pitch
        return notes

    def _fitted(self, pitch: int, chord: Chord, strict: bool) -> int:
        """``pitch`` on a chord tone when one is needed and near, else on the scale."""
        if strict and pitch % 12 not in chord.tones:
            for size in range(1, SNAP_SEMITONES + 1):
                for candidate in (pitch - size, pitch + size):
                    if candidate % 12 in chord.tones:
                        return candidate
        if pitch % 12 in self._scale or pitch % 12 in chord.tones:
            return pitch
        return pitch - 1 if (pitch - 1) % 12 in self._scale else pitch + 1


def chords_laid_over(guide: Guide | None, plan: SongPlan) -> Guide | None:
    """``guide`` with one chord per bar of ``plan``: each bar takes the guide's chord from
    where its phrase's tune is taken, so tune and chords come from the same place."""
    if guide is None or not guide.melody or not guide.chords:
        return guide
    beats = SourceBeats(guide, plan.sections, plan.meter)
    shifts = [0] * plan.bars
    for section in plan.sections:
        shift = round(beats.section_shift(section.start_bar * plan.meter) / plan.meter)
        for bar in range(section.start_bar, section.start_bar + section.bars):
            shifts[bar] = shift
        for phrase in section.phrases:
            shift = beats.bar_shift(phrase)
            first = int(phrase.start // plan.meter)
            for bar in range(first, min(plan.bars, first + round(phrase.beats / plan.meter))):
                shifts[bar] = shift
    chords = tuple(guide.chords[min(len(guide.chords) - 1, max(0, bar + shift))]
                   for bar, shift in enumerate(shifts))
    return replace(guide, chords=chords)


def melody_writer(style: Style, changes: Changes, seed: int, guide: Guide | None,
                  sections: Sequence[SectionPlan]) -> MelodyWriter:
    """The guided writer when the guide has a tune, else the composing one."""
    if guide is None or not guide.melody:
        return MelodyWriter(style, changes, seed)
    return GuidedMelodyWriter(style, changes, seed, guide, sections)
