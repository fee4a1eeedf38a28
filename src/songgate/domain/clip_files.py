"""A clip's WAV, MP4 or MIDI made on demand: the FILE task.

``GET /suno/act/wav|mp4|midi/{clip}`` answers the file's URL when the clip has it; when
it does not (a clip made before the file was published, or one an upstream channel
made), the answer is the id of a FILE task that makes it, as gateways answer: a fetch
of that task shows ``data.url`` once it is done. A FILE task makes no clip: its
``data`` is one object, ``{clip_id, kind, status, url}``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from songgate.domain.fields import JsonObject
from songgate.domain.status import Action, TaskStatus
from songgate.domain.task import Task

FILE_KINDS = ("wav", "mp4", "midi")
FILE_NAMES = {"wav": "WAV", "mp4": "MP4", "midi": "MIDI"}


@dataclass(frozen=True, slots=True)
class FileSpec:
    clip_id: str
    kind: str  # one of FILE_KINDS
    # what made the clip, for a MIDI composed again (the engine's clips only)
    lyrics: str = ""
    instrumental: bool = False
    max_seconds: float = 0.0
    title: str = ""  # for a cover drawn when the clip has none (an MP4)
    tags: str = ""

    def to_json(self) -> JsonObject:
        return asdict(self)

    @classmethod
    def from_json(cls, data: JsonObject) -> FileSpec:
        return cls(**data)


def file_data(spec: FileSpec) -> dict[str, Any]:
    return {"clip_id": spec.clip_id, "kind": spec.kind, "status": "submitted", "url": ""}


def new_file_task(*, task_id: str, account_id: str, spec: FileSpec, provider: str, now: float,
                  max_attempts: int, timeout_seconds: float) -> Task:
    return Task(
        id=task_id, account_id=account_id, action=Action.FILE, provider=provider, mv="",
        status=TaskStatus.SUBMITTED, progress=0, fail_reason="", submit_time=now,
        start_time=0, finish_time=0, request=spec.to_json(), data=file_data(spec),
        attempts=0, max_attempts=max_attempts, lease_token=None, lease_expires_at=None,
        deadline_at=now + timeout_seconds, run_after=now,
    )
