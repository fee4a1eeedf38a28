"""A task as the dialect reads it: record-info's ``data`` and the stage callbacks.

Any task of the account reads here, whichever dialect made it (one task table).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from songgate.domain.clips import Clip
from songgate.domain.status import Action, ClipStatus, TaskStatus
from songgate.domain.sunoapi.names import RecordStatus, Stage
from songgate.domain.sunoapi.requests import model_name
from songgate.domain.task import Task

WAITING = frozenset({TaskStatus.NOT_START, TaskStatus.SUBMITTED, TaskStatus.QUEUED,
                     TaskStatus.UNKNOWN})
AUDIO_FAILED_CODE = 501  # the dialect's code of a failed generation
STAGE_MESSAGES = {
    Stage.TEXT: "Text generation completed.",
    Stage.FIRST: "First track generation completed.",
    Stage.COMPLETE: "All generated successfully.",
}


def date_time(timestamp: float) -> str:
    """``2025-01-01 00:00:00`` (UTC), as the dialect writes times."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def clips_of(task: Task) -> list[Clip]:
    return list(task.data) if task.action is not Action.LYRICS else []


def first_done(task: Task) -> bool:
    return any(clip.get("status") == ClipStatus.COMPLETE.value for clip in clips_of(task))


def record_status(task: Task) -> RecordStatus:
    """The dialect's status of ``task``. Lyrics have no partial stages."""
    status = task.status
    if status is TaskStatus.SUCCESS:
        return RecordStatus.SUCCESS
    if status is TaskStatus.FAILURE:
        if not task.start_time:
            return RecordStatus.CREATE_TASK_FAILED  # ended before any worker ran it
        return (RecordStatus.GENERATE_LYRICS_FAILED if task.action is Action.LYRICS
                else RecordStatus.GENERATE_AUDIO_FAILED)
    if status in WAITING or task.action is Action.LYRICS:
        return RecordStatus.PENDING
    return RecordStatus.FIRST_SUCCESS if first_done(task) else RecordStatus.TEXT_SUCCESS


def stages_reached(task: Task) -> list[Stage]:
    """The callback stages ``task`` has reached, in order."""
    if task.status is TaskStatus.FAILURE:
        return [Stage.ERROR]
    if task.action is Action.LYRICS:
        return [Stage.COMPLETE] if task.status is TaskStatus.SUCCESS else []
    reached = {RecordStatus.TEXT_SUCCESS: [Stage.TEXT],
               RecordStatus.FIRST_SUCCESS: [Stage.TEXT, Stage.FIRST],
               RecordStatus.SUCCESS: [Stage.TEXT, Stage.FIRST, Stage.COMPLETE]}
    return reached.get(record_status(task), [])


def _duration(clip: Clip) -> float | None:
    value = clip.get("metadata", {}).get("duration")
    return float(value) if isinstance(value, int | float) else None


def _created(clip: Clip, task: Task) -> str:
    text = clip.get("created_at")
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return date_time(task.submit_time)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def suno_clip(clip: Clip, task: Task) -> dict[str, Any]:
    """A clip in ``response.sunoData[]``: camelCase. The audio streams from where it lands;
    a clip still rendering has only its stream."""
    stream = clip.get("audio_url") or ""
    audio = stream if clip.get("status") != ClipStatus.STREAMING.value else ""
    image = clip.get("image_url") or ""
    metadata = clip.get("metadata", {})
    return {
        "id": clip["id"], "audioUrl": audio, "sourceAudioUrl": audio,
        "streamAudioUrl": stream, "sourceStreamAudioUrl": stream,
        "imageUrl": image, "sourceImageUrl": image,
        "prompt": metadata.get("prompt") or "", "modelName": clip.get("model_name") or "",
        "title": clip.get("title") or "", "tags": metadata.get("tags") or "",
        "createTime": _created(clip, task), "duration": _duration(clip),
    }


