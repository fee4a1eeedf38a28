"""The upload routes' part of the OpenAPI document (``/suno/uploads/audio...``)."""

from __future__ import annotations

from typing import Any

from songgate.api.openapi import PUBLIC, TOKEN, RouteDoc, body, caller_errors, errors, success
from songgate.api.openapi_schemas import Schema
from songgate.api.openapi_schemas import body as body_schema
from songgate.domain.submit import ID_MAX_LENGTH
from songgate.domain.uploads import FILE_BODY, URL_BODY

_ID: Schema = {"type": "string", "minLength": 1}
_CLIP: Schema = {
    "type": "object", "required": ["id", "clip_id", "task_id", "status"],
    "properties": {
        "id": {**_ID, "description": "The uploaded clip's id (as clip_id)."},
        "clip_id": _ID, "task_id": {**_ID, "description": "The UPLOAD task whose one clip "
                                                           "it is (POST /suno/fetch reads it)."},
        "upload_id": _ID, "status": {"const": "complete"},
        "duration": {"type": "number", "minimum": 0},
    },
}
_TARGET: Schema = {
    "type": "object", "required": ["id", "url", "method", "fields", "max_bytes", "expires_at"],
    "properties": {
        "id": _ID, "url": {"type": "string", "format": "uri",
                           "description": "Where the file's bytes go (songgate itself)."},
        "method": {"const": "PUT"}, "fields": {"type": "object"},
        "max_bytes": {"type": "integer", "minimum": 1},
        "expires_at": {"type": "integer", "description": "Unix seconds; then the id lapses."},
    },
}
_UPLOAD_ID: list[dict[str, Any]] = [{
    "name": "upload_id", "in": "path", "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": ID_MAX_LENGTH},
}]
_REFUSALS = (400, ("invalid_request", "upload_refused"))


def upload_url_request() -> Schema:
    schema = body_schema(URL_BODY, "A file songgate fetches.", [],
                         {"url": "https://files.example.com/song.mp3"})
    schema["required"] = ["url"]
    if not schema["allOf"]:
        del schema["allOf"]
    return schema


def upload_url() -> RouteDoc:
    return RouteDoc(
        operation_id="upload_audio_url",
        summary="Upload audio from a URL: a clip of the caller's",
        description=(
            "songgate fetches `url` (public addresses only, in any spelling, through every "
            "redirect; the operator may allow private networks with "
            "SONGGATE_UPLOAD_ALLOWED_NETWORKS), at most SONGGATE_UPLOAD_MAX_BYTES, decodes it "
            "with ffmpeg (any format it reads) and answers the clip at once: "
            "`metadata.type` \"upload\", its MP3 and WAV served like any clip's, the one clip "
            "of a finished UPLOAD task. Not audio, longer than 8 minutes, too big, empty or "
            "silent, or a URL songgate may not fetch: 400 `upload_refused` naming the "
            "problem, nothing stored. Price key `UPLOAD`."),
        responses={**success(_CLIP, "The uploaded clip."),
                   **caller_errors(_REFUSALS, (403, ("account_disabled", "quota_not_enough")),
                                   (413, ("request_too_large",)))},
        openapi_extra={"security": TOKEN, **body(upload_url_request())},
    )


def begin_upload() -> RouteDoc:
    return RouteDoc(
        operation_id="begin_upload",
        summary="Begin a file upload",
        description=(
            "Answers the upload's id and the URL its bytes go to (`PUT` the file as the "
            "body, or `POST` a multipart form with the file as its `file` field; `fields` "
            "is empty, `method` names the simplest). The id lapses after an hour. Then "
            "`POST /suno/uploads/audio/{id}/upload-finish` answers the clip."),
        responses={**success(_TARGET, "Where the file goes."),
                   **caller_errors((400, ("invalid_request", "prompt_empty")),
                                   (413, ("request_too_large",)))},
        openapi_extra={"security": TOKEN, **body(body_schema(
            FILE_BODY, "The file's type.", [], {"extension": "mp3"}))},
    )


_RECEIVED: Schema = {"type": "object", "required": ["id", "status"], "properties": {
    "id": _ID, "status": {"const": "uploaded"}}}


def _receive_errors() -> dict[int | str, dict[str, Any]]:
    return errors(_REFUSALS, (403, ("quota_not_enough",)), (404, ("upload_not_exist",)),
                  (500, ("internal_error",)), (503, ("service_unavailable",)))


def upload_file() -> RouteDoc:
    return RouteDoc(
        operation_id="upload_file",
        summary="Send an upload's file",
        description=(
            "`PUT` or `POST`. The body is the file, or a multipart/form-data form with the "
            "file as its `file` field (other fields are read past), as a presigned POST "
            "takes it. The file is at most SONGGATE_UPLOAD_MAX_BYTES (a form, that and "
            "64 KiB). The upload's id is the key, as a presigned URL's signature is: no "
            "token. The file is checked and made into the clip at once; a refused file "
            "(400 `upload_refused` naming the problem) leaves the upload waiting for "
            "another."),
        responses={**success(_RECEIVED, "The file was taken."), **_receive_errors()},
        openapi_extra={"security": PUBLIC, "parameters": _UPLOAD_ID, "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}}}},
            }}},
    )


def finish_upload() -> RouteDoc:
    return RouteDoc(
        operation_id="finish_upload",
        summary="Finish a file upload: its clip",
        description=("The clip the upload's file became. Before the file arrived: 400; an "
                     "id of another account's: 404."),
        responses={**success(_CLIP, "The uploaded clip."),
                   **caller_errors(_REFUSALS, (404, ("upload_not_exist",)))},
        openapi_extra={"security": TOKEN, "parameters": _UPLOAD_ID},
    )
