"""The values passed between engine stages. Frozen, plain, and free of I/O.

Times inside a Score are in beats from the start of the song (a beat is a
quarter note); ``Score.seconds_at`` converts. Pitches are MIDI numbers
(60 = middle C). Audio is float32 numpy arrays at ``SAMPLE_RATE``: stereo
as shape (n, 2), mono as shape (n,).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SAMPLE_RATE = 44_100
DRUM_CHANNEL = 9


class Mode(StrEnum):
    MAJOR = "major"
    MINOR = "minor"


@dataclass(frozen=True, slots=True)
class Instrumentation:
    """General MIDI programs (0-127) for each role in the arrangement."""

    lead: int  # answers the voice; carries the melody in instrumentals
    comp: int  # chords: piano, guitar, organ ...
    bass: int
    pad: int | None = None  # sustained harmony: strings, synth pad ...
    extras: tuple[int, ...] = ()  # colour: brass stabs, bells, erhu ...
    drums: bool = True
    drum_kit: int = 0  # GM2 kit as a program on the drum channel: 0 standard, 25 TR-808, 40 brush


@dataclass(frozen=True, slots=True)
class Style:
    genre: str  # preset name, one of style.GENRES
    tags: str  # the tags as the client gave them
    tempo: float  # beats per minute
    tonic: int  # pitch class 0-11, 0 = C
    mode: Mode
    instruments: Instrumentation
    drum_pattern: str  # a pattern name compose knows, e.g. "backbeat", "four_on_floor"
    progressions: tuple[tuple[str, ...], ...]  # roman numerals per bar, e.g. ("I", "V", "vi", "IV")
    swing: float = 0.0  # 0 straight; up to 1/3: how late off-beat eighths fall (fraction of a beat)
    energy: float = 0.5  # 0 calm .. 1 driving: velocities, density
    meter: int = 4  # beats per bar
    moods: tuple[str, ...] = ()  # mood words found in the tags, e.g. ("sad",)

    def describe(self) -> str:
        key = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"][self.tonic]
        return (
            f"{self.genre} at {self.tempo:g} bpm in {key} {self.mode.value}, "
            f"{self.drum_pattern} drums{', swung' if self.swing else ''}"
        )


class SectionKind(StrEnum):
    INTRO = "intro"
    VERSE = "verse"
    PRE_CHORUS = "pre-chorus"
    CHORUS = "chorus"
    BRIDGE = "bridge"
    OUTRO = "outro"
    INSTRUMENTAL = "instrumental"


@dataclass(frozen=True, slots=True)
class Syllable:
    text: str  # as written, for display: "hap", "快"
    sung: str  # what the voice pronounces: "hap" / "kuai4" (pinyin with tone number)
    language: str  # "en" or "zh"
    stressed: bool = False
    word_end: bool = True


@dataclass(frozen=True, slots=True)
class LyricLine:
    text: str
    syllables: tuple[Syllable, ...]


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    label: str  # as written, e.g. "Verse 2", "副歌"
    lines: tuple[LyricLine, ...] = ()


@dataclass(frozen=True, slots=True)
class Form:
    sections: tuple[Section, ...]
    language: str = "en"  # the language most syllables are in

    @property
    def has_lyrics(self) -> bool:
        return any(section.lines for section in self.sections)


@dataclass(frozen=True, slots=True)
class Note:
    start: float  # beats
    duration: float  # beats
    pitch: int
    velocity: int  # 1-127


@dataclass(frozen=True, slots=True)
class Track:
    name: str
    program: int  # GM program; for the drum channel, the kit
    channel: int  # 0-15; DRUM_CHANNEL for drums
    notes: tuple[Note, ...]
    volume: int = 100  # CC7
    pan: int = 64  # CC10


@dataclass(frozen=True, slots=True)
class VocalNote:
    start: float  # beats
    duration: float  # beats
    pitch: int
    syllable: Syllable


@dataclass(frozen=True, slots=True)
class SectionSpan:
    kind: SectionKind
    label: str
    start_bar: int
    bars: int


@dataclass(frozen=True, slots=True)
class Score:
    tempo: float
    meter: int
    tonic: int
    mode: Mode
    total_beats: float
    tracks: tuple[Track, ...]
    vocal: tuple[VocalNote, ...] = ()
    sections: tuple[SectionSpan, ...] = field(default=())

    @property
    def seconds(self) -> float:
        return self.seconds_at(self.total_beats)

    def seconds_at(self, beats: float) -> float:
        return beats * 60.0 / self.tempo
