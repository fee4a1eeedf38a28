"""Group a Score's vocal notes into phrases: the runs of notes sung in one breath.

Inside a sung line the notes follow each other without a gap (the rhythm gives
each syllable the time up to the next); a line ends with a held note and a
breath. A phrase is therefore a run of notes with no rest longer than
``BREATH_S`` between them, all in one language, and it is what the phrase
singer hands to Flite as one utterance so consonants join their neighbours.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from songgate.engine.types import Score, VocalNote

BREATH_S = 0.2  # a rest at least this long starts a new phrase

_NOT_WORD = re.compile(r"[^a-z']+")


@dataclass(frozen=True, slots=True)
class TimedNote:
    """A vocal note in seconds."""

    start: float
    end: float
    pitch: int
    note: VocalNote


@dataclass(frozen=True, slots=True)
class Phrase:
    notes: tuple[TimedNote, ...]
    language: str  # "en" or "zh"

    @property
    def start(self) -> float:
        return self.notes[0].start

    @property
    def end(self) -> float:
        return max(n.end for n in self.notes)


def phrases(score: Score) -> list[Phrase]:
    """The score's vocal notes, in time order, cut into phrases."""
    timed = [
        TimedNote(
            score.seconds_at(n.start),
            score.seconds_at(n.start + n.duration),
            n.pitch,
            n,
        )
        for n in sorted(score.vocal, key=lambda n: (n.start, n.pitch))
    ]
    found: list[Phrase] = []
    run: list[TimedNote] = []
    for note in timed:
        language = _language(note)
        if run and (note.start - run[-1].end > BREATH_S or _language(run[-1]) != language):
            found.append(Phrase(tuple(run), _language(run[-1])))
            run = []
        run.append(note)
    if run:
        found.append(Phrase(tuple(run), _language(run[-1])))
    return found


def _language(note: TimedNote) -> str:
    return "zh" if note.note.syllable.language == "zh" else "en"


def words(notes: Sequence[TimedNote]) -> list[tuple[str, int]]:
    """The phrase's words as Flite should read them, each with how many of the
    phrase's notes (syllables) it spans; a word reduced to nothing keeps its
    notes as part of the word before it (or after it, at the start)."""
    found: list[tuple[str, int]] = []
    text, count = "", 0
    pending = 0  # notes of leading words that had no letters
    for note in notes:
        text += note.note.syllable.text
        count += 1
        if note.note.syllable.word_end:
            cleaned = clean_word(text)
            if cleaned:
                found.append((cleaned, count + pending))
                pending = 0
            elif found:
                found[-1] = (found[-1][0], found[-1][1] + count)
            else:
                pending += count
            text, count = "", 0
    if count:
        cleaned = clean_word(text)
        if cleaned:
            found.append((cleaned, count + pending))
        elif found:
            found[-1] = (found[-1][0], found[-1][1] + count + pending)
        else:
            pending += count
    if pending and found:
        found[0] = (found[0][0], found[0][1] + pending)
    return found


def clean_word(text: str) -> str:
    """Letters and inner apostrophes only: "Café!" -> "cafe"; digits are dropped
    (Flite would read "7" as "seven", two syllables the melody never got)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    return "".join(_NOT_WORD.sub(" ", plain).split()).strip("'")
