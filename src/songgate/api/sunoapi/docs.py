"""The OpenAPI entries of sunoapi.org's routes (``/api/v1/...``), in that dialect's envelope."""

from __future__ import annotations

from typing import Any

from songgate.api.openapi import TOKEN, RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.domain.sunoapi.names import KNOBS, MODEL_VERSION_OF, RecordStatus

_TEXT: Schema = {"type": "string"}
_URL_OR_EMPTY: Schema = {"type": "string"}
_NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
_WEIGHT: Schema = {"type": "number", "minimum": 0, "maximum": 1}
_MODEL: Schema = {"type": "string", "enum": list(MODEL_VERSION_OF),
                  "description": "V3_5 runs chirp-v3-5, V4 chirp-v4, V4_5 chirp-auk, "
                                 "V4_5PLUS chirp-bluejay, V4_5ALL chirp-auk-turbo, V5 chirp-crow "
                                 "(absent: V4)."}
_WHY = {
    400: "A parameter is missing or not valid; the message names it.",
    401: "No token, or one that is unknown, expired or revoked, or a disabled account.",
    404: "No such task (or not the caller's), clip, persona or route.",
    405: "The route does not take this method.",
    413: "A text is longer than its model allows, or the body is too large.",
    429: "The account's credits do not cover the task.",
    430: "Too many requests or tasks in flight for this token; retry after Retry-After.",
    455: "The service cannot take tasks now (database unreachable or no provider).",
    500: "An unexpected error.",
}
# what any route may answer: the request bounds (400, 413) and the bad-token guard (430)
# before it runs, then the caller's token and limits
_CALLER = (400, 401, 413, 430, 455, 500)


def _json(schema: Schema) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _object(properties: dict[str, Schema], required: list[str] | None = None) -> Schema:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def _envelope(code: Schema, msg: Schema, data: Schema) -> Schema:
    return {**_object({"code": code, "msg": msg, "data": data}), "additionalProperties": False}


def _answers(data: Schema, description: str, *codes: int) -> dict[int | str, dict[str, Any]]:
    found: dict[int | str, dict[str, Any]] = {200: {"description": description, **_json(
        _envelope({"const": 200}, {"const": "success"}, data))}}
    for code in sorted({*codes, *_CALLER}):
        response: dict[str, Any] = {"description": _WHY[code], **_json(_envelope(
            {"const": code}, {"type": "string", "minLength": 1}, {"type": "null"}))}
        if code == 430:
            response["headers"] = {"Retry-After": {"required": True,
                                                   "schema": {"type": "string"}}}
        found[code] = response
    return found


def _doc(operation_id: str, summary: str, description: str,
         responses: dict[int | str, dict[str, Any]], body: Schema | None = None,
         query: bool = False) -> RouteDoc:
    extra: dict[str, Any] = {"security": TOKEN, "tags": ["sunoapi.org dialect"]}
    if body is not None:
        extra["requestBody"] = {"required": True, **_json(body)}
    if query:
        extra["parameters"] = [{"name": "taskId", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1,
                                           "maxLength": 128}}]
    return RouteDoc(operation_id=operation_id, summary=summary, description=description,
                    responses=responses, openapi_extra=extra)


_KNOB_PROPERTIES: dict[str, Schema] = {
    KNOBS["vocal_gender"]: {"type": "string", "enum": ["m", "f", ""]},
    KNOBS["style_weight"]: _WEIGHT, KNOBS["weirdness_constraint"]: _WEIGHT,
    KNOBS["audio_weight"]: _WEIGHT, "personaId": {"type": "string", "maxLength": 64},
    "callBackUrl": {"type": "string", "maxLength": 2048,
                    "description": "Told at the text, first and complete stages (or error): "
                                   "signed like every songgate webhook, public hosts only."},
}
GENERATE: Schema = {"type": "object", "properties": {
    "customMode": {"type": "boolean",
                   "description": "true: prompt is the lyrics (absent: false)."},
    "instrumental": {"type": "boolean"},
    "prompt": {"type": "string", "maxLength": 5000,
               "description": "Lyrics (custom mode) or a description of the song."},
    "style": {"type": "string", "maxLength": 1000}, "title": {"type": "string", "maxLength": 100},
    "negativeTags": {"type": "string", "maxLength": 1000}, "model": _MODEL, **_KNOB_PROPERTIES,
}}
EXTEND: Schema = {"type": "object", "required": ["audioId"], "properties": {
    "audioId": {"type": "string", "minLength": 1, "maxLength": 128},
    "defaultParamFlag": {"type": "boolean", "description": (
        "true: prompt, style, title and continueAt from this request; false: continue the "
        "clip from its end in its own style and title.")},
    "continueAt": {"type": "number", "minimum": 0},
    "prompt": {"type": "string", "maxLength": 5000}, "style": {"type": "string"},
    "title": {"type": "string"}, "negativeTags": {"type": "string"}, "model": _MODEL,
    **_KNOB_PROPERTIES,
}}
CLIP_ACTION: Schema = {"type": "object", "required": ["audioId"], "properties": {
    "taskId": {"type": "string", "maxLength": 128}, "audioId": {"type": "string",
                                                                "maxLength": 128},
    "callBackUrl": {"type": "string"}}}
