"""Section markers: the words and brackets that open a section of lyrics.

"[Verse 2]", "【副歌】", "(Chorus x2)", "Bridge:" and the like name the section
that follows. This is the one vocabulary of them: the engine reads markers
with it (``form.py``) and the lyric writer tidies an outside writer's markers
with it (``songgate.lyrics.normalise``), so a marker the writer keeps is one
the engine reads as the same kind of section.

It lives in the engine, which sings what the markers describe, and imports
nothing outside it; the lyric writer writes for the engine and imports this
module, the one arrow between the two libraries (lyrics → engine, never back).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Marker(StrEnum):
    """What a marker names. A post-chorus is told apart from a chorus: the engine sings
    it as one, the lyric writer adds its lines to the section before it."""

    INTRO = "intro"
    VERSE = "verse"
    PRE_CHORUS = "pre-chorus"
    CHORUS = "chorus"
    POST_CHORUS = "post-chorus"
    BRIDGE = "bridge"
    OUTRO = "outro"
    INSTRUMENTAL = "instrumental"  # played, nothing sung: solos, breaks, 间奏
    END = "end"  # nothing after it is read


# English words match as whole words of the lower-cased label (punctuation read as
# spaces); Chinese ones as substrings.
KEYWORDS: dict[str, Marker] = {
    "intro": Marker.INTRO, "opening": Marker.INTRO,
    "verse": Marker.VERSE, "rap": Marker.VERSE,
    "pre chorus": Marker.PRE_CHORUS, "prechorus": Marker.PRE_CHORUS,
    "pre hook": Marker.PRE_CHORUS, "build up": Marker.PRE_CHORUS,
    "buildup": Marker.PRE_CHORUS, "build": Marker.PRE_CHORUS,
    "chorus": Marker.CHORUS, "hook": Marker.CHORUS, "refrain": Marker.CHORUS,
    "post chorus": Marker.POST_CHORUS, "postchorus": Marker.POST_CHORUS,
    "bridge": Marker.BRIDGE, "middle 8": Marker.BRIDGE,
    "outro": Marker.OUTRO, "ending": Marker.OUTRO, "fade out": Marker.OUTRO,
    "fadeout": Marker.OUTRO, "coda": Marker.OUTRO,
    "instrumental": Marker.INSTRUMENTAL, "interlude": Marker.INSTRUMENTAL,
    "breakdown": Marker.INSTRUMENTAL, "break": Marker.INSTRUMENTAL,
    "solo": Marker.INSTRUMENTAL, "drop": Marker.INSTRUMENTAL,
    "end": Marker.END, "the end": Marker.END,
    "前奏": Marker.INTRO, "引子": Marker.INTRO,
    "主歌": Marker.VERSE, "说唱": Marker.VERSE,
    "导歌": Marker.PRE_CHORUS, "预副歌": Marker.PRE_CHORUS, "副歌前": Marker.PRE_CHORUS,
    "副歌": Marker.CHORUS,
    "桥段": Marker.BRIDGE, "过渡": Marker.BRIDGE,
    "间奏": Marker.INSTRUMENTAL, "独奏": Marker.INSTRUMENTAL,
    "尾奏": Marker.OUTRO, "结尾": Marker.OUTRO, "尾声": Marker.OUTRO,
    "结束": Marker.END,
}  # fmt: skip

# Section words that are everyday words too: alone on a line, they are a lyric.
_EVERYDAY = frozenset({"build", "break", "drop", "end", "the end", "fade out", "fadeout"})
# Longer words first: where two start at the same place ("副歌前", "副歌"), the longer wins.
_LONGEST_FIRST = sorted(KEYWORDS, key=len, reverse=True)
_LATIN = "|".join(re.escape(word) for word in _LONGEST_FIRST if word.isascii())
_HAN = "|".join(re.escape(word) for word in _LONGEST_FIRST if not word.isascii())
_ANY_KEYWORD = re.compile(rf"\b(?:{_LATIN})\b|{_HAN}")
# A strict marker is the section word alone, with at most an ordinal, a number or a
# count around it ("Repeat chorus x2", "Double chorus \u00d72", "主歌二"), so that a lyric
# such as "Break my heart:" is never taken for one.
_NUMBER = r"(?:\d+|[一二三四五六七八九十]+|x\s*\d+|[ivx]+)"
_STRICT = re.compile(
    rf"^(?:(?:final|last|first|second|third|repeat|double)\s+)?(?:{_LATIN}|{_HAN})"
    rf"(?:\s*{_NUMBER})?(?:\s*\u00d7\s*\d+)?$"
)
# Square, full-width square, lenticular and tortoise-shell brackets; ASCII and
# full-width parentheses and colons.
_OPEN = "\\[\uff3b\u3010\u3014"
_CLOSE = "\\]\uff3d\u3011\u3015"
BRACKETED = re.compile(f"^[{_OPEN}]([^{_CLOSE}]*)[{_CLOSE}]$")
INLINE_TAG = re.compile(f"[{_OPEN}][^{_CLOSE}]*[{_CLOSE}]")
PARENTHESISED = re.compile("^[(\uff08](.*)[)\uff09]$")
_LEADING_TAG = re.compile(f"^([{_OPEN}][^{_CLOSE}]*[{_CLOSE}])\\s*(.+)$")
_COLON = re.compile("^(.{1,30}?)\\s*[:\uff1a]$")


@dataclass(frozen=True, slots=True)
class MarkerLine:
    """A line that is a marker: what it names (``None``: a bracketed tag that names no
    section, such as "[Male vocal]") and its label as written."""

    kind: Marker | None
    label: str


def classify(label: str, *, strict: bool) -> Marker | None:
    """The kind named by the first section word in ``label``; with ``strict``, only
    when the label is nothing but that word (and an ordinal or count)."""
    word = _section_word(label, strict=strict)
    return KEYWORDS[word] if word else None


def bare_marker(line: str) -> Marker | None:
    """The kind a line opens that is a section word alone, unbracketed ("Chorus",
    "Verse 2"); never for a word that is an everyday word too ("Build", "The end")."""
    word = _section_word(line, strict=True)
    return KEYWORDS[word] if word and word not in _EVERYDAY else None


def _section_word(label: str, *, strict: bool) -> str | None:
    words = " ".join(re.sub(r"[-_.,/&+]", " ", label.lower()).split())
    if strict and not _STRICT.match(words):
        return None
    match = _ANY_KEYWORD.search(words)
    return match.group() if match else None


def read_marker(line: str) -> MarkerLine | None:
    """The marker a stripped line is: any bracketed label, or a strict section word in
    parentheses or before a colon. None when the line is not a marker."""
    bracketed = BRACKETED.match(line)
    if bracketed:
        label = bracketed.group(1).strip()
        return MarkerLine(classify(label, strict=False), label)
    inner = PARENTHESISED.match(line) or _COLON.match(line)
    if inner:
        kind = classify(inner.group(1), strict=True)
        if kind is not None:
            return MarkerLine(kind, inner.group(1).strip())
    return None


def split_leading_tags(lines: Iterable[str]) -> list[str]:
    """ "[Chorus] la la la" → "[Chorus]", "la la la": a tag never shares a sung line."""
    split: list[str] = []
    for raw in lines:
        match = _LEADING_TAG.match(raw.strip())
        split.extend(match.groups() if match else (raw,))
    return split
