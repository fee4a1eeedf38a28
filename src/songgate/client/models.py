"""Typed views of TaskDto, clips and lyrics that tolerate fields they do not know.

Every object keeps the whole JSON it was read from in ``raw``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TERMINAL = frozenset({"SUCCESS", "FAILURE"})


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


@dataclass(frozen=True, slots=True)
class Clip:
    id: str
    status: str
    title: str = ""
    audio_url: str = ""
    image_url: str = ""
    image_large_url: str = ""
    video_url: str = ""
    duration: float = 0.0
    tags: str = ""
    prompt: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Clip:
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        assert isinstance(metadata, dict)
        return cls(
            id=_text(data.get("id")), status=_text(data.get("status")),
            title=_text(data.get("title")), audio_url=_text(data.get("audio_url")),
            image_url=_text(data.get("image_url")),
            image_large_url=_text(data.get("image_large_url")),
            video_url=_text(data.get("video_url")), duration=_number(metadata.get("duration")),
            tags=_text(metadata.get("tags")), prompt=_text(metadata.get("prompt")), raw=data,
        )


@dataclass(frozen=True, slots=True)
class Lyrics:
    id: str
    status: str
    title: str = ""
    text: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Lyrics:
        return cls(id=_text(data.get("id")), status=_text(data.get("status")),
                   title=_text(data.get("title")), text=_text(data.get("text")), raw=data)


@dataclass(frozen=True, slots=True)
class TaskDto:
    task_id: str
    action: str
    status: str
    progress: int
    fail_reason: str = ""
    submit_time: float = 0.0
    start_time: float = 0.0
    finish_time: float = 0.0
    clips: tuple[Clip, ...] = ()
    lyrics: Lyrics | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaskDto:
        body = data.get("data")
        clips: tuple[Clip, ...] = ()
        lyrics = None
        if isinstance(body, list):
            clips = tuple(Clip.from_json(c) for c in body if isinstance(c, dict))
        elif isinstance(body, dict):
            lyrics = Lyrics.from_json(body)
        progress_text = _text(data.get("progress")).rstrip("%")
        try:
            progress = int(float(progress_text)) if progress_text else 0
        except ValueError:
            progress = 0
        return cls(
            task_id=_text(data.get("task_id")), action=_text(data.get("action")),
            status=_text(data.get("status")), progress=progress,
            fail_reason=_text(data.get("fail_reason")),
            submit_time=_number(data.get("submit_time")),
            start_time=_number(data.get("start_time")),
            finish_time=_number(data.get("finish_time")), clips=clips, lyrics=lyrics, raw=data,
        )
