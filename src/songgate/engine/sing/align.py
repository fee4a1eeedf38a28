"""Match the melody's syllables to the syllables Flite actually spoke.

Flite syllabifies by its own lexicon, the lyric parser by spelling, so the
counts per word can differ ("evening": 2 or 3). Word by word, the melody's
``k`` notes share Flite's ``m`` syllables: one each when they agree, several
Flite syllables merged into one note when ``k < m``, and one Flite syllable's
vowel split across notes (a melisma) when ``k > m``. If even the word counts
disagree, the whole phrase is matched as one word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from songgate.engine.sing.flite import Phone, Spoken


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where a note's sound lies in the spoken phrase, in seconds: its onset
    consonants run from ``start`` to ``vowel_start``, its coda from ``vowel_end``
    to ``end``."""

    start: float
    vowel_start: float
    vowel_end: float
    end: float


def spans(spoken: Spoken, notes_per_word: Sequence[int]) -> list[SourceSpan]:
    """One SourceSpan per note, for words each spanning ``notes_per_word[i]`` notes."""
    syllables = _syllables(spoken.phones)
    total = sum(notes_per_word)
    if not syllables:
        length = spoken.samples.size / spoken.rate
        whole = SourceSpan(0.0, 0.0, length, length)
        return [_piece(whole, i, total) for i in range(total)]
    per_word = spoken.syllables_per_word
    if (
        len(per_word) == len(notes_per_word)
        and all(m > 0 for m in per_word)
        and sum(per_word) == len(syllables)
    ):
        found: list[SourceSpan] = []
        first = 0
        for k, m in zip(notes_per_word, per_word, strict=True):
            found.extend(_share(syllables[first : first + m], k))
            first += m
        return found
    return _share(syllables, total)


def _syllables(phones: Sequence[Phone]) -> list[SourceSpan]:
    groups: dict[int, list[Phone]] = {}
    for phone in phones:
        groups.setdefault(phone.syllable, []).append(phone)
    found = []
    for index in sorted(groups):
        group = groups[index]
        vowels = [p for p in group if p.vowel] or group
        found.append(SourceSpan(group[0].start, vowels[0].start, vowels[-1].end, group[-1].end))
    return found


def _share(syllables: Sequence[SourceSpan], notes: int) -> list[SourceSpan]:
    """``notes`` spans covering ``syllables`` in order."""
    m = len(syllables)
    if notes <= 0:
        return []
    if m == 0:
        return [SourceSpan(0.0, 0.0, 0.0, 0.0)] * notes
    if notes <= m:  # merge neighbours: note i takes syllables [i*m/notes, (i+1)*m/notes)
        found = []
        for i in range(notes):
            a, b = i * m // notes, (i + 1) * m // notes
            first, last = syllables[a], syllables[b - 1]
            found.append(SourceSpan(first.start, first.vowel_start, last.vowel_end, last.end))
        return found
    found = []  # more notes than syllables: syllable j's vowel is split over its notes
    for j, syllable in enumerate(syllables):
        count = (j + 1) * notes // m - j * notes // m
        found.extend(_piece(syllable, i, count) for i in range(count))
    return found


def _piece(span: SourceSpan, i: int, count: int) -> SourceSpan:
    """The ``i``-th of ``count`` notes sharing one syllable: the first keeps the
    onset, the last the coda, and the vowel is cut evenly between them."""
    length = span.vowel_end - span.vowel_start
    a = span.vowel_start + length * i / count
    b = span.vowel_start + length * (i + 1) / count
    return SourceSpan(span.start if i == 0 else a, a, b, span.end if i == count - 1 else b)
