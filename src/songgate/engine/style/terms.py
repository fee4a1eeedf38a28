"""Finding the vocabulary of ``words`` in free-text tags.

English terms are matched greedily, longest phrase first, over word tokens
(so "lofi hip hop" is one term, not "lofi" + "hip hop"; a plural falls back
to its singular). Chinese terms are found as substrings, longest first, and
a found term hides the shorter terms inside it ("快乐" is not also "快").
Each term keeps its offset for tie-breaks and for spotting negations
("no drums", "不要鼓").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from songgate.engine.style.words import (
    DRUM_WORDS,
    GENRE_WORDS,
    GROOVE_WORDS,
    INSTRUMENT_WORDS,
    MOOD_WORDS,
)

_VOCABULARY = frozenset(GENRE_WORDS) | set(MOOD_WORDS) | set(INSTRUMENT_WORDS)
_VOCABULARY = _VOCABULARY | set(GROOVE_WORDS) | DRUM_WORDS
_LONGEST_ENGLISH = max(len(term.split()) for term in _VOCABULARY if term.isascii())
_CJK_TERMS = tuple(sorted((t for t in _VOCABULARY if not t.isascii()), key=lambda t: -len(t)))
_TOKEN = re.compile(r"[0-9a-z&]+")
_NEGATION = re.compile(r"(?:\bno|\bwithout|\bw/o|\bnon|不要|没有|无|不用|去掉|别)[\s\-]*$")


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary term found in the text, and where (for tie-breaks)."""

    text: str
    start: int


def _lower_same_length(text: str) -> str:
    """Lower-case without changing any offset (a few letters grow when lowered)."""
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def find_terms(text: str) -> list[Term]:
    """Every vocabulary term in the text, in order: Chinese by substring (longest
    first, so a long word hides the short words inside it), English by
    greedy longest n-gram over word tokens."""
    lowered = _lower_same_length(text)
    found = _find_cjk(lowered)
    found.extend(_find_english(lowered))
    return sorted(found, key=lambda term: term.start)


def _find_cjk(text: str) -> list[Term]:
    taken = [False] * len(text)
    found: list[Term] = []
    for term in _CJK_TERMS:
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(term)
                found.append(Term(term, start))
            start = text.find(term, end)
    return found


def _find_english(text: str) -> list[Term]:
    tokens = [(match.group(), match.start()) for match in _TOKEN.finditer(text)]
    found: list[Term] = []
    index = 0
    while index < len(tokens):
        width = _match_width(tokens, index)
        if width:
            phrase = " ".join(word for word, _ in tokens[index : index + width])
            found.append(Term(_known_form(phrase), tokens[index][1]))
            index += width
        else:
            index += 1
    return found


def _match_width(tokens: list[tuple[str, int]], index: int) -> int:
    """How many tokens from ``index`` form the longest known phrase (0: none)."""
    for width in range(min(_LONGEST_ENGLISH, len(tokens) - index), 0, -1):
        phrase = " ".join(word for word, _ in tokens[index : index + width])
        if _known_form(phrase) in _VOCABULARY:
            return width
    return 0


def _known_form(phrase: str) -> str:
    """The phrase itself if known, else its singular ("ballads" → "ballad")."""
    if phrase in _VOCABULARY or not phrase.endswith("s") or len(phrase) < 4:
        return phrase
    return phrase[:-1]


def split_negated(terms: list[Term], text: str) -> tuple[list[Term], list[Term]]:
    """Separate terms preceded by "no" / "without" / "不要" … from the rest."""
    lowered = _lower_same_length(text)
    positive: list[Term] = []
    negated: list[Term] = []
    for term in terms:
        before = lowered[max(0, term.start - 12) : term.start]
        (negated if _NEGATION.search(before) else positive).append(term)
    return positive, negated
