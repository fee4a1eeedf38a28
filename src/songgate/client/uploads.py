"""Uploads as the client reads them: the clip an upload became, and the file flow's steps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

URL_PATH = "/suno/uploads/audio-url"
BEGIN_PATH = "/suno/uploads/audio"


def finish_path(upload_id: str) -> str:
    return f"/suno/uploads/audio/{upload_id}/upload-finish"


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded clip: its id, and the task whose one clip it is (when the server says)."""

    clip_id: str
    task_id: str
    duration: float | None
    raw: dict[str, Any]  # the whole answer, unknown fields too

    @classmethod
    def from_json(cls, data: Any) -> Upload:
        """From an answer that is the clip id itself, or an object naming it."""
        if isinstance(data, str):
            return cls(clip_id=data, task_id="", duration=None, raw={"id": data})
        found = data if isinstance(data, dict) else {}
        duration = found.get("duration")
        return cls(clip_id=str(found.get("clip_id") or found.get("id") or ""),
                   task_id=str(found.get("task_id") or ""),
                   duration=float(duration) if isinstance(duration, int | float) else None,
                   raw=found)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a begun upload's bytes go."""

    id: str
    url: str
    fields: dict[str, str]

    @classmethod
    def from_json(cls, data: Any) -> Target:
        found = data if isinstance(data, dict) else {}
        fields = found.get("fields")
        return cls(id=str(found.get("id") or ""), url=str(found.get("url") or ""),
                   fields={str(k): str(v) for k, v in fields.items()}
                   if isinstance(fields, dict) else {})


def extension_of(path: Path) -> str:
    return path.suffix.lstrip(".").lower() or "mp3"


def send_request(http: httpx.Client | httpx.AsyncClient, target: Target,
                 content: bytes, name: str) -> httpx.Request:
    """The request carrying the file: a PUT of its bytes, or, where the answer lists form
    fields (a presigned POST), a multipart form. It carries no token of ours."""
    if target.fields:
        request = http.build_request("POST", target.url, data=target.fields,
                                     files={"file": (name, content)})
    else:
        request = http.build_request("PUT", target.url, content=content)
    request.headers.pop("Authorization", None)
    return request
