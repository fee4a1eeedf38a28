"""Lyrics → Form: sections (from Suno-style markers), lines, syllables.

Markers (their vocabulary: ``markers.py``) are whole lines in square
brackets ("[Verse 2]", "[副歌]", full-width "【副歌】"), or, stricter, a bare
section word in parentheses or before a colon ("(Chorus)", "Verse 1:"). A
bracketed tag that names no section ("[Male vocal]") is skipped and never
sung; "[Guitar solo]" and "[间奏]" are instrumental sections; "[End]" ends
the song. Lyrics without any marker are read by paragraphs: each is a verse,
and a paragraph that comes back is the chorus.

Each line becomes syllables via ``line`` (English through the CMU
dictionary, Chinese through pypinyin, digits spoken, punctuation and emoji
dropped). A line with nothing singable is dropped; a very long one is cut
at a word boundary. The work is linear in the length of the lyrics.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from songgate.engine.text.line import Word, line_words
from songgate.engine.text.markers import (
    INLINE_TAG,
    Marker,
    MarkerLine,
    read_marker,
    split_leading_tags,
)
from songgate.engine.types import Form, LyricLine, Section, SectionKind, Syllable

MAX_LYRICS_CHARS = 5000  # the API validates this; the cap only bounds the work
MAX_LINE_SYLLABLES = 40

# The section each marker opens; a post-chorus is sung as a chorus. "[End]" opens none:
# it closes the song with an outro.
_SECTION_OF: dict[Marker, SectionKind] = {
    Marker.INTRO: SectionKind.INTRO, Marker.VERSE: SectionKind.VERSE,
    Marker.PRE_CHORUS: SectionKind.PRE_CHORUS, Marker.CHORUS: SectionKind.CHORUS,
    Marker.POST_CHORUS: SectionKind.CHORUS, Marker.BRIDGE: SectionKind.BRIDGE,
    Marker.OUTRO: SectionKind.OUTRO, Marker.INSTRUMENTAL: SectionKind.INSTRUMENTAL,
}  # fmt: skip


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
    raw_lines = split_leading_tags(text.split("\n"))
    markers = [read_marker(line.strip()) for line in raw_lines]
    if any(marker is not None and marker.kind is not None for marker in markers):
        drafts = _marked_sections(raw_lines, markers)
    else:
        drafts = _paragraph_sections(raw_lines, markers)
    sections = tuple(Section(d.kind, d.label, tuple(d.lines)) for d in drafts)
    return Form(sections=sections, language=_language(sections))


def syllables_of(text: str) -> tuple[Syllable, ...]:
    """Every singable syllable of a piece of text, in order."""
    return tuple(syllable for word in line_words(text) for syllable in word.syllables)


# --- sections ------------------------------------------------------------------------------


def _marked_sections(raw_lines: list[str], markers: list[MarkerLine | None]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for raw, marker in zip(raw_lines, markers, strict=True):
        if marker is None:
            lines = _lyric_lines(raw)
            if lines and not drafts:  # text before the first marker is a verse
                drafts.append(_Draft(SectionKind.VERSE, "Verse", []))
            if lines:
                drafts[-1].lines.extend(lines)
            continue
        if marker.kind is None:  # a tag that names no section: skipped, never sung
            continue
        if marker.kind is Marker.END:
            if not drafts or drafts[-1].kind is not SectionKind.OUTRO:
                drafts.append(_Draft(SectionKind.OUTRO, marker.label, []))
            break
        drafts.append(_Draft(_SECTION_OF[marker.kind], marker.label, []))
    return drafts


def _paragraph_sections(
    raw_lines: list[str], markers: list[MarkerLine | None]
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
    tags = [match.span() for match in INLINE_TAG.finditer(text)]
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
