"""A clip's WAV, MP4 or MIDI as the service answers it (``GET /suno/act/<kind>/{clip}``):
the file's URL when it exists, else the id of the FILE task that makes it, whose
``data.url`` is the file's URL once the task is done."""

from __future__ import annotations

from songgate.client.errors import SongError
from songgate.client.models import TaskDto

FILE_KINDS = ("wav", "mp4", "midi")


class FileNotMade(SongError):
    """The FILE task that was to make a clip's file failed; ``task`` is its last state."""

    def __init__(self, message: str, task: TaskDto) -> None:
        super().__init__(message)
        self.task = task


def file_path(clip_id: str, kind: str) -> str:
    if kind not in FILE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FILE_KINDS)}, not {kind!r}")
    return f"/suno/act/{kind}/{clip_id}"


def is_url(answer: str) -> bool:
    """A URL, not a task id (a task id never holds a slash)."""
    return "/" in answer


def url_of(task: TaskDto, kind: str) -> str:
    """The URL a finished FILE task made; :class:`FileNotMade` when it failed."""
    data = task.raw.get("data")
    url = data.get("url") if isinstance(data, dict) else None
    if task.status != "SUCCESS" or not isinstance(url, str) or not url:
        reason = task.fail_reason or f"the task ended {task.status or 'without a status'}"
        raise FileNotMade(f"the {kind} file was not made: {reason}", task)
    return url
