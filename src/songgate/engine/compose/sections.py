"""Which sections a song has and how many bars each takes, before any trimming.

Sung sections take one phrase (2 or 4 bars, see ``phrasing``) per lyric line.
Sections without lines are instrumental: an unsung chorus after a sung one
replays it without voice, intros and outros are short, and a song without
lyrics gets a conventional pop form so instrumentals still have a shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.compose.phrasing import bars_for_line
from songgate.engine.types import Form, LyricLine, Section, SectionKind, Style

DEFAULT_FORM = (
    (SectionKind.INTRO, "Intro"),
    (SectionKind.VERSE, "Verse 1"),
    (SectionKind.CHORUS, "Chorus"),
    (SectionKind.VERSE, "Verse 2"),
    (SectionKind.CHORUS, "Chorus"),
    (SectionKind.BRIDGE, "Bridge"),
    (SectionKind.CHORUS, "Chorus"),
    (SectionKind.OUTRO, "Outro"),
)
INSTRUMENTAL_SECONDS = 120.0  # a song without lyrics is trimmed to this (or max_seconds)


@dataclass(frozen=True, slots=True)
class Draft:
    """A section before layout: its sung lines with their phrase lengths, or just bars."""

    kind: SectionKind
    label: str
    bars: int
    lines: tuple[LyricLine, ...] = ()
    line_bars: tuple[int, ...] = ()
    added: bool = False  # not in the lyrics: a repeat or a solo the arrangement adds
    lift: bool = False  # the final chorus, played with a lift (see ``lift``)

    @property
    def sung(self) -> bool:
        return bool(self.lines)

    def without_last_line(self) -> Draft:
        return Draft(
            self.kind,
            self.label,
            self.bars - self.line_bars[-1],
            self.lines[:-1],
            self.line_bars[:-1],
            self.added,
            self.lift,
        )

    def with_bars(self, bars: int) -> Draft:
        return Draft(self.kind, self.label, bars, added=self.added, lift=self.lift)

    def repeated(self, label: str, *, lift: bool = False) -> Draft:
        """This section again, as an added repeat (sung again when it is sung)."""
        return Draft(self.kind, label, self.bars, self.lines, self.line_bars, True, lift)


def bar_seconds(style: Style) -> float:
    return style.meter * 60.0 / style.tempo


def edge_bars(style: Style) -> int:
    """Intro and outro length: four short bars or two long ones."""
    return 4 if bar_seconds(style) <= 2.5 else 2


def body_bars(style: Style) -> int:
    """An instrumental verse/chorus/bridge: eight bars, or four when bars are long."""
    return 8 if bar_seconds(style) <= 3.2 else 4


def sung_draft(section: Section, style: Style) -> Draft:
    line_bars = tuple(
        bars_for_line(len(line.syllables), style.meter, style.tempo, style.swing)
        for line in section.lines
    )
    return Draft(section.kind, section.label, sum(line_bars), section.lines, line_bars)


def unsung_bars(kind: SectionKind, style: Style) -> int:
    if kind in (SectionKind.INTRO, SectionKind.OUTRO):
        return edge_bars(style)
    if kind is SectionKind.PRE_CHORUS:
        return 4
    return body_bars(style)


def drafts_for(form: Form, style: Style) -> list[Draft]:
    """The sections to play, in order, each with its natural length."""
    sections = form.sections
    if not sections:
        sections = tuple(Section(kind, label) for kind, label in DEFAULT_FORM)
    drafts: list[Draft] = []
    sung_by_kind: dict[SectionKind, Draft] = {}
    for section in sections:
        if section.lines and any(line.syllables for line in section.lines):
            lines = tuple(line for line in section.lines if line.syllables)
            draft = sung_draft(Section(section.kind, section.label, lines), style)
            sung_by_kind.setdefault(section.kind, draft)
        elif section.kind in sung_by_kind:  # "[Chorus]" again with no lines: play it, unsung
            draft = Draft(section.kind, section.label, sung_by_kind[section.kind].bars)
        else:
            draft = Draft(section.kind, section.label, unsung_bars(section.kind, style))
        drafts.append(draft)
    if any(draft.sung for draft in drafts):
        if drafts[0].kind is not SectionKind.INTRO and drafts[0].sung:
            drafts.insert(0, Draft(SectionKind.INTRO, "Intro", edge_bars(style)))
        if drafts[-1].kind is not SectionKind.OUTRO and drafts[-1].sung:
            drafts.append(Draft(SectionKind.OUTRO, "Outro", edge_bars(style)))
    return drafts