TASK_ID: Schema = _object({"taskId": {"type": "string", "minLength": 1}})
SUNO_CLIP: Schema = _object({
    "id": _TEXT, "audioUrl": _URL_OR_EMPTY, "sourceAudioUrl": _URL_OR_EMPTY,
    "streamAudioUrl": _URL_OR_EMPTY, "sourceStreamAudioUrl": _URL_OR_EMPTY,
    "imageUrl": _URL_OR_EMPTY, "sourceImageUrl": _URL_OR_EMPTY, "prompt": _TEXT,
    "modelName": _TEXT, "title": _TEXT, "tags": _TEXT,
    "createTime": {"type": "string", "description": "UTC, YYYY-MM-DD HH:MM:SS."},
    "duration": {"type": ["number", "null"]},
})
_STATUS: Schema = {"type": "string", "enum": [status.value for status in RecordStatus]}
_FAILURE = {"errorCode": {"type": ["integer", "null"]}, "errorMessage": _NULLABLE_TEXT}
RECORD: Schema = _object({
    "taskId": _TEXT, "parentMusicId": _TEXT,
    "param": {"type": "string", "description": "The request, as this dialect sends it (JSON)."},
    "response": _object({"taskId": _TEXT, "sunoData": {"type": "array", "items": SUNO_CLIP}}),
    "status": _STATUS, "type": {"type": "string", "enum": ["GENERATE", "EXTEND"]},
    "operationType": {"type": "string", "enum": ["generate", "extend"]},
    "createTime": _TEXT, **_FAILURE,
})
LYRICS_RECORD: Schema = _object({
    "taskId": _TEXT, "param": _TEXT,
    "response": _object({"taskId": _TEXT, "data": {"type": "array", "items": _object({
        "text": _TEXT, "title": _TEXT, "status": _TEXT, "errorMessage": _TEXT})}}),
    "status": _STATUS, "type": {"const": "LYRICS"}, "createTime": _TEXT, **_FAILURE,
})
_FILE_FIELDS = {"wav": "audioWavUrl", "mp4": "videoUrl"}


