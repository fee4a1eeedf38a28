"""What an existing song fixes of a new one: tempo, meter, key, a chord per bar, a tune.

A cover, an extension of an upload, a replaced section, added vocals or an added
band all compose *on* audio the engine did not write. Listening (``engine/listen``)
finds that audio's beat grid, key, chords and melody in seconds; a :class:`Guide`
holds the same facts in the composer's units (beats from the first bar line), plain
and frozen so a render job can carry it. The composer follows what a guide gives and
chooses the rest as usual: a guide without chords keeps the style's progressions, a
guide without a melody lets the melody writer compose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from songgate.engine.types import Mode, Style

if TYPE_CHECKING:  # listening loads numpy; a guide travels in light render jobs
    from songgate.engine.listen.types import Analysis

MIN_TEMPO, MAX_TEMPO = 40.0, 240.0


@dataclass(frozen=True, slots=True)
class GuideChord:
    root: int  # pitch class, 0 = C
    minor: bool

    @property
    def tones(self) -> tuple[int, ...]:
        """Root, third and fifth as pitch classes."""
        third = 3 if self.minor else 4
        return (self.root % 12, (self.root + third) % 12, (self.root + 7) % 12)


@dataclass(frozen=True, slots=True)
class GuideNote:
    start: float  # beats from the first bar line
    beats: float
    pitch: int  # MIDI


@dataclass(frozen=True, slots=True)
class GuideSection:
    label: str  # "A", "B", ...: sections with the same letter repeat each other
    start_bar: int
    bars: int


@dataclass(frozen=True, slots=True)
class GuideWord:
    """A word the guiding song sings, and when: ties a lyric to the tune it was sung to."""

    word: str  # lower case, bare of punctuation
    start: float  # beats from the first bar line
    end: float


@dataclass(frozen=True, slots=True)
class Guide:
    tempo: float  # beats per minute
    meter: int  # beats per bar
    tonic: int  # pitch class
    mode: Mode
    chords: tuple[GuideChord, ...] = ()  # one per bar from bar 0; the composer loops them
    melody: tuple[GuideNote, ...] = ()
    sections: tuple[GuideSection, ...] = ()
    first_bar_s: float = 0.0  # where bar 0 starts in the guiding audio, seconds
    words: tuple[GuideWord, ...] = ()  # the sung words in order, where they are known

    def bar_seconds(self) -> float:
        return self.meter * 60.0 / self.tempo

    def beat_at(self, seconds: float) -> float:
        """Beats from bar 0 at ``seconds`` into the guiding audio."""
        return (seconds - self.first_bar_s) * self.tempo / 60.0

    def chord_for_bar(self, bar: int) -> GuideChord | None:
        if not self.chords:
            return None
        return self.chords[bar % len(self.chords)]


def guided_style(style: Style, guide: Guide | None) -> Style:
    """``style`` in the guide's tempo, meter and key (its instruments, drums and feel kept)."""
    if guide is None:
        return style
    tempo = min(MAX_TEMPO, max(MIN_TEMPO, guide.tempo))
    return replace(style, tempo=round(tempo, 3), meter=max(2, min(7, guide.meter)),
                   tonic=guide.tonic % 12, mode=guide.mode)


def guide_from_analysis(analysis: Analysis) -> Guide:
    """The composer's view of what listening found: times become beats from the first
    bar line at or after 0 s (a pickup before it is dropped)."""
    grid = analysis.grid
    downbeats = [t for t in grid.downbeats if t >= -1e-6] or [0.0]
    first = downbeats[0]
    tempo = min(MAX_TEMPO, max(MIN_TEMPO, grid.tempo))
    guide = Guide(tempo=tempo, meter=grid.meter, tonic=analysis.key.tonic,
                  mode=analysis.key.mode, first_bar_s=first)
    chords = tuple(GuideChord(c.root, c.minor) for c in analysis.chords if c.end > first + 1e-6)
    melody = tuple(
        GuideNote(round(guide.beat_at(n.onset), 4),
                  round(max(0.0625, (n.offset - n.onset) * tempo / 60.0), 4), n.pitch)
        for n in analysis.melody if n.onset >= first - 1e-6
    )
    bar = guide.bar_seconds()
    sections = tuple(
        GuideSection(s.label, max(0, round((s.start - first) / bar)), max(1, s.bars))
        for s in analysis.sections if s.end > first
    )
    return replace(guide, chords=chords, melody=melody, sections=sections)
