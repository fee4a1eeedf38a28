"""The lines a video shows, read from a clip's timed words.

A sung line is a run of words without a breath between them (the singer joins the
syllables of a line and rests between lines, ``sing/phrases.py``), so the timed words
alone give the lines: a clip made before the lines were kept shows them the same way.
Each line is on screen from a moment before its first word until a moment after its
last one, never over the next line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

BREATH_S = 0.2  # a gap at least this long between two words starts a new line
MAX_WORDS = 14  # a longer run without a breath is shown in parts
LEAD_S = 0.3  # a line appears this long before its first word
HOLD_S = 1.5  # and stays this long after its last word (unless the next line comes)

TimedWord = tuple[str, float, float]  # (word, start_s, end_s)


@dataclass(frozen=True, slots=True)
class ShownLine:
    text: str
    start_s: float  # on screen from here
    end_s: float  # until here (exclusive)


def timed_words(aligned: Iterable[Mapping[str, Any]]) -> list[TimedWord]:
    """The ``(word, start_s, end_s)`` of a timing document's ``aligned_words``; an entry
    that is not a word with two times is left out."""
    found: list[TimedWord] = []
    for entry in aligned:
        word, start, end = entry.get("word"), entry.get("start_s"), entry.get("end_s")
        if (isinstance(word, str) and word.strip() and isinstance(start, int | float)
                and isinstance(end, int | float) and end >= start >= 0):
            found.append((word.strip(), float(start), float(end)))
    return sorted(found, key=lambda w: w[1])


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def join_words(words: Sequence[str]) -> str:
    """Words as written: a space between two words unless both meet at a wide (CJK)
    character."""
    text = ""
    for word in words:
        if text and not (_wide(text[-1]) and _wide(word[0])):
            text += " "
        text += word
    return text


def _runs(words: Sequence[TimedWord]) -> list[list[TimedWord]]:
    runs: list[list[TimedWord]] = []
    for word in words:
        if runs and word[1] - runs[-1][-1][2] < BREATH_S and len(runs[-1]) < MAX_WORDS:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def shown_lines(words: Sequence[TimedWord], duration: float) -> list[ShownLine]:
    """The lines of ``words`` with the span each is on screen, within ``duration``."""
    runs = _runs(words)
    lines: list[ShownLine] = []
    for index, run in enumerate(runs):
        start = max(0.0, run[0][1] - LEAD_S)
        if lines:
            start = max(start, lines[-1].end_s)
        end = min(duration, max(w[2] for w in run) + HOLD_S)
        if index + 1 < len(runs):
            end = min(end, max(start, runs[index + 1][0][1] - LEAD_S))
        if end > start:
            lines.append(ShownLine(join_words([w[0] for w in run]), round(start, 3),
                                   round(end, 3)))
    return lines
