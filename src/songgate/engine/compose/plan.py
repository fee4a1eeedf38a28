"""The song laid out in time: sections on bars, phrases on beats, a chord per bar.

Everything the arrangers need to agree on is decided here once: where each
section starts, which progression it uses (verse one, chorus another,
bridge a third), where every phrase lies and whether the voice sings it or
the lead plays it. Unsung sections borrow the lines of the section they
echo (an intro plays the chorus's first lines), so the lead replays the
tune the voice sings; a song without any lyrics gets made-up phrase shapes.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from songgate.engine.compose.arrange import arrange
from songgate.engine.compose.harmony import Changes, Chord, ChordSpan, parse_numeral, tonic_chord
from songgate.engine.compose.phrasing import bars_for_line
from songgate.engine.compose.sections import Draft
from songgate.engine.guide import Guide
from songgate.engine.types import Form, LyricLine, Mode, SectionKind, Style, Syllable

PITCH_CLASS_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_BORROWING = (SectionKind.INTRO, SectionKind.OUTRO, SectionKind.INSTRUMENTAL)
_ECHO_ORDER = (SectionKind.CHORUS, SectionKind.VERSE, SectionKind.PRE_CHORUS, SectionKind.BRIDGE)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One line of melody: sung by the voice, or played by the lead when ``sung`` is False."""

    start: float  # beats from the song start
    beats: float
    syllables: tuple[Syllable, ...]
    role: str  # melodic role: "verse", "chorus", ... (shared by sections that echo each other)
    index: int  # position within its section
    sung: bool
    last: bool  # the section's final phrase: ends on the tonic


@dataclass(frozen=True, slots=True)
class SectionPlan:
    kind: SectionKind
    label: str
    start_bar: int
    bars: int
    progression: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    sung: bool
    added: bool = False  # a repeat or solo the arrangement added to the lyrics
    lift: bool = False  # the lifted final chorus


@dataclass(frozen=True, slots=True)
class SongPlan:
    tempo: float
    meter: int
    sections: tuple[SectionPlan, ...]
    bars: int  # the sections' bars; the tail comes after
    tail: float  # beats of ring-out after the last bar
    changes: Changes

    @property
    def body_beats(self) -> float:
        return float(self.bars * self.meter)

    @property
    def total_beats(self) -> float:
        return self.body_beats + self.tail

    def section_start(self, section: SectionPlan) -> float:
        return float(section.start_bar * self.meter)

    def section_end(self, section: SectionPlan) -> float:
        return float((section.start_bar + section.bars) * self.meter)


def role_of(kind: SectionKind) -> str:
    return kind.value


def progression_for(kind: SectionKind, style: Style, ordinal: int = 0) -> tuple[str, ...]:
    """Verse gets the first progression, chorus the second, bridge the third.

    A fourth progression, when the style has one, is an alternative verse:
    every second verse (``ordinal`` counts verses from 0) uses it.
    """
    minor = style.mode is Mode.MINOR
    given = tuple(p for p in style.progressions if p)
    if not given:
        given = (("i", "VI", "III", "VII"),) if minor else (("I", "V", "vi", "IV"),)
    verse = given[0]
    chorus = given[1] if len(given) > 1 else verse
    if kind is SectionKind.VERSE:
        return given[3] if len(given) > 3 and ordinal % 2 == 1 else verse
    if kind is SectionKind.BRIDGE:
        if len(given) > 2:
            return given[2]
        return ("iv", "VI", "III", "VII") if minor else ("vi", "IV", "ii", "V")
    if kind is SectionKind.PRE_CHORUS:
        return ("VI", "VII") if minor else ("IV", "V")
    return chorus


def cadence_for(style: Style, bars: int, body: tuple[str, ...] = ()) -> tuple[str, ...]:
    """An outro's chords, one per bar, closing on the dominant so the tail's tonic resolves it.

    Up to four bars take the end of a subdominant-to-dominant turn; longer
    outros play ``body`` (the chorus chords) and end on that turn's last two.
    """
    minor = style.mode is Mode.MINOR
    sevenths = any("7" in symbol for p in style.progressions for symbol in p)
    if minor:
        turn = ("VI", "iv7", "VI", "V7") if sevenths else ("VI", "iv", "VI", "V")
    else:
        turn = ("IVmaj7", "iii7", "ii7", "V7") if sevenths else ("IV", "I", "IV", "V")
    if bars <= len(turn):
        return turn[len(turn) - bars :]
    played = [(body or turn)[bar % len(body or turn)] for bar in range(bars - 2)]
    return (*played, *turn[-2:])


def plan_song(
    style: Style, form: Form, *, seed: int, max_seconds: float, guide: Guide | None = None
) -> SongPlan:
    kept, tail = arrange(form, style, max_seconds)
    sources = _sources(kept)
    sections: list[SectionPlan] = []
    bar = 0
    verses = 0
    for draft in kept:
        sections.append(_section(draft, bar, style, sources, seed, verses))
        verses += draft.kind is SectionKind.VERSE
        bar += draft.bars
    return SongPlan(
        tempo=style.tempo,
        meter=style.meter,
        sections=tuple(sections),
        bars=bar,
        tail=tail,
        changes=_changes(sections, bar, tail, style, guide),
    )


