"""What a provider hands back for a finished task."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClipOutput:
    """One finished song. URLs are absolute and served by songgate or an upstream.

    With ``streaming``, a song still rendering: only ``audio_url`` counts, and it plays
    the part made so far (a progress report's clip, never a result's).
    """

    id: str
    audio_url: str
    image_url: str
    image_large_url: str
    video_url: str
    duration: float
    title: str = ""
    tags: str = ""
    prompt: str = ""
    streaming: bool = False

    @classmethod
    def stream(cls, clip_id: str, audio_url: str) -> ClipOutput:
        return cls(id=clip_id, audio_url=audio_url, image_url="", image_large_url="",
                   video_url="", duration=0.0, streaming=True)


@dataclass(frozen=True, slots=True)
class MusicResult:
    clips: tuple[ClipOutput, ...]


@dataclass(frozen=True, slots=True)
class LyricsResult:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class FileResult:
    """A clip's file made on demand: its URL."""

    url: str


TaskResult = MusicResult | LyricsResult | FileResult


@dataclass(frozen=True, slots=True)
class HandedOff:
    """The task now runs upstream: ``channel`` accepted it as ``upstream_id``.

    Not a result: the worker lets the task go and the relay poller follows it.
    """

    channel: str
    upstream_id: str

