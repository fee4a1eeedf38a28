"""Each sung word with its time, read from the score the singer sang.

The singer reports where each note's sound begins (``Sung.onsets``: its onset
consonants, which end on the note's start), so a word starts where its first note's
sound does and ends with its last note: no recogniser or forced alignment is needed,
the times are the ones the voice was placed at.
Section labels are never notes, so they are never words.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def aligned_words(
    score: Score, onsets: Sequence[float] = (), offset_s: float = 0.0
) -> list[AlignedWord]:
    """The score's sung words in time order. ``onsets`` are the singer's, one per note in
    ``phrases(score)``'s order (without them a word starts on its first note);
    ``offset_s`` moves them all (an extension's words sit after the audio it keeps)."""
    notes = [note for phrase in phrases(score) for note in phrase.notes]
    starts = list(onsets) if len(onsets) == len(notes) else [n.start for n in notes]
    found: list[AlignedWord] = []
    run: list[tuple[TimedNote, float]] = []
    for note, start in zip(notes, starts, strict=True):
        run.append((note, start))
        if note.note.syllable.word_end:
            found.extend(_word(run, offset_s))
            run = []
    found.extend(_word(run, offset_s))
    return found


def _word(run: list[tuple[TimedNote, float]], offset_s: float) -> list[AlignedWord]:
    text = _bare("".join(n.note.syllable.text for n, _ in run))
    if not run or not text:
        return []
    return [AlignedWord(text, round(max(0.0, run[0][1]) + offset_s, 4),
                        round(max(n.end for n, _ in run) + offset_s, 4))]