def _sources(drafts: Sequence[Draft]) -> dict[SectionKind, Draft]:
    found: dict[SectionKind, Draft] = {}
    for draft in drafts:
        if draft.sung:
            found.setdefault(draft.kind, draft)
    return found


def _echoed(draft: Draft, sources: dict[SectionKind, Draft]) -> Draft | None:
    """The sung section an unsung one replays: its own kind, or for intros the chorus."""
    if draft.kind in sources:
        return sources[draft.kind]
    if draft.kind in _BORROWING:
        for kind in _ECHO_ORDER:
            if kind in sources:
                return sources[kind]
        return next(iter(sources.values()), None)
    return None


def _section(
    draft: Draft,
    start_bar: int,
    style: Style,
    sources: dict[SectionKind, Draft],
    seed: int,
    verses: int,
) -> SectionPlan:
    meter = style.meter
    start = float(start_bar * meter)
    if draft.sung:
        lines, line_bars, role = draft.lines, draft.line_bars, role_of(draft.kind)
        progression = progression_for(draft.kind, style, verses)
    else:
        source = _echoed(draft, sources)
        melodic_kind = source.kind if source else _made_up_role(draft.kind)
        role = role_of(melodic_kind)
        progression = progression_for(melodic_kind, style)
        lines, line_bars = _fitting(source, draft.bars) if source else ((), ())
        if not lines:  # nothing to echo, or its lines are longer than this section
            lines, line_bars = _made_up_lines(role, draft.bars, style, seed)
    if draft.kind is SectionKind.OUTRO:
        progression = cadence_for(style, draft.bars, progression)
    phrases: list[Phrase] = []
    offset = start
    for index, (line, bars) in enumerate(zip(lines, line_bars, strict=True)):
        phrases.append(
            Phrase(
                start=offset,
                beats=float(bars * meter),
                syllables=line.syllables,
                role=role,
                index=index,
                sung=draft.sung,
                last=index == len(lines) - 1,
            )
        )
        offset += bars * meter
    return SectionPlan(
        kind=draft.kind,
        label=draft.label,
        start_bar=start_bar,
        bars=draft.bars,
        progression=progression,
        phrases=tuple(phrases),
        sung=draft.sung,
        added=draft.added,
        lift=draft.lift,
    )


def _made_up_role(kind: SectionKind) -> SectionKind:
    return SectionKind.CHORUS if kind in _BORROWING else kind


def _fitting(source: Draft, bars: int) -> tuple[tuple[LyricLine, ...], tuple[int, ...]]:
    """The source's lines, in order, as many as fit ``bars`` (repeating if there is room)."""
    lines: list[LyricLine] = []
    line_bars: list[int] = []
    used = 0
    index = 0
    while source.lines and index < 64:
        length = source.line_bars[index % len(source.lines)]
        if used + length > bars:
            break
        lines.append(source.lines[index % len(source.lines)])
        line_bars.append(length)
        used += length
        index += 1
    return tuple(lines), tuple(line_bars)


_SHAPES = ((7, 6, 7, 5), (6, 6, 8, 4), (5, 7, 5, 6), (8, 6, 8, 5), (4, 6, 4, 7))


def _made_up_lines(
    role: str, bars: int, style: Style, seed: int
) -> tuple[tuple[LyricLine, ...], tuple[int, ...]]:
    """Phrase shapes for a song without words: syllable counts per role, seeded.

    Counts are drawn per role (not per section), so repeated choruses of an
    instrumental get the same shapes and therefore the same tune.
    """
    shape = random.Random(f"{seed}:shape:{role}").choice(_SHAPES)
    lines: list[LyricLine] = []
    line_bars: list[int] = []
    used = 0
    index = 0
    while True:
        count = shape[index % len(shape)]
        length = bars_for_line(count, style.meter, style.tempo, style.swing)
        if used + length > bars:
            break
        syllables = tuple(
            Syllable(text="", sung="", language="en", stressed=k % 2 == 0) for k in range(count)
        )
        lines.append(LyricLine("", syllables))
        line_bars.append(length)
        used += length
        index += 1
    return tuple(lines), tuple(line_bars)


def _changes(
    sections: Sequence[SectionPlan], bars: int, tail: float, style: Style, guide: Guide | None
) -> Changes:
    meter = style.meter
    cache: dict[str, Chord] = {}

    def chord(symbol: str) -> Chord:
        if symbol not in cache:
            cache[symbol] = parse_numeral(symbol, style.tonic, style.mode)
        return cache[symbol]

    spans: list[ChordSpan] = []
    for section in sections:
        for bar in range(section.bars):
            at = section.start_bar + bar
            given = guide.chord_for_bar(at) if guide is not None else None
            if given is not None:  # the guiding song's chord on this bar
                name = PITCH_CLASS_NAMES[given.root % 12] + ("m" if given.minor else "")
                spans.append(ChordSpan(float(at * meter), meter,
                                       Chord(name, given.root % 12, given.tones)))
                continue
            symbol = section.progression[bar % len(section.progression)]
            spans.append(ChordSpan(float(at * meter), meter, chord(symbol)))
    home = tonic_chord(style.tonic, style.mode)
    spans.append(ChordSpan(float(bars * meter), max(tail, float(meter)), home))
    return Changes(spans)
