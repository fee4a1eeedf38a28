"""Check and tidy lyrics written by a chat model, before anything sings them.

A chat-completions endpoint is asked for ``{"title": ..., "lyrics": ...}``,
but models wrap JSON in code fences, add chatter around it, answer in plain
text, number their verses, invent "[Pre-Chorus]" and "**Hook:**", write
Chinese markers or stage directions, and sometimes answer something that is
no song at all. Everything here is a pure function of the answer text, so the
rules are testable without a server and the same answer always gives the
same song:

* The answer: the first JSON object with a ``lyrics`` string (fences and
  text around it allowed), else the whole text as plain lyrics.
* Markers are read with the engine's own vocabulary
  (:mod:`songgate.engine.text.markers`), so the engine sings what is kept as
  the same kind of section, and become the labels of
  :data:`songgate.lyrics.types.SONG_FORM`:
  "Verse" for the first verse and "Verse N" for the N-th by order of
  appearance (the model's own numbers are ignored), "Chorus" (also Hook and
  Refrain), "Bridge" and "Outro". Pre-choruses and post-choruses join the
  section before them; intros and instrumental parts are not sung, so their
  lines are dropped; "[End]" ends the song. A chorus without lines repeats
  the first one sung (before any was sung, it is a stray marker and goes).
* Lines: markdown, stage directions in parentheses, tags that name no
  section, lines without a letter and lines over 80 characters are dropped,
  as is anything before the first marker (a preamble such as "Here is your
  song:"). At most 60 lines and 3000 characters are kept.
* A song needs a verse and a chorus of at least two lines each, and must not
  read like an assistant talking about itself or quote its instructions;
  otherwise :class:`RejectedLyrics` says why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from songgate.engine.text.markers import (
    BRACKETED,
    PARENTHESISED,
    Marker,
    bare_marker,
    read_marker,
    split_leading_tags,
)

MAX_LINE_CHARS = 80
MAX_LINES = 60
MAX_TEXT_CHARS = 3000
MAX_TITLE_CHARS = 80
CHORUS_TITLE_CHARS = 40  # a title taken from the chorus: a short phrase, not the whole line
MIN_SECTION_LINES = 2
_MAX_JSON_ATTEMPTS = 16  # "{" positions tried; bounds the work on a long, JSON-less answer

# Section kinds; the canonical label is derived from the kind.
_VERSE, _CHORUS, _BRIDGE, _OUTRO = "verse", "chorus", "bridge", "outro"
_JOIN = "join"  # pre-/post-chorus: its lines continue the section before it
_SKIP = "skip"  # intro, instrumental break: nothing sung, lines dropped
_END = "end"  # nothing after it is read

# What each marker opens here: only sung sections are kept.
_KIND_OF: dict[Marker, str] = {
    Marker.INTRO: _SKIP, Marker.VERSE: _VERSE, Marker.PRE_CHORUS: _JOIN,
    Marker.CHORUS: _CHORUS, Marker.POST_CHORUS: _JOIN, Marker.BRIDGE: _BRIDGE,
    Marker.OUTRO: _OUTRO, Marker.INSTRUMENTAL: _SKIP, Marker.END: _END,
}  # fmt: skip
# A bare marker line ("Verse 1", "Chorus") is read only for sung sections: a lyric line
# that is just "Intro" or "Solo" must not silence the lines after it (and one that is an
# everyday word, "The end" or "Break", is never a bare marker at all).
_BARE_KINDS = frozenset({_VERSE, _CHORUS, _BRIDGE, _OUTRO, _JOIN})
_HEADING = re.compile(r"^#{1,6}\s*")
_EMPHASIS = re.compile(r"\*\*|__|\*|`")
_MARKDOWN_LINE = re.compile(
    r"^(?:#|```|~~~|>|\||[-*+]\s|\d+[.)]\s|[-*_=]{3,}\s*$|!\[|\[[^\]]*\]\([^)]*\))"
)
_TITLE_LINE = re.compile("^(?:title|song title|歌名|标题)\\s*[:\uff1a]\\s*(.+)$", re.IGNORECASE)
_FENCE = re.compile(r"```[A-Za-z]*\s*\n?(.*?)```", re.DOTALL)
_THINKING_END = re.compile(r"</think(?:ing)?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# An assistant talking about itself, not a song: a refusal, a leaked prompt.
# Phrases chosen not to hit real lyrics ("I can't help falling in love", "我无法忘记").
_CHATTER = re.compile(
    r"\b(?:as an ai|an ai (?:language )?model|language model|system prompt|my instructions"
    r"|i (?:cannot|can't|can\u2019t) (?:assist|comply|fulfil)|i'm sorry, but i|openai)"
    r"|系统提示|作为一?个?(?:人工智能|AI)",
    re.IGNORECASE,
)
_TITLE_DROP = str.maketrans("", "", "\"“”„«»「」『』《》*_`#")
_TITLE_STRIP = " \t'\u2018\u2019.,;:-\u2013\u2014"


class RejectedLyrics(ValueError):
    """The answer is not a usable song; the message says why (and never quotes it)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What a chat model answered: a title if it gave one, and the lyrics text."""

    title: str | None
    lyrics: str


@dataclass(frozen=True, slots=True)
class Song:
    """A checked song: a clean title and ``[Label]`` sections separated by blank lines."""

    title: str
    text: str


@dataclass(slots=True)
class _Section:
    kind: str
    lines: list[str] = field(default_factory=list)


# --- the answer ----------------------------------------------------------------------------


def parse_answer(content: str) -> Answer:
    """The JSON object the model was asked for, found wherever it is; else plain text."""
    text = _without_thinking(content).strip()
    for candidate in (*(m.group(1) for m in _FENCE.finditer(text)), text):
        found = _find_object(candidate)
        if found is not None:
            return found
    return Answer(title=None, lyrics=text)  # fence lines are markdown, dropped as lines


def _without_thinking(content: str) -> str:
    """A reasoning model's "<think>...</think>" preamble removed: it may hold drafts.
    Everything up to the last closing tag goes (a linear scan, whatever the answer)."""
    if not content.lstrip()[:10].lower().startswith("<think"):
        return content
    end = max((match.end() for match in _THINKING_END.finditer(content)), default=-1)
    return content[end:] if end >= 0 else ""


def _find_object(text: str) -> Answer | None:
    """The first JSON object in ``text`` that carries lyrics, trying a bounded number of
    "{" positions (the answer may have prose, or other braces, before it)."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    for _ in range(_MAX_JSON_ATTEMPTS):
        if start < 0:
            return None
        try:
            value, _end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):  # not JSON here, or nested absurdly deep
            value = None
        answer = _answer_from(value)
        if answer is not None:
            return answer
        start = text.find("{", start + 1)
    return None


