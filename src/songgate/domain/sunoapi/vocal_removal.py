"""The dialect's vocal removal over songgate's STEM tasks: its request, record and callback.

``type: "separate_vocal"`` is ``stem_type_group_name: "Two"`` (vocals, instrumental);
``type: "split_stem"`` is ``"Twelve"`` (every part the song has). The stems are the
engine's own parts (``domain/stems.py``), each named by the dialect's field:

=========== ===================  ===================================================
our part    dialect field        note
=========== ===================  ===================================================
vocals      vocalUrl
instrumental instrumentalUrl     Two only: every part but the vocals, summed
drums       drumsUrl
percussion  percussionUrl
bass        bassUrl
guitar      guitarUrl
keys        keyboardUrl
strings     stringsUrl
synth       synthUrl
fx          fxUrl
pads        padsUrl              songgate's own field: the dialect names no pad part
other       otherUrl             songgate's own field: any part not named above
original    originalUrl          an extension's continued song, as it sounds in it
=========== ===================  ===================================================

``backingVocalsUrl``, ``brassUrl`` and ``woodwindsUrl`` are null for the engine's clips (it
sings one voice and plays no brass or woodwind part; a relayed clip's channel may fill
them), as is any field whose part the song lacks; ``padsUrl``, ``otherUrl`` and
``originalUrl`` appear only when the song has that part, so the fields present sum back
to the song. ``originUrl`` is the split clip's audio.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.fields import optional_string, require_object
from songgate.domain.status import ClipStatus, TaskStatus
from songgate.domain.stems import GEN_STEM, LABELS, TWELVE, TWO
from songgate.domain.sunoapi.names import RecordStatus, Stage
from songgate.domain.sunoapi.records import AUDIO_FAILED_CODE, date_time, record_status
from songgate.domain.sunoapi.requests import audio_id
from songgate.domain.task import Task
from songgate.errors import InvalidRequest

SEPARATE_VOCAL, SPLIT_STEM = "separate_vocal", "split_stem"
GROUP_OF_TYPE = {SEPARATE_VOCAL: TWO, SPLIT_STEM: TWELVE}
TYPE_OF_GROUP = {group: kind for kind, group in GROUP_OF_TYPE.items()}

TWO_FIELDS = ("vocalUrl", "instrumentalUrl")
TWELVE_FIELDS = ("vocalUrl", "backingVocalsUrl", "drumsUrl", "bassUrl", "guitarUrl",
                 "keyboardUrl", "percussionUrl", "stringsUrl", "synthUrl", "fxUrl",
                 "brassUrl", "woodwindsUrl")
# Our parts the dialect's twelve do not name: shown only when the song has them.
EXTRA_FIELDS = ("padsUrl", "otherUrl", "originalUrl")
FIELD_OF_PART: dict[str, str] = {
    "vocals": "vocalUrl", "instrumental": "instrumentalUrl", "drums": "drumsUrl",
    "percussion": "percussionUrl", "bass": "bassUrl", "guitar": "guitarUrl",
    "keys": "keyboardUrl", "strings": "stringsUrl", "synth": "synthUrl", "fx": "fxUrl",
    "pads": "padsUrl", "other": "otherUrl", "original": "originalUrl",
    "backing_vocals": "backingVocalsUrl", "brass": "brassUrl", "woodwinds": "woodwindsUrl",
}
PART_OF_FIELD = {field: part for part, field in FIELD_OF_PART.items()}
_PART_OF_LABEL = {label: part for part, label in LABELS.items()}
SUCCESS_MESSAGE = "vocal removal generated successfully."


def stem_body(raw: Any, clip_id: str) -> dict[str, Any]:
    """The gateway's ``gen_stem`` music submit for a ``/vocal-removal/generate`` body."""
    body = require_object(raw)
    kind = body.get("type")
    if kind in (None, ""):
        kind = SEPARATE_VOCAL
    if not isinstance(kind, str) or kind not in GROUP_OF_TYPE:
        raise InvalidRequest(f"type {str(kind)[:40]!r} is not one of "
                             f"{SEPARATE_VOCAL}, {SPLIT_STEM}")
    return {"task": GEN_STEM, "continue_clip_id": clip_id,
            "stem_type_group_name": GROUP_OF_TYPE[kind], "stem_task": kind,
            "notify_hook": optional_string(body, "callBackUrl", max_length=2048)}


def requested_clip(raw: Any) -> str:
    """``audioId`` of a ``/vocal-removal/generate`` body (required)."""
    return audio_id(require_object(raw))


def _group(task: Task) -> str:
    request = task.request if isinstance(task.request, dict) else {}
    return TWELVE if request.get("group") == TWELVE else TWO


def stem_urls(task: Task) -> dict[str, str | None]:
    """Each dialect field of the task's group: the finished stem's URL, else null."""
    group = _group(task)
    shown: dict[str, str | None] = dict.fromkeys(TWELVE_FIELDS if group == TWELVE
                                                 else TWO_FIELDS)
    for clip in task.data:
        metadata = clip.get("metadata") or {}
        field = FIELD_OF_PART.get(_PART_OF_LABEL.get(str(metadata.get("stem_type")), ""))
        if field is None:
            continue
        done = clip.get("status") == ClipStatus.COMPLETE.value and clip.get("audio_url")
        if done or field not in EXTRA_FIELDS:
            shown[field] = str(clip["audio_url"]) if done else None
    return shown


def flag(task: Task) -> RecordStatus:
    """``successFlag``: PENDING until the stems are made, then SUCCESS or the failure."""
    status = record_status(task)
    if status.failed or status is RecordStatus.SUCCESS:
        return status
    return RecordStatus.PENDING


def _request(task: Task) -> dict[str, Any]:
    return task.request if isinstance(task.request, dict) else {}


def vocal_removal_record(task: Task) -> dict[str, Any]:
    """``/vocal-removal/record-info``'s ``data``."""
    request = _request(task)
    status = flag(task)
    failed = status.failed
    return {
        "taskId": task.id, "musicId": request.get("clip_id") or "",
        "callbackUrl": request.get("notify_hook") or "",
        "type": TYPE_OF_GROUP[_group(task)],
        "completeTime": date_time(task.finish_time) if task.finish_time else None,
        "response": {"originUrl": request.get("origin_url") or None, **stem_urls(task)},
        "successFlag": status.value, "status": status.value,
        "createTime": date_time(task.submit_time),
        "errorCode": AUDIO_FAILED_CODE if failed else None,
        "errorMessage": (task.fail_reason or "the task failed") if failed else None,
    }


def stages_reached(task: Task) -> list[Stage]:
    """A STEM task's callback stages: ``complete`` or ``error``, when it ends."""
    if task.status is TaskStatus.SUCCESS:
        return [Stage.COMPLETE]
    if task.status is TaskStatus.FAILURE:
        return [Stage.ERROR]
    return []


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def callback(task: Task, stage: Stage) -> dict[str, Any]:
    """The body POSTed to ``callBackUrl`` when the stems are made (or failed)."""
    if stage is Stage.ERROR:
        return {"code": AUDIO_FAILED_CODE, "msg": task.fail_reason or "the task failed",
                "data": {"callbackType": stage.value, "task_id": task.id, "taskId": task.id,
                         "vocal_removal_info": None}}
    record = vocal_removal_record(task)
    info = {_snake(name): url for name, url in record["response"].items()}
    return {"code": 200, "msg": SUCCESS_MESSAGE,
            "data": {"callbackType": stage.value, "task_id": task.id, "taskId": task.id,
                     "vocal_removal_info": info}}