def _or_null(schema: Schema) -> Schema:
    """``schema``, or null: the routes read a null field as an absent one."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    kind = schema.get("type")
    return {**schema, "type": [kind, "null"]} if isinstance(kind, str) else schema


def _request(schema: Schema) -> Schema:
    """A body whose fields, but the required ones, may be null or absent."""
    required = schema.get("required", [])
    return {**schema, "properties": {
        name: field if name in required else _or_null(field)
        for name, field in schema["properties"].items()}}


def generate() -> RouteDoc:
    return _doc("sunoapi_generate", "Generate music (sunoapi.org dialect)",
                "A MUSIC task in songgate's task table, priced, limited and routed as "
                "`POST /suno/submit/music`; read it here or at `/suno/fetch/{taskId}`.",
                _answers(TASK_ID, "The new task's id.", 400, 404, 413, 429), _request(GENERATE))


def extend() -> RouteDoc:
    return _doc("sunoapi_extend", "Extend a clip (sunoapi.org dialect)",
                "Continue one of the caller's complete clips (`audioId`).",
                _answers(TASK_ID, "The new task's id.", 400, 404, 413, 429), _request(EXTEND))


def record_info() -> RouteDoc:
    return _doc("sunoapi_record_info", "A music task's details (sunoapi.org dialect)",
                "Status PENDING, TEXT_SUCCESS (running, no song done), FIRST_SUCCESS, "
                "SUCCESS, or a failure with errorMessage; the clips in `response.sunoData`.",
                _answers(RECORD, "The task.", 400, 404), query=True)


def lyrics() -> RouteDoc:
    return _doc("sunoapi_lyrics", "Write lyrics (sunoapi.org dialect)",
                "A LYRICS task; read it at `/api/v1/lyrics/record-info`.",
                _answers(TASK_ID, "The new task's id.", 400, 413, 429),
                _request({"type": "object", "required": ["prompt"], "properties": {
                    "prompt": {"type": "string", "minLength": 1, "maxLength": 3000},
                    "callBackUrl": {"type": "string"}}}))


def lyrics_record_info() -> RouteDoc:
    return _doc("sunoapi_lyrics_record_info", "A lyrics task's details (sunoapi.org dialect)",
                "PENDING until the lyrics are written, then SUCCESS with them.",
                _answers(LYRICS_RECORD, "The task.", 400, 404), query=True)


def credit() -> RouteDoc:
    return _doc("sunoapi_credit", "The account's credits (sunoapi.org dialect)",
                "`data` is the balance.", _answers({"type": "integer"}, "The balance."))


def timestamped_lyrics() -> RouteDoc:
    word = _object({"word": _TEXT, "success": {"type": "boolean"}, "startS": {"type": "number"},
                    "endS": {"type": "number"}, "palign": {"type": "number"}})
    data = _object({"alignedWords": {"type": "array", "items": word},
                    "waveformData": {"type": "array", "items": {"type": "number"}},
                    "hootCer": {"type": "number"}, "isStreamed": {"type": "boolean"}})
    return _doc("sunoapi_timestamped_lyrics", "A clip's timed lyrics (sunoapi.org dialect)",
                "As `GET /suno/act/timing/{clip_id}`, camelCase; price key `ACT/timing`.",
                _answers(data, "The sung words' times.", 400, 404, 429),
                _request(CLIP_ACTION))


def file_generate(kind: str) -> RouteDoc:
    return _doc(f"sunoapi_{kind}_generate", f"A clip's {kind.upper()} (sunoapi.org dialect)",
                f"Ready at once: read it at `/api/v1/{kind}/record-info`; price key "
                f"`ACT/{kind}`.", _answers(TASK_ID, "The task's id.", 400, 404, 429),
                _request(CLIP_ACTION))


def file_record_info(kind: str) -> RouteDoc:
    data = _object({"taskId": _TEXT, "musicId": _TEXT, "callbackUrl": _TEXT,
                    "completeTime": _NULLABLE_TEXT,
                    "response": _object({_FILE_FIELDS[kind]: _TEXT}),
                    "successFlag": {"const": "SUCCESS"}, "createTime": _NULLABLE_TEXT,
                    **_FAILURE})
    return _doc(f"sunoapi_{kind}_record_info", f"A {kind.upper()} task (sunoapi.org dialect)",
                f"The clip's {kind.upper()} URL.", _answers(data, "The file.", 400, 404),
                query=True)


MIDI_ACTION: Schema = {"type": "object", "required": ["taskId"], "properties": {
    "taskId": {"type": "string", "minLength": 1, "maxLength": 128,
               "description": "The task whose clip is meant (the dialect's stem task; here any "
                              "task of the caller's that made clips)."},
    "audioId": {"type": "string", "maxLength": 128,
                "description": "The clip (absent: the task's first)."},
    "callBackUrl": {"type": "string", "description": "Not called: the answer is ready at once."},
}}
PERSONA: Schema = {"type": "object", "required": ["taskId", "audioId", "name"], "properties": {
    "taskId": {"type": "string", "minLength": 1, "maxLength": 128},
    "audioId": {"type": "string", "minLength": 1, "maxLength": 128},
    "name": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": {"type": "string", "maxLength": 1000},
}}


def midi_generate() -> RouteDoc:
    return _doc("sunoapi_midi_generate", "A clip's MIDI (sunoapi.org dialect)",
                "Ready at once: the notes at `/api/v1/midi/record-info`; price key `ACT/midi`.",
                _answers(TASK_ID, "The task's id.", 400, 404, 429), _request(MIDI_ACTION))


def midi_record_info() -> RouteDoc:
    note = _object({"pitch": {"type": "integer", "minimum": 0, "maximum": 127},
                    "start": {"type": "number"}, "end": {"type": "number"},
                    "velocity": {"type": "number", "minimum": 0, "maximum": 1}})
    instrument = _object({"name": _TEXT, "notes": {"type": "array", "items": note}})
    data = _object({
        "taskId": _TEXT, "recordTaskId": {"type": "integer"}, "audioId": _TEXT,
        "callbackUrl": _TEXT, "completeTime": {"type": ["integer", "null"]},
        "midiData": _object({"state": {"const": "complete"},
                             "instruments": {"type": "array", "items": instrument}}),
        "midiUrl": {"type": "string", "description": "The MIDI file itself (songgate's)."},
        "successFlag": {"const": 1}, "createTime": {"type": ["integer", "null"]}, **_FAILURE,
    })
    return _doc("sunoapi_midi_record_info", "A MIDI task (sunoapi.org dialect)",
                "Each instrument's notes in seconds (times in ms since the epoch).",
                _answers(data, "The notes.", 400, 404), query=True)


def generate_persona() -> RouteDoc:
    data = _object({"personaId": _TEXT, "name": _TEXT, "description": _TEXT})
    return _doc("sunoapi_generate_persona", "A persona from a clip (sunoapi.org dialect)",
                "As `POST /suno/persona/create/` with `audioId` as the root clip: a later "
                "generate with `personaId` sings like it. Free; answered at once.",
                _answers(data, "The persona.", 400, 404), _request(PERSONA))
