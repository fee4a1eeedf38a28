"""What listening finds: frozen, plain values (times in seconds, pitches as MIDI numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from songgate.engine.types import Mode

PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass(frozen=True, slots=True)
class BeatGrid:
    tempo: float  # beats per minute
    beats: tuple[float, ...]  # beat times, seconds
    meter: int  # beats per bar
    downbeats: tuple[float, ...]  # bar starts, seconds (the first bar may start before 0)

    def bar_at(self, seconds: float) -> int:
        """Index into ``downbeats`` of the bar sounding at ``seconds`` (-1 before the first)."""
        index = -1
        for index_, start in enumerate(self.downbeats):
            if start > seconds:
                break
            index = index_
        return index


@dataclass(frozen=True, slots=True)
class Key:
    tonic: int  # pitch class, 0 = C
    mode: Mode
    confidence: float  # margin of the best key's score over the runner-up, 0..1

    @property
    def name(self) -> str:
        return f"{PITCH_NAMES[self.tonic]} {self.mode.value}"


@dataclass(frozen=True, slots=True)
class BarChord:
    start: float  # seconds
    end: float
    root: int  # pitch class
    minor: bool

    @property
    def name(self) -> str:
        return PITCH_NAMES[self.root] + ("m" if self.minor else "")


@dataclass(frozen=True, slots=True)
class MelodyNote:
    onset: float  # seconds
    offset: float
    pitch: int  # MIDI


@dataclass(frozen=True, slots=True)
class SongSection:
    start: float  # seconds
    end: float
    start_bar: int
    bars: int
    label: str  # "A", "B", ...: sections with the same letter repeat each other


@dataclass(frozen=True, slots=True)
class Loudness:
    integrated_lufs: float  # ITU-R BS.1770 over the whole song
    peak_dbfs: float  # largest sample
    short_term_lufs: tuple[float, ...]  # 3 s windows every second


@dataclass(frozen=True, slots=True)
class Analysis:
    seconds: float
    grid: BeatGrid
    key: Key
    chords: tuple[BarChord, ...]  # one per bar of the grid
    melody: tuple[MelodyNote, ...]
    sections: tuple[SongSection, ...]
    loudness: Loudness

    def chord_at(self, seconds: float) -> BarChord | None:
        for chord in self.chords:
            if chord.start <= seconds < chord.end:
                return chord
        return None
