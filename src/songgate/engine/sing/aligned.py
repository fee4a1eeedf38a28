"""Each sung word with its time, read from the score the singer sang.

The singer places each syllable so that its onset consonants end, and its vowel
begins, exactly on its note's start (``sing/timing.py``): that is the vocal onset a
listener (or an onset detector) hears on the beat. A word therefore starts on its first
note and ends with its last: no recogniser or forced alignment is needed, the times are
the ones the voice was placed at. (Measured in benchmarks/stems_timing.py: the note
starts lie closer to the vocal stem's onsets than the starts of the onset consonants.)
Section labels are never notes, so they are never words.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.sing.phrases import TimedNote, phrases
from songgate.engine.types import Score


def _bare(text: str) -> str:
    """The word without the punctuation and spaces around it (any script's)."""
    keep = [c.isalnum() or c == "'" for c in text]
    if not any(keep):
        return ""
    first, last = keep.index(True), len(keep) - keep[::-1].index(True)
    return text[first:last]


@dataclass(frozen=True, slots=True)
class AlignedWord:
    word: str
    start_s: float
    end_s: float


def aligned_words(score: Score, offset_s: float = 0.0) -> list[AlignedWord]:
    """The score's sung words in time order; ``offset_s`` moves them all (an extension's
    words sit after the audio it keeps)."""
    found: list[AlignedWord] = []
    run: list[TimedNote] = []
    for note in (note for phrase in phrases(score) for note in phrase.notes):
        run.append(note)
        if note.note.syllable.word_end:
            found.extend(_word(run, offset_s))
            run = []
    found.extend(_word(run, offset_s))
    return found


def _word(run: list[TimedNote], offset_s: float) -> list[AlignedWord]:
    text = _bare("".join(n.note.syllable.text for n in run))
    if not run or not text:
        return []
    return [AlignedWord(text, round(run[0].start + offset_s, 4),
                        round(max(n.end for n in run) + offset_s, 4))]
