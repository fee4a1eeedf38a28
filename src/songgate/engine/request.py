"""What the engine is asked to make: plain values, importable without the engine's weight.

The worker builds a :class:`SongRequest` in its own process and the render child
runs it; keeping the request apart from the pipeline lets the worker describe a
song without loading numpy and the synthesis stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from songgate.engine.guide import Guide


@dataclass(frozen=True, slots=True)
class Continuation:
    source_wav: Path  # the original song's mastered audio
    continue_at: float  # seconds into the original
    source_timing: Path | None = None  # the original's timing document (JSON), if it has one
    heard: bool = False  # not the engine's: its grid, key, style and level are listened for


@dataclass(frozen=True, slots=True)
class AddedPart:
    """A part added to existing audio (engine/add_parts.py): the voice or the band."""

    source_wav: Path  # the uploaded audio the part goes with, at the engine's rate
    part: str  # "vocals": sing over it; "instrumental": play a band under it


@dataclass(frozen=True, slots=True)
class Infill:
    """A span of a song to recompose (engine/infill.py); the rest of it is kept."""

    source_wav: Path  # the whole song
    start_s: float  # the span, seconds (snapped to the nearest bar lines)
    end_s: float
    heard: bool = False  # not the engine's: its grid, key, style and level are listened for


@dataclass(frozen=True, slots=True)
class CoverSource:
    """The song a cover remakes: its audio, and what is known of it beside the audio."""

    source_wav: Path  # the song's audio (mastered mix or an upload)
    melody_wav: Path | None = None  # its vocal stem, where the tune is heard best
    words_json: Path | None = None  # its sung words with their times (aligned_words)


@dataclass(frozen=True, slots=True)
class SongRequest:
    lyrics: str
    tags: str
    negative_tags: str = ""
    title: str = ""
    instrumental: bool = False
    max_seconds: float = 240.0
    seed: int = 0
    subtitle: str = ""  # a second line on the cover, e.g. the genre
    style_seed: int | None = None  # the seed the style is drawn with; default: seed
    continuation: Continuation | None = None  # extend this song instead of starting anew
    vocal_gender: str = ""  # "f" or "m" chooses the singer; "": by the seed
    style_weight: float | None = None  # see engine/style/knobs.py; None is 0.5
    weirdness: float | None = None
    guide: Guide | None = None  # tempo, key, chords, tune fixed by existing audio (guide.py)
    added_part: AddedPart | None = None  # a voice or a band for this audio, not a new song
    infill: Infill | None = None  # recompose a span of this song, keeping the rest
    cover: CoverSource | None = None  # remake this song in the request's style (cover.py)
    # A folder the task's clips share: what listening hears of the source is kept there once
    # (engine/source.py), so the other clip's render reads it instead of listening again.
    listened_in: Path | None = None

    @property
    def singer(self) -> str:
        """"f" or "m": the one asked for, else by the seed (the two clips of a task differ)."""
        if self.vocal_gender in ("f", "m"):
            return self.vocal_gender
        return "f" if self.seed % 2 == 0 else "m"
