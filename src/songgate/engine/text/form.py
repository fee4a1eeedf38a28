"""Lyrics → Form: sections (from Suno-style markers), lines, syllables.

Markers are whole lines in square brackets ("[Verse 2]", "[副歌]", full-width
"【副歌】"), or, stricter, a bare section word in parentheses or before a
colon ("(Chorus)", "Verse 1:"). A bracketed tag that names no section
("[Male vocal]") is skipped and never sung; "[Guitar solo]" is an
instrumental section; "[End]" ends the song. Lyrics without any marker are
read by paragraphs: each is a verse, and a paragraph that comes back is
the chorus.

Each line becomes syllables via ``line`` (English through the CMU
dictionary, Chinese through pypinyin, digits spoken, punctuation and emoji
dropped). A line with nothing singable is dropped; a very long one is cut
at a word boundary. The work is linear in the length of the lyrics.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from songgate.engine.text.line import Word, line_words
from songgate.engine.types import Form, LyricLine, Section, SectionKind, Syllable

MAX_LYRICS_CHARS = 5000  # the API validates this; the cap only bounds the work
MAX_LINE_SYLLABLES = 40

_END = "end"  # a marker kind of its own: an outro, and nothing after it is read
_KEYWORDS: tuple[tuple[str, str], ...] = (
    # English, matched as whole words in the normalised marker text.
    ("pre chorus", SectionKind.PRE_CHORUS), ("prechorus", SectionKind.PRE_CHORUS),
    ("pre hook", SectionKind.PRE_CHORUS), ("build up", SectionKind.PRE_CHORUS),
    ("buildup", SectionKind.PRE_CHORUS), ("build", SectionKind.PRE_CHORUS),
    ("post chorus", SectionKind.CHORUS), ("chorus", SectionKind.CHORUS),
    ("hook", SectionKind.CHORUS), ("refrain", SectionKind.CHORUS),
    ("verse", SectionKind.VERSE), ("rap", SectionKind.VERSE),
    ("bridge", SectionKind.BRIDGE), ("intro", SectionKind.INTRO),
    ("opening", SectionKind.INTRO), ("outro", SectionKind.OUTRO),
    ("ending", SectionKind.OUTRO), ("fade out", SectionKind.OUTRO),
    ("fadeout", SectionKind.OUTRO), ("coda", SectionKind.OUTRO),
    ("instrumental", SectionKind.INSTRUMENTAL), ("interlude", SectionKind.INSTRUMENTAL),
    ("breakdown", SectionKind.INSTRUMENTAL), ("break", SectionKind.INSTRUMENTAL),
    ("solo", SectionKind.INSTRUMENTAL), ("drop", SectionKind.INSTRUMENTAL),
    ("end", _END), ("the end", _END),
    # Chinese, matched as substrings.
    ("前奏", SectionKind.INTRO), ("引子", SectionKind.INTRO),
    ("主歌", SectionKind.VERSE), ("说唱", SectionKind.VERSE),
    ("导歌", SectionKind.PRE_CHORUS), ("预副歌", SectionKind.PRE_CHORUS),
    ("副歌前", SectionKind.PRE_CHORUS), ("副歌", SectionKind.CHORUS),
    ("桥段", SectionKind.BRIDGE), ("过渡", SectionKind.BRIDGE),
    ("间奏", SectionKind.INSTRUMENTAL), ("独奏", SectionKind.INSTRUMENTAL),
    ("尾奏", SectionKind.OUTRO), ("结尾", SectionKind.OUTRO), ("尾声", SectionKind.OUTRO),
    ("结束", _END),
)  # fmt: skip
_BY_WORD = dict(_KEYWORDS)
_ENGLISH = "|".join(re.escape(word) for word, _ in _KEYWORDS if word.isascii())
_CHINESE = "|".join(re.escape(word) for word, _ in _KEYWORDS if not word.isascii())
_SEARCH = re.compile(rf"\b(?:{_ENGLISH})\b|{_CHINESE}")
# A strict marker: the section word with at most an ordinal or a count around it.
_NUMBER = r"(?:\d+|[一二三四五六七八九十]+|x\s*\d+|[ivx]+)"
_STRICT = re.compile(
    rf"^(?:(?:final|last|first|second|third|repeat)\s+)?(?:{_ENGLISH}|{_CHINESE})"
    rf"\s*{_NUMBER}?$"
)
# Square, full-width square, lenticular and tortoise-shell brackets; ASCII and
# full-width parentheses and colons.
_OPEN = "\\[\uff3b\u3010\u3014"
_CLOSE = "\\]\uff3d\u3011\u3015"
_BRACKETED = re.compile(f"^[{_OPEN}]([^{_CLOSE}]*)[{_CLOSE}]$")
_LEADING_TAG = re.compile(f"^([{_OPEN}][^{_CLOSE}]*[{_CLOSE}])\\s*(.+)$")
_INLINE_TAG = re.compile(f"[{_OPEN}][^{_CLOSE}]*[{_CLOSE}]")
_PARENTHESISED = re.compile("^[(\uff08](.*)[)\uff09]$")
_COLON = re.compile("^(.{1,24}?)\\s*[:\uff1a]$")


@dataclass(slots=True)
class _Draft:
    """A section being filled, line by line."""

    kind: SectionKind
    label: str
    lines: list[LyricLine]


def parse_form(lyrics: str) -> Form:
    """Sections with their lines and syllables. Empty lyrics → no sections;
    markers without lyrics → sections without lines, in the markers' order."""
    text = lyrics[:MAX_LYRICS_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = _separate_leading_tags(text.split("\n"))
    markers = [_marker(line.strip()) for line in raw_lines]
    if any(marker is not None and marker[0] != "ignore" for marker in markers):
        drafts = _marked_sections(raw_lines, markers)
    else:
        drafts = _paragraph_sections(raw_lines, markers)
    sections = tuple(Section(d.kind, d.label, tuple(d.lines)) for d in drafts)
    return Form(sections=sections, language=_language(sections))


def syllables_of(text: str) -> tuple[Syllable, ...]:
    """Every singable syllable of a piece of text, in order."""
    return tuple(syllable for word in line_words(text) for syllable in word.syllables)


# --- markers -------------------------------------------------------------------------------


def _separate_leading_tags(raw_lines: list[str]) -> list[str]:
    """ "[Chorus] la la la" → "[Chorus]", "la la la": a tag never shares a sung line."""
    lines: list[str] = []
    for raw in raw_lines:
        match = _LEADING_TAG.match(raw.strip())
        lines.extend(match.groups() if match else (raw,))
    return lines


def _marker(line: str) -> tuple[str, str] | None:
    """(kind, label) if the line is a marker; kind "ignore" for a tag to skip."""
    if not line:
        return None
    bracketed = _BRACKETED.match(line)
    if bracketed:
        label = bracketed.group(1).strip()
        return (_classify(label) or "ignore", label)
    for pattern in (_PARENTHESISED, _COLON):
        match = pattern.match(line)
        if match and _STRICT.match(_normalise(match.group(1))):
            label = match.group(1).strip()
            kind = _classify(label)
            if kind is not None:
                return kind, label
    return None


def _normalise(label: str) -> str:
    return " ".join(re.sub(r"[-_.,/&+]", " ", label.lower()).split())


def _classify(label: str) -> str | None:
    """The kind named by the first section word in the label, if any."""
    match = _SEARCH.search(_normalise(label))
    return str(_BY_WORD[match.group()]) if match else None


# --- sections ------------------------------------------------------------------------------


def _marked_sections(raw_lines: list[str], markers: list[tuple[str, str] | None]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for raw, marker in zip(raw_lines, markers, strict=True):
        if marker is None:
            lines = _lyric_lines(raw)
            if lines and not drafts:  # text before the first marker is a verse
                drafts.append(_Draft(SectionKind.VERSE, "Verse", []))
            if lines:
                drafts[-1].lines.extend(lines)
            continue
        kind, label = marker
        if kind == "ignore":
            continue
        if kind == _END:
            if not drafts or drafts[-1].kind is not SectionKind.OUTRO:
                drafts.append(_Draft(SectionKind.OUTRO, label, []))
            break
        drafts.append(_Draft(SectionKind(kind), label, []))
    return drafts


def _paragraph_sections(
    raw_lines: list[str], markers: list[tuple[str, str] | None]
) -> list[_Draft]:
    """No markers: blank-line paragraphs are verses; a repeated one is the chorus."""
    paragraphs: list[list[LyricLine]] = [[]]
    for raw, marker in zip(raw_lines, markers, strict=True):
        if not raw.strip():
            paragraphs.append([])
        elif marker is None:
            paragraphs[-1].extend(_lyric_lines(raw))
    paragraphs = [lines for lines in paragraphs if lines]
    keys = [_paragraph_key(lines) for lines in paragraphs]
    counts = Counter(keys)
    drafts: list[_Draft] = []
    verse = 0
    for lines, key in zip(paragraphs, keys, strict=True):
        if counts[key] > 1:
            drafts.append(_Draft(SectionKind.CHORUS, "Chorus", lines))
        else:
            verse += 1
            drafts.append(_Draft(SectionKind.VERSE, f"Verse {verse}", lines))
    return drafts


def _paragraph_key(lines: list[LyricLine]) -> tuple[str, ...]:
    """What makes two paragraphs "the same": their sung syllables, not punctuation or case."""
    return tuple(syllable.sung for line in lines for syllable in line.syllables)


# --- lines ---------------------------------------------------------------------------------


def _lyric_lines(raw: str) -> list[LyricLine]:
    """The line as one LyricLine, or several if it is too long; none if unsingable.
    Bracketed tags inside the line ("[laughs]") are not sung."""
    text = raw.strip()
    tags = [match.span() for match in _INLINE_TAG.finditer(text)]
    words = [w for w in line_words(text) if not any(a <= w.start < b for a, b in tags)]
    if not words:
        return []
    return _split_long(text, words)


def _split_long(text: str, words: list[Word]) -> list[LyricLine]:
    count = sum(len(word.syllables) for word in words)
    if count <= MAX_LINE_SYLLABLES or len(words) < 2:
        syllables = tuple(s for word in words for s in word.syllables)
        return [LyricLine(text=text, syllables=syllables)]
    cut = _middle_word(words, count)
    at = words[cut].start
    head, tail = text[:at].rstrip(), text[at:].strip()
    shifted = [Word(w.start - at, w.end - at, w.syllables) for w in words[cut:]]
    return [*_split_long(head, words[:cut]), *_split_long(tail, shifted)]


def _middle_word(words: list[Word], count: int) -> int:
    """Index of the word that starts the second half (by syllables)."""
    running = 0
    for index, word in enumerate(words):
        if index and running >= count / 2:
            return index
        running += len(word.syllables)
    return len(words) - 1


def _language(sections: tuple[Section, ...]) -> str:
    counts = Counter(
        syllable.language
        for section in sections
        for line in section.lines
        for syllable in line.syllables
    )
    return "zh" if counts["zh"] > counts["en"] else "en"