def _answer_from(value: object) -> Answer | None:
    if not isinstance(value, dict):
        return None
    fields = {str(key).lower(): item for key, item in value.items()}
    lyrics = fields.get("lyrics", fields.get("text"))
    if isinstance(lyrics, list) and all(isinstance(line, str) for line in lyrics):
        lyrics = "\n".join(lyrics)
    if not isinstance(lyrics, str):
        return None
    if "\n" not in lyrics and "\\n" in lyrics:  # escaped twice by the model
        lyrics = lyrics.replace("\\n", "\n")
    title = fields.get("title")
    return Answer(title=title if isinstance(title, str) else None, lyrics=lyrics)


# --- markers and lines ---------------------------------------------------------------------


def section_kind(line: str) -> str | None:
    """The kind of section a marker line opens ("verse", "chorus", "bridge", "outro",
    "join", "skip", "end"), "tag" for a bracketed tag naming no section, else None."""
    text = _EMPHASIS.sub("", _HEADING.sub("", line.strip())).strip()
    if not text:
        return None
    marker = read_marker(text)
    if marker is not None:
        return _KIND_OF[marker.kind] if marker.kind else "tag"
    bare = bare_marker(text)  # never a line in parentheses or before a colon
    kind = _KIND_OF[bare] if bare else None
    return kind if kind in _BARE_KINDS else None


def canonical_label(line: str) -> str | None:
    """The canonical label for a marker line, if it opens a sung section. A verse is
    "Verse" here; numbering by order of appearance happens over the whole song."""
    kind = section_kind(line)
    return {_VERSE: "Verse", _CHORUS: "Chorus", _BRIDGE: "Bridge", _OUTRO: "Outro"}.get(
        kind or ""
    )


def clean_line(line: str) -> str | None:
    """The lyric line as it should be sung, or None when it is not one."""
    text = _SPACES.sub(" ", line).strip()
    if not text or _MARKDOWN_LINE.match(text):
        return None
    text = _EMPHASIS.sub("", text).strip()
    if PARENTHESISED.match(text) or BRACKETED.match(text):  # "(softly)", "[guitar]"
        return None
    if len(text) > MAX_LINE_CHARS or not _LETTER.search(text):
        return None
    return text


# --- the song ------------------------------------------------------------------------------


def normalise_lyrics(lyrics: str) -> str:
    """Canonical ``[Label]`` sections; :class:`RejectedLyrics` if no song is left."""
    return _render(_checked(_sections(lyrics)))