def callback_clip(clip: Clip, task: Task) -> dict[str, Any]:
    """A clip in a callback's ``data.data[]``: the same fields, in snake_case."""
    shown = suno_clip(clip, task)
    return {
        "id": shown["id"], "audio_url": shown["audioUrl"], "source_audio_url": shown["audioUrl"],
        "stream_audio_url": shown["streamAudioUrl"],
        "source_stream_audio_url": shown["streamAudioUrl"], "image_url": shown["imageUrl"],
        "source_image_url": shown["imageUrl"], "prompt": shown["prompt"],
        "model_name": shown["modelName"], "title": shown["title"], "tags": shown["tags"],
        "createTime": shown["createTime"], "duration": shown["duration"],
    }


def params(task: Task) -> dict[str, Any]:
    """The request as the dialect would have sent it (record-info's ``param``)."""
    request = task.request if isinstance(task.request, dict) else {}
    hook = request.get("notify_hook") or ""
    if task.action is Action.LYRICS:
        return {"prompt": request.get("prompt", ""), "callBackUrl": hook}
    description = request.get("gpt_description_prompt") or ""
    shown: dict[str, Any] = {
        "prompt": description or request.get("prompt", ""), "style": request.get("tags", ""),
        "title": request.get("title", ""), "customMode": not description,
        "instrumental": bool(request.get("make_instrumental")), "model": model_name(task.mv),
        "negativeTags": request.get("negative_tags", ""), "callBackUrl": hook,
    }
    if request.get("continue_clip_id"):
        shown.update(audioId=request["continue_clip_id"], continueAt=request.get("continue_at"),
                     defaultParamFlag=True)
    return shown


def _failure(task: Task, status: RecordStatus) -> tuple[int | None, str | None]:
    if not status.failed:
        return None, None
    return AUDIO_FAILED_CODE, task.fail_reason or "the task failed"


def music_record(task: Task) -> dict[str, Any]:
    """record-info's ``data`` for a task that makes clips."""
    status = record_status(task)
    code, message = _failure(task, status)
    parent = task.request.get("continue_clip_id") if isinstance(task.request, dict) else ""
    extends = bool(parent)
    return {
        "taskId": task.id, "parentMusicId": parent or "",
        "param": orjson.dumps(params(task)).decode(),
        "response": {"taskId": task.id,
                     "sunoData": [suno_clip(clip, task) for clip in clips_of(task)]},
        "status": status.value, "type": "EXTEND" if extends else "GENERATE",
        "operationType": "extend" if extends else "generate",
        "errorCode": code, "errorMessage": message,
        "createTime": date_time(task.submit_time),
    }


def _lyrics_items(task: Task) -> list[dict[str, Any]]:
    if task.status is not TaskStatus.SUCCESS:
        return []
    return [{"text": task.data.get("text", ""), "title": task.data.get("title", ""),
             "status": "complete", "errorMessage": ""}]


def lyrics_record(task: Task) -> dict[str, Any]:
    """``/lyrics/record-info``'s ``data``."""
    status = record_status(task)
    code, message = _failure(task, status)
    return {
        "taskId": task.id, "param": orjson.dumps(params(task)).decode(),
        "response": {"taskId": task.id, "data": _lyrics_items(task)},
        "status": status.value, "type": "LYRICS", "errorCode": code, "errorMessage": message,
        "createTime": date_time(task.submit_time),
    }


def callback(task: Task, stage: Stage) -> dict[str, Any]:
    """The body POSTed to ``callBackUrl`` when ``task`` reaches ``stage``."""
    if stage is Stage.ERROR:
        return {"code": AUDIO_FAILED_CODE, "msg": task.fail_reason or "the task failed",
                "data": {"callbackType": stage.value, "task_id": task.id, "taskId": task.id,
                         "data": None}}
    if task.action is Action.LYRICS:
        items = [{"text": i["text"], "title": i["title"], "status": i["status"],
                  "error_message": "", "errorMessage": ""} for i in _lyrics_items(task)]
    else:
        items = [callback_clip(clip, task) for clip in clips_of(task)]
    return {"code": 200, "msg": STAGE_MESSAGES[stage],
            "data": {"callbackType": stage.value, "task_id": task.id, "taskId": task.id,
                     "data": items}}
