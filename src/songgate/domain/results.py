"""What a provider hands back for a finished task."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClipOutput:
    """One finished song. URLs are absolute and served by songgate or an upstream."""

    id: str
    audio_url: str
    image_url: str
    image_large_url: str
    video_url: str
    duration: float
    title: str = ""
    tags: str = ""
    prompt: str = ""


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