def normalise_answer(content: str, *, forbidden: Iterable[str] = ()) -> Song:
    """The whole check: answer text → a song with a title. ``forbidden`` are fragments
    that must not appear (the instructions the model was given, so a model that
    repeats them is rejected rather than sung)."""
    answer = parse_answer(content)
    texts = (_flat(content), _flat(answer.lyrics), _flat(answer.title or ""))
    for fragment in filter(None, map(_flat, forbidden)):
        if any(fragment in text for text in texts):
            raise RejectedLyrics("the answer repeats the instructions")
    sections = _checked(_sections(answer.lyrics))
    title = clean_title(answer.title or _title_line(answer.lyrics) or "")
    if _CHATTER.search(title):
        raise RejectedLyrics("the title reads like an assistant, not a song")
    if not title:
        chorus = next(s for s in sections if s.kind == _CHORUS)
        title = clean_title(_shorten(chorus.lines[0], CHORUS_TITLE_CHARS))
    return Song(title=title or "Untitled", text=_render(sections))


def clean_title(raw: str) -> str:
    """One line, no quotes or markdown, at most 80 characters."""
    text = _SPACES.sub(" ", raw.translate(_TITLE_DROP)).strip()
    match = _TITLE_LINE.match(text)
    text = (match.group(1) if match else text).strip(_TITLE_STRIP)
    return _shorten(text, MAX_TITLE_CHARS)


def _title_line(lyrics: str) -> str | None:
    """A "Title: ..." line or a markdown heading before the first marker (plain answers)."""
    for line in lyrics.splitlines():
        if section_kind(line) not in (None, "tag"):
            return None
        titled = _TITLE_LINE.match(_EMPHASIS.sub("", line.strip()))
        if titled:
            return titled.group(1)
        if _HEADING.match(line.strip()):
            return _HEADING.sub("", line.strip())
    return None


def _shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a space when the text has spaces."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-\u2013\u2014")


def _sections(lyrics: str) -> list[_Section]:
    """Marker by marker; lines before the first marker and in skipped parts are dropped."""
    sections: list[_Section] = []
    current: _Section | None = None
    for raw in split_leading_tags(lyrics.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        kind = section_kind(raw)
        if kind == _END:
            break
        if kind == "tag":
            continue
        if kind == _JOIN:
            if current is None or current.kind == _SKIP:  # nothing sung yet to continue
                current = _Section(_VERSE)
                sections.append(current)
            continue
        if kind is not None:
            current = _Section(kind)
            sections.append(current)
            continue
        line = clean_line(raw)
        if line is not None and current is not None and current.kind != _SKIP:
            current.lines.append(line)
    return sections


def _checked(sections: list[_Section]) -> list[_Section]:
    """Repeat the chorus where it is only named, cap the size, require verse and chorus."""
    sung = [s for s in sections if s.kind != _SKIP]
    if any(_CHATTER.search(line) for s in sung for line in s.lines):
        raise RejectedLyrics("the lyrics read like an assistant, not a song")
    first_chorus: list[str] = []
    for section in sung:  # an empty chorus before any was sung is a stray marker: dropped
        if section.kind == _CHORUS and not section.lines:
            section.lines = list(first_chorus)
        elif section.kind == _CHORUS and not first_chorus:
            first_chorus = section.lines
    capped = _capped([s for s in sung if s.lines])
    verse = next((s for s in capped if s.kind == _VERSE), None)
    chorus = next((s for s in capped if s.kind == _CHORUS), None)
    if verse is None or len(verse.lines) < MIN_SECTION_LINES:
        raise RejectedLyrics(f"no verse with {MIN_SECTION_LINES} or more lines")
    if chorus is None or len(chorus.lines) < MIN_SECTION_LINES:
        raise RejectedLyrics(f"no chorus with {MIN_SECTION_LINES} or more lines")
    return capped


def _capped(sections: Sequence[_Section]) -> list[_Section]:
    """Sections in order until 60 lines or 3000 characters; the last may be cut short."""
    kept: list[_Section] = []
    lines = chars = 0
    for section in sections:
        label = len(_labels([*kept, section])[-1]) + 2  # "[Label]" and its newline
        chars += label + (2 if kept else 0)  # the blank line between sections
        taken = _Section(section.kind)
        for line in section.lines:
            if lines + 1 > MAX_LINES or chars + len(line) + 1 > MAX_TEXT_CHARS:
                break
            taken.lines.append(line)
            lines += 1
            chars += len(line) + 1
        if not taken.lines:
            break
        kept.append(taken)
        if len(taken.lines) < len(section.lines):
            break
    return kept


def _labels(sections: Sequence[_Section]) -> list[str]:
    """Canonical labels; verses numbered by order of appearance."""
    labels: list[str] = []
    verses = 0
    for section in sections:
        if section.kind == _VERSE:
            verses += 1
            labels.append("Verse" if verses == 1 else f"Verse {verses}")
        else:
            labels.append(section.kind.capitalize())
    return labels


def _render(sections: Sequence[_Section]) -> str:
    return "\n\n".join(
        "\n".join((f"[{label}]", *section.lines))
        for label, section in zip(_labels(sections), sections, strict=True)
    )


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()
