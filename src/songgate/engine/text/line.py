"""One line of lyrics → words → syllables, for any mix of scripts.

The line is scanned once, character by character, into runs of one script:
Han characters (one syllable each, pinyin with tone numbers), Latin words
(English, via ``english``; accents folded: "café" → "cafe"), digits
(spoken in English, or in Chinese when the line is mostly Chinese), and a
few other scripts romanised by ``scripts``. Punctuation, emoji and
scripts we cannot sing separate words and are dropped.

Each word keeps its character span in the line so a long line can be cut
at a word boundary without losing what was written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from songgate.engine.text.english import english_word
from songgate.engine.text.scripts import romanised_syllables, script_of
from songgate.engine.types import Syllable

_APOSTROPHES = "'\u2019\u02bc"  # ASCII, right single quotation mark, modifier letter
_FOLD = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th", "ð": "d"}
_EN_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ZH_DIGITS = "零一二三四五六七八九"
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


@dataclass(frozen=True, slots=True)
class Word:
    """A sung word and where it was written in the line."""

    start: int
    end: int
    syllables: tuple[Syllable, ...]


def line_words(text: str) -> list[Word]:
    """Every singable word of a line, in order, each with at least one syllable."""
    runs = _runs(text)
    chinese = _mostly_chinese(runs)
    words: list[Word] = []
    previous = ""
    for kind, start, end in runs:
        ordinal = previous == "digit" and text[start:end].lower() in _ORDINAL_SUFFIXES
        previous = kind
        if ordinal and start > 0 and text[start - 1].isdigit():
            continue  # "1st" sings "one"
        for word in _words_of(kind, text, start, end, chinese=chinese):
            if word.syllables:
                words.append(word)
    return words


def _runs(text: str) -> list[tuple[str, int, int]]:
    """(script, start, end) for each maximal run of one script; separators dropped.
    An apostrophe between Latin letters ("don't") stays inside the word."""
    runs: list[tuple[str, int, int]] = []
    index = 0
    while index < len(text):
        kind = _kind(text, index)
        if kind is None:
            index += 1
            continue
        end = index + 1
        while end < len(text) and _kind(text, end) == kind:
            end += 1
        runs.append((kind, index, end))
        index = end
    return runs


def _kind(text: str, index: int) -> str | None:
    char = text[index]
    if char in _APOSTROPHES:
        inner = 0 < index < len(text) - 1
        if inner and _is_latin(text[index - 1]) and _is_latin(text[index + 1]):
            return "latin"
        # A trailing apostrophe of "lovin'" belongs to the word too.
        trailing = index >= 2 and text[index - 2 : index].lower() == "in"
        return "latin" if trailing and _is_latin(text[index - 1]) else None
    if _is_latin(char):
        return "latin"
    if char.isdigit():
        return "digit"
    return script_of(char)


def _is_latin(char: str) -> bool:
    if not char.isalpha():
        return False
    if "a" <= char.lower() <= "z":
        return True
    name = unicodedata.name(char, "")
    return name.startswith(("LATIN", "FULLWIDTH LATIN"))


def _mostly_chinese(runs: list[tuple[str, int, int]]) -> bool:
    han = sum(end - start for kind, start, end in runs if kind == "han")
    latin = sum(1 for kind, _, _ in runs if kind == "latin")
    return han > latin


def _words_of(kind: str, text: str, start: int, end: int, *, chinese: bool) -> list[Word]:
    chunk = text[start:end]
    if kind == "han":  # read as a run, for context (乐 is le4 in 快乐, yue4 in 音乐)
        syllables = _han_syllables(chunk)
        if len(syllables) == len(chunk):
            return [Word(start + i, start + i + 1, (s,)) for i, s in enumerate(syllables)]
        return [Word(start, end, syllables)]
    if kind == "latin":
        folded = _fold_latin(chunk)
        return [Word(start, end, english_word(folded))] if folded else []
    if kind == "digit":
        return [Word(start, end, syllables) for syllables in _number_words(chunk, chinese)]
    return [Word(start, end, romanised_syllables(kind, chunk))]


def _fold_latin(word: str) -> str:
    """ASCII letters for the dictionary: accents dropped ("café" → "cafe"),
    full-width narrowed, ligatures and ß spelled out; inner apostrophes kept."""
    letters = []
    for char in unicodedata.normalize("NFKD", word):
        if unicodedata.combining(char):
            continue
        if char in _APOSTROPHES:
            letters.append("'")
        elif char.lower() in _FOLD:
            folded = _FOLD[char.lower()]
            letters.append(folded.upper() if char.isupper() else folded)
        elif char.isascii() and char.isalpha():
            letters.append(char)
    folded = "".join(letters)
    return folded if folded.endswith("in'") else folded.strip("'")


def _pinyin(chars: str) -> list[str]:
    """Tone-numbered pinyin; pypinyin's dictionary (a fifth of a second to load) is loaded
    by the first Chinese line, so a song in English starts singing sooner."""
    from pypinyin import Style, lazy_pinyin  # loaded only for Chinese

    return list(lazy_pinyin(chars, style=Style.TONE3, neutral_tone_with_five=True))


def _han_syllables(chars: str) -> tuple[Syllable, ...]:
    """One syllable per character, pinyin with tone numbers (neutral tone 5)."""
    readings = _pinyin(chars)
    if len(readings) != len(chars):  # pypinyin groups unknown characters; go one by one
        readings = [_one_reading(char) for char in chars]
    syllables = []
    for char, reading in zip(chars, readings, strict=True):
        if reading[:-1].isalpha() and reading[:-1].isascii() and reading[-1] in "12345":
            syllables.append(
                Syllable(text=char, sung=reading, language="zh", stressed=reading[-1] != "5")
            )
    return tuple(syllables)


def _one_reading(char: str) -> str:
    readings = _pinyin(char)
    return readings[0] if len(readings) == 1 else ""


def _number_words(digits: str, chinese: bool) -> list[tuple[Syllable, ...]]:
    """Digits spoken: 0-99 as a number, longer runs digit by digit."""
    value = "".join(str(unicodedata.digit(char, 0)) for char in digits)
    if chinese:
        spoken = _zh_number(value)
        return [_han_syllables(spoken)] if spoken else []
    return [english_word(word) for word in _en_number(value).split()]


def _en_number(value: str) -> str:
    if len(value) > 2:
        return " ".join(_EN_ONES[int(digit)] for digit in value)
    number = int(value)
    if number < 20:
        return _EN_ONES[number]
    tens, ones = divmod(number, 10)
    return _EN_TENS[tens] + (f" {_EN_ONES[ones]}" if ones else "")


def _zh_number(value: str) -> str:
    if len(value) > 2:
        return "".join(_ZH_DIGITS[int(digit)] for digit in value)
    number = int(value)
    if number < 10:
        return _ZH_DIGITS[number]
    tens, ones = divmod(number, 10)
    head = "十" if tens == 1 else _ZH_DIGITS[tens] + "十"
    return head + (_ZH_DIGITS[ones] if ones else "")
