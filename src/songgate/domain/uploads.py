"""Uploads: a client's own audio as a clip of its account (``metadata.type: "upload"``).

``POST /suno/uploads/audio-url`` names a URL songgate fetches; ``POST /suno/uploads/audio``
starts a file upload (an id and the URL the bytes go to), and ``upload-finish`` answers
the clip once they arrived. Either way the clip is made at once, as the one clip of an
UPLOAD task that is already SUCCESS, so ``POST /suno/fetch`` reads it like any other.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from songgate.domain.body_fields import BodyField, TextField, UrlField
from songgate.domain.clips import Clip, Owner, completed, new_clip
from songgate.domain.fields import require_object
from songgate.domain.models import DEFAULT_MV, MODEL_VERSIONS
from songgate.domain.results import ClipOutput
from songgate.domain.status import Action, TaskStatus
from songgate.domain.submit import MusicSpec
from songgate.domain.task import Task
from songgate.errors import InvalidRequest

MAX_SECONDS = 8 * 60  # the longest upload, as v4.5 and newer models take
URL_MAX = 2048
TITLE_MAX = 100
UPLOAD_SECONDS = 3600.0  # a started file upload waits this long for its bytes
EXTENSIONS = ("mp3", "wav", "m4a", "aac", "flac", "ogg", "oga", "opus", "webm", "mp4",
              "aif", "aiff", "wma", "amr", "caf", "mka", "3gp")

URL = UrlField("url", "The audio file to fetch: http(s), on a public host (or a network the "
                      "operator allows); any format ffmpeg decodes, at most 8 minutes.", URL_MAX)
EXTENSION = TextField("extension", 16, "The file's extension: " + ", ".join(EXTENSIONS) + ".",
                      blank_refusal="extension is empty: name the file's type, e.g. mp3")
URL_BODY: tuple[BodyField, ...] = (URL,)
FILE_BODY: tuple[BodyField, ...] = (EXTENSION,)

WAITING = "waiting"
RECEIVING = "receiving"  # one request is sending its bytes
UPLOADED = "uploaded"


def parse_url_upload(raw: Any) -> str:
    url = URL.read(require_object(raw))
    if not url:
        raise InvalidRequest("url is empty: name the audio file to fetch")
    return url


def parse_extension(raw: Any) -> str:
    extension = EXTENSION.read(require_object(raw)).strip().lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise InvalidRequest(f"extension must be one of {', '.join(EXTENSIONS)}")
    return extension


def title_from_url(url: str) -> str:
    """The file's name without its extension, as a title; "" when the URL names none."""
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    stem = name.rsplit(".", 1)[0] if "." in name else name
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in stem).split())
    return cleaned[:TITLE_MAX]


@dataclass(frozen=True, slots=True)
class UploadSpec:
    """What an UPLOAD task records of its request."""

    source: str  # "url" or "file"
    url: str = ""
    extension: str = ""
    mv: str = DEFAULT_MV

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class PendingUpload:
    """A file upload begun and not yet finished (``state`` waiting), or done (uploaded);
    ``clip_id`` is the clip it becomes, chosen when it begins."""

    id: str
    account_id: str
    extension: str
    state: str
    task_id: str | None
    clip_id: str | None
    created_at: float
    expires_at: float


def upload_clip(clip_id: str, owner: Owner, output: ClipOutput, created_at: float) -> Clip:
    """The complete clip of an upload: no words, no tags, its duration and audio."""
    shaped = MusicSpec(mv=DEFAULT_MV, prompt="", tags="", negative_tags="",
                       title=output.title, make_instrumental=False, gpt_description_prompt="",
                       continue_clip_id="", continue_at=None, notify_hook="")
    clip = new_clip(clip_id, owner, shaped, created_at)
    clip["metadata"] = {**clip["metadata"], "type": "upload", "stream": False}
    return completed(clip, output)


def new_upload_task(*, task_id: str, account_id: str, clip: Clip, spec: UploadSpec,
                    now: float) -> Task:
    """An UPLOAD task, already SUCCESS: its one clip is the upload."""
    assert spec.mv in MODEL_VERSIONS
    return Task(
        id=task_id, account_id=account_id, action=Action.UPLOAD, provider="upload",
        mv=spec.mv, status=TaskStatus.SUCCESS, progress=100, fail_reason="",
        submit_time=now, start_time=now, finish_time=now, request=spec.to_json(),
        data=[clip], attempts=0, max_attempts=1, lease_token=None, lease_expires_at=None,
        deadline_at=now, run_after=now,
    )
