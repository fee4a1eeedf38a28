"""The ``sunoapi-v1`` protocol of hosted providers.

``POST /api/v1/generate`` (or ``/generate/extend``, ``/lyrics``) answers
``{"code": 200, "data": {"taskId": ...}}``; ``GET /api/v1/generate/record-info?taskId=``
(``/lyrics/record-info`` for lyrics) reports one task: a status such as ``PENDING``,
``TEXT_SUCCESS``, ``FIRST_SUCCESS``, ``SUCCESS`` or one of the failures, and camelCase clips.
There is no batch query: the poller asks for one id per request. Stems are its vocal
removal (``/api/v1/vocal-removal/generate`` with the upstream's ``taskId`` and
``audioId``; ``/vocal-removal/record-info`` reports ``successFlag`` and one URL per part,
each made a stem clip named by its field). A cover, an upload extension, a replaced span
or an added part of one of the upstream's clips is its own route
(:mod:`songgate.providers.relay.sunoapi_sources`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from songgate.domain.infill import INFILL
from songgate.domain.relay import UpstreamClip, UpstreamTask
from songgate.domain.source_actions import source_action
from songgate.domain.status import Action, ClipStatus, TaskStatus
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.domain.sunoapi.names import DEFAULT_MODEL, MODEL_NAME_OF, RecordStatus
from songgate.domain.sunoapi.vocal_removal import PART_OF_FIELD, TYPE_OF_GROUP
from songgate.providers.relay import sunoapi_sources as sources
from songgate.providers.relay.http import (
    JsonClient,
    as_dict,
    as_list,
    number_field,
    text_field,
    url_field,
)
from songgate.providers.relay.protocol import Submission, Trouble, UpstreamError

MODELS = MODEL_NAME_OF  # our model version -> the protocol's model name
_knobs = sources.knobs  # our knobs by the protocol's names, those the client gave

# status -> (our status, progress); failures are any other status ending in FAILED/ERROR
_STATUSES: dict[str, tuple[TaskStatus, int | None]] = {
    RecordStatus.PENDING: (TaskStatus.QUEUED, None),
    RecordStatus.TEXT_SUCCESS: (TaskStatus.IN_PROGRESS, 30),
    RecordStatus.FIRST_SUCCESS: (TaskStatus.IN_PROGRESS, 70),
    RecordStatus.SUCCESS: (TaskStatus.SUCCESS, 100),
}
_REQUEST_FAULTS = {400, 413, 422}
_RATE_LIMITED = {405, 429, 430}
_NOT_FOUND = {404}
_MAX_ID = 128


def _payload(submission: Submission) -> tuple[str, dict[str, Any]]:
    spec = submission.spec
    if isinstance(spec, LyricsSpec):
        return "/api/v1/lyrics", {"prompt": spec.prompt, "callBackUrl": ""}
    if isinstance(spec, StemSpec):
        return "/api/v1/vocal-removal/generate", {
            "taskId": spec.upstream_task, "audioId": submission.continue_clip_id,
            "type": TYPE_OF_GROUP[spec.group], "callBackUrl": "",
        }
    assert isinstance(spec, MusicSpec)
    model = MODELS.get(spec.mv, DEFAULT_MODEL)
    if submission.continue_clip_id and source_action(spec) == INFILL:
        return sources.replace_section(spec, submission.source_task, submission.continue_clip_id)
    if submission.continue_clip_id:
        return "/api/v1/generate/extend", {
            "audioId": submission.continue_clip_id, "continueAt": spec.continue_at or 0,
            "defaultParamFlag": True, "prompt": spec.prompt, "style": spec.tags,
            "title": spec.title, "negativeTags": spec.negative_tags, "model": model,
            "callBackUrl": "", **_knobs(spec),
        }
    if spec.is_description_mode:
        return "/api/v1/generate", {
            "customMode": False, "instrumental": spec.make_instrumental, "model": model,
            "prompt": spec.gpt_description_prompt, "callBackUrl": "", **_knobs(spec),
        }
    return "/api/v1/generate", {
        "customMode": True, "instrumental": spec.make_instrumental, "model": model,
        "prompt": spec.prompt, "style": spec.tags, "title": spec.title,
        "negativeTags": spec.negative_tags, "callBackUrl": "", **_knobs(spec),
    }


def _envelope(status: int, body: Any, path: str) -> tuple[int, Any]:
    """(code, data) of the ``{"code", "msg", "data"}`` envelope, or UpstreamError."""
    if not isinstance(body, dict):
        raise UpstreamError(f"{path}: answered without the code/data envelope")
    code = body.get("code")
    if not isinstance(code, int):
        code = status
    return code, body.get("data")


def _clip(raw: Any, status: ClipStatus) -> UpstreamClip | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        return None
    audio = url_field(raw.get("audioUrl"))
    return UpstreamClip(
        id=raw["id"][:_MAX_ID], status=status if audio else ClipStatus.STREAMING,
        audio_url=audio, image_url=url_field(raw.get("imageUrl")),
        image_large_url=url_field(raw.get("imageUrl")), video_url="",
        duration=number_field(raw.get("duration")), title=text_field(raw.get("title"), 200),
        tags=text_field(raw.get("tags"), 1000), prompt=text_field(raw.get("prompt")),
    )


def parse_record(task_id: str, data: Any, action: Action) -> UpstreamTask | None:
    if not isinstance(data, dict):
        return None
    raw_status = str(data.get("status") or "").upper()
    response = as_dict(data.get("response"))
    status, progress = _STATUSES.get(raw_status, (TaskStatus.UNKNOWN, None))
    if raw_status.endswith(("FAILED", "ERROR", "EXCEPTION")):
        status, progress = TaskStatus.FAILURE, None
    if action is Action.LYRICS:
        items = as_list(response.get("data"))
        first = as_dict(items[0]) if items else {}
        return UpstreamTask(
            id=task_id, status=status, progress=progress,
            fail_reason=text_field(data.get("errorMessage"), 300) or raw_status,
            lyrics_title=text_field(first.get("title"), 200),
            lyrics_text=text_field(first.get("text")),
        )
    clip_status = ClipStatus.COMPLETE if status is TaskStatus.SUCCESS else ClipStatus.STREAMING
    raw_clips = as_list(response.get("sunoData"))
    clips = tuple(c for c in (_clip(raw, clip_status) for raw in raw_clips) if c is not None)
    return UpstreamTask(
        id=task_id, status=status, progress=progress,
        fail_reason=text_field(data.get("errorMessage"), 300) or raw_status, clips=clips,
    )


def parse_stem_record(task_id: str, data: Any) -> UpstreamTask | None:
    """A vocal removal record: ``successFlag`` (or ``status``) and one URL per part."""
    if not isinstance(data, dict):
        return None
    raw_status = str(data.get("successFlag") or data.get("status") or "").upper()
    status, progress = _STATUSES.get(raw_status, (TaskStatus.UNKNOWN, None))
    if raw_status.endswith(("FAILED", "ERROR", "EXCEPTION")):
        status, progress = TaskStatus.FAILURE, None
    response = as_dict(data.get("response"))
    clips = tuple(
        UpstreamClip(id=f"{task_id}/{field}"[:_MAX_ID], status=ClipStatus.COMPLETE,
                     audio_url=url, stem_type=part)
        for field, part in PART_OF_FIELD.items()
        if (url := url_field(response.get(field)))
    ) if status is TaskStatus.SUCCESS else ()
    return UpstreamTask(
        id=task_id, status=status, progress=progress,
        fail_reason=text_field(data.get("errorMessage"), 300) or raw_status, clips=clips,
    )


def _record_path(action: Action) -> str:
    if action is Action.LYRICS:
        return "/api/v1/lyrics/record-info"
    if action is Action.STEM:
        return "/api/v1/vocal-removal/record-info"
    return "/api/v1/generate/record-info"


class SunoApiV1Adapter:
    batch_size = 1

    def __init__(self, client: JsonClient) -> None:
        self._client = client

    async def _request(self, submission: Submission) -> tuple[str, dict[str, Any]]:
        spec = submission.spec
        action = source_action(spec) if isinstance(spec, MusicSpec) else ""
        if submission.continue_clip_id and action in sources.BY_URL:
            assert isinstance(spec, MusicSpec)
            url = await sources.audio_url(self._client, submission.source_task,
                                          submission.continue_clip_id)
            return sources.by_url(action, spec, url)
        return _payload(submission)

    async def submit(self, submission: Submission) -> str:
        path, payload = await self._request(submission)
        status, body = await self._client.request("POST", path, json=payload, sends_task=True)
        code, data = _envelope(status, body, path)
        if code == 200:
            task_id = data.get("taskId") if isinstance(data, dict) else None
            if isinstance(task_id, str) and 0 < len(task_id) <= _MAX_ID:
                return task_id
            raise UpstreamError(f"{path}: accepted without a usable task id", maybe_accepted=True)
        message = body.get("msg") if isinstance(body, dict) else None
        reason = (f"{path}: code {code}" + (f": {message}" if isinstance(message, str) else ""))
        if code in _RATE_LIMITED:
            raise UpstreamError(reason[:300])
        trouble: Trouble = "refused" if code in _REQUEST_FAULTS else "unavailable"
        raise UpstreamError(reason[:300], trouble=trouble)

    async def fetch(
        self, ids: Sequence[str], actions: Mapping[str, Action]
    ) -> dict[str, UpstreamTask]:
        found: dict[str, UpstreamTask] = {}
        for task_id in ids:
            action = actions.get(task_id, Action.MUSIC)
            path = _record_path(action)
            status, body = await self._client.request("GET", path, params={"taskId": task_id})
            code, data = _envelope(status, body, path)
            if code in _NOT_FOUND or (code == 200 and data is None):
                continue
            if code != 200:
                raise UpstreamError(f"{path}: code {code}")
            task = (parse_stem_record(task_id, data) if action is Action.STEM
                    else parse_record(task_id, data, action))
            if task is not None:
                found[task_id] = task
        return found

    async def check(self) -> str:
        path = "/api/v1/generate/record-info"
        status, body = await self._client.request(
            "GET", path, params={"taskId": "songgate-channel-check"}
        )
        code, _ = _envelope(status, body, path)
        return f"sunoapi-v1 API answered code {code}"

    async def close(self) -> None:
        await self._client.close()
