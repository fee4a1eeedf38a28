"""English words → syllables: how many (CMU dict), what is shown, what is sung.

The count and the stress come from the first CMU pronunciation (vowel
phones; digits 1/2 are stressed). The written word is cut into that many
display chunks by spelling rules ("happy" → "hap", "py"). What is *sung*:

* a one-syllable word is sung as the word itself, lower-cased: espeak-ng
  knows real words better than any respelling ("the", "fire", "don't");
* each syllable of a longer word gets a respelling from its phones
  (``respell``), because written chunks read alone mislead espeak-ng
  ("py" → "pie", "ti" → "tie"); "beautiful" sings "bue", "tuh", "ful";
* words missing from the dictionary fall back to vowel-letter groups, and
  each written chunk is sung as written (the best guess without phones).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import pronouncing  # type: ignore[import-untyped]

from songgate.engine.text.respell import respell, syllabify
from songgate.engine.types import Syllable

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_HUM = re.compile(r"^[hmnsz]*[mnz]{2,}$|^s*h+$|^sh+$|^h+m+$")
# Two-letter onsets a written chunk may start with ("ta|ble", "mo|ther").
_ONSET_PAIRS = frozenset(
    [
        "bl",
        "br",
        "cl",
        "cr",
        "dr",
        "fl",
        "fr",
        "gl",
        "gr",
        "pl",
        "pr",
        "tr",
        "sc",
        "sk",
        "sl",
        "sm",
        "sn",
        "sp",
        "st",
        "sw",
        "tw",
        "wh",
        "wr",
        "qu",
        "ch",
        "sh",
        "th",
        "ph",
    ]
)
# Vowel pairs that are often two syllables ("cre|ate", "li|on", "qui|et").
_HIATUS = ("ea", "eo", "ia", "io", "iu", "ua", "uo", "ue", "ie", "oe", "ui", "eu", "ao")


def english_word(word: str) -> tuple[Syllable, ...]:
    """Syllables of one English word (letters and inner apostrophes)."""
    return _english_word(word)


@lru_cache(maxsize=8192)
def _english_word(word: str) -> tuple[Syllable, ...]:
    phones = _phones(word.lower())
    syllables = syllabify(phones) if phones else []
    if not syllables:
        return _guess(word)
    as_written = len(syllables) == 1 and len(word) > 1 and _VOWEL_GROUP.search(word.lower())
    sung = [word.lower()] if as_written else respell(syllables)
    chunks = split_written(word, len(syllables))
    if len(chunks) != len(syllables):  # "w" has three syllables and one letter
        chunks = sung
    last = len(chunks) - 1
    return tuple(
        Syllable(
            text=chunk,
            sung=spoken,
            language="en",
            stressed=syllable.stress > 0,
            word_end=index == last,
        )
        for index, (chunk, spoken, syllable) in enumerate(zip(chunks, sung, syllables, strict=True))
    )


def _phones(word: str) -> list[str]:
    """The first CMU pronunciation, trying the spellings songs use ("lovin'")."""
    candidates = [word]
    if "'" in word:
        if word.endswith("in'"):
            candidates.append(word[:-1] + "g")
        candidates.append(word.replace("'", ""))
    for candidate in candidates:
        found: list[str] = pronouncing.phones_for_word(candidate)
        if found:
            return found[0].split()
    return []


def _guess(word: str) -> tuple[Syllable, ...]:
    """Syllables of a word the dictionary lacks, from its vowel letters. A word
    with no vowel letter is dropped ("st" of "1st") unless it is a hum ("mmm", "shh")."""
    groups = _vowel_groups(word.lower(), drop_silent_e=True)
    if not groups and not _HUM.match(word.lower()):
        return ()
    count = max(1, len(groups))
    chunks = split_written(word, count)
    last = len(chunks) - 1
    return tuple(
        Syllable(
            text=chunk,
            sung=chunk.lower(),
            language="en",
            stressed=index == 0,
            word_end=index == last,
        )
        for index, chunk in enumerate(chunks)
    )


def _vowel_groups(lower: str, *, drop_silent_e: bool) -> list[tuple[int, int]]:
    """Spans of vowel letters; a leading "y" before a vowel is a consonant."""
    groups = [(m.start(), m.end()) for m in _VOWEL_GROUP.finditer(lower)]
    if groups and groups[0][0] == 0 and lower[:1] == "y" and groups[0][1] > 1:
        groups[0] = (1, groups[0][1])
    if drop_silent_e and len(groups) > 1 and _silent_final_e(lower, groups[-1]):
        groups.pop()
    return groups


def _silent_final_e(lower: str, group: tuple[int, int]) -> bool:
    """A final "e", "es" or "ed" after a consonant is usually silent ("love", "loved"),
    except in "-le" ("little")."""
    start, end = group
    tail = lower[start:]
    if lower[start:end] != "e" or tail not in ("e", "es", "ed"):
        return False
    return not (tail == "e" and lower[start - 2 : start] in ("bl", "cl", "dl", "gl", "pl", "tl"))


def split_written(word: str, count: int) -> list[str]:
    """Cut a written word into ``count`` chunks around its vowel letters."""
    if count <= 1 or len(word) < 2:
        return [word]
    lower = word.lower()
    groups = _fit_groups(lower, _vowel_groups(lower, drop_silent_e=False), count)
    if len(groups) < count:
        return _even_split(word, count)
    cuts = [_boundary(lower, left, right) for left, right in itertools.pairwise(groups)]
    edges = [0, *cuts, len(word)]
    return [word[a:b] for a, b in itertools.pairwise(edges) if b > a] or [word]


def _fit_groups(lower: str, groups: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """Merge or split vowel groups until there are ``count`` of them (if possible)."""
    groups = list(groups)
    if len(groups) > count and _silent_final_e(lower, groups[-1]):
        groups.pop()
    while len(groups) > count:
        gaps = [b[0] - a[1] for a, b in itertools.pairwise(groups)]
        index = gaps.index(min(gaps))
        groups[index : index + 2] = [(groups[index][0], groups[index + 1][1])]
    while len(groups) < count:
        split = _split_hiatus(lower, groups)
        if split is None:
            break
        groups = split
    return groups


def _split_hiatus(lower: str, groups: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """Split one multi-letter vowel group in two, preferring known hiatus pairs."""
    best: tuple[int, int] | None = None  # (group index, cut position)
    for index, (start, end) in enumerate(groups):
        for cut in range(start + 1, end):
            if lower[cut - 1 : cut + 1] in _HIATUS:
                best = (index, cut)
        if best is None and end - start >= 2:
            best = (index, start + 1)
    if best is None:
        return None
    index, cut = best
    start, end = groups[index]
    return [*groups[:index], (start, cut), (cut, end), *groups[index + 1 :]]


def _boundary(lower: str, left: tuple[int, int], right: tuple[int, int]) -> int:
    """Where the chunk for ``left``'s vowel ends and ``right``'s begins."""
    start, end = left[1], right[0]
    cluster = lower[start:end]
    if len(cluster) <= 1:  # ha|ven, ta|xi
        return end if cluster in ("", "x") else start
    if cluster[0] == cluster[1]:
        return start + 1  # hap|py
    if cluster[:2] in ("ck", "ng"):
        return start + 2  # pock|et, sing|er
    if cluster[-2:] in _ONSET_PAIRS and len(cluster) >= 2:
        return end - 2  # ta|ble, mo|ther, mon|ster
    return start + 1  # win|dow


def _even_split(word: str, count: int) -> list[str]:
    """Last resort for words like "rhythm": roughly equal pieces."""
    count = min(count, len(word))
    size = len(word) / count
    edges = [round(i * size) for i in range(count + 1)]
    return [word[a:b] for a, b in itertools.pairwise(edges)]
