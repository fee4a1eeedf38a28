"""The OpenAPI entries of the dialect's vocal removal (``/api/v1/vocal-removal/...``)."""

from __future__ import annotations

from songgate.api.openapi import RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.api.sunoapi.docs import (
    _FAILURE,
    _NULLABLE_TEXT,
    _TEXT,
    TASK_ID,
    _answers,
    _doc,
    _object,
    _request,
)
from songgate.domain.sunoapi.names import RecordStatus
from songgate.domain.sunoapi.vocal_removal import (
    EXTRA_FIELDS,
    GROUP_OF_TYPE,
    TWELVE_FIELDS,
    TWO_FIELDS,
)

_ID: Schema = {"type": "string", "minLength": 1, "maxLength": 128}
VOCAL_REMOVAL: Schema = {"type": "object", "required": ["taskId", "audioId"], "properties": {
    "taskId": {**_ID, "description": "The task that made the clip."},
    "audioId": {**_ID, "description": "The clip to split: one of the caller's complete "
                                      "clips made by this server's engine."},
    "type": {"enum": list(GROUP_OF_TYPE),
             "description": "`separate_vocal` (the default): vocals and instrumental; "
                            "`split_stem`: every part the song has, one file each."},
    "callBackUrl": {"type": "string", "maxLength": 2048,
                    "description": "Told once, in this dialect, when the stems are made "
                                   "(`callbackType: complete`) or the task failed (`error`)."},
}}
_URL_OR_NULL: Schema = {"type": ["string", "null"]}
_STEMS: Schema = {
    "type": "object", "required": ["originUrl", "vocalUrl"],
    "properties": {"originUrl": {**_URL_OR_NULL, "description": "The split clip's audio."},
                   **{name: _URL_OR_NULL for name in (*TWO_FIELDS, *TWELVE_FIELDS)},
                   **{name: {**_URL_OR_NULL, "description": "songgate's own part, present only "
                                                           "when the song has it."}
                      for name in EXTRA_FIELDS}},
    "description": "separate_vocal: vocalUrl, instrumentalUrl; split_stem: the twelve "
                   "fields (null where the song has no such part: backingVocalsUrl, brassUrl "
                   "and woodwindsUrl always), keys as keyboardUrl, and padsUrl, otherUrl, "
                   "originalUrl when the song has them. Null until the stem is made.",
}
_FLAG: Schema = {"type": "string", "enum": [RecordStatus.PENDING.value,
                                            RecordStatus.SUCCESS.value,
                                            RecordStatus.CREATE_TASK_FAILED.value,
                                            RecordStatus.GENERATE_AUDIO_FAILED.value]}
RECORD: Schema = _object({
    "taskId": _TEXT, "musicId": _TEXT, "callbackUrl": _TEXT,
    "type": {"type": "string", "enum": list(GROUP_OF_TYPE)},
    "completeTime": _NULLABLE_TEXT, "response": _STEMS, "successFlag": _FLAG,
    "status": _FLAG, "createTime": _TEXT, **_FAILURE,
})


def generate() -> RouteDoc:
    return _doc("sunoapi_vocal_removal_generate", "Split a clip into stems (sunoapi.org dialect)",
                "A STEM task (as `gen_stem` on `/suno/submit/music`) whose files are the "
                "engine's own parts of the song, summing back to it; price key `STEM`.",
                _answers(TASK_ID, "The STEM task's id.", 400, 404, 429),
                _request(VOCAL_REMOVAL))


def record_info() -> RouteDoc:
    return _doc("sunoapi_vocal_removal_record_info", "A vocal removal task (sunoapi.org dialect)",
                "Each stem's URL by the dialect's field names; any STEM task of the caller's.",
                _answers(RECORD, "The task.", 400, 404), query=True)
