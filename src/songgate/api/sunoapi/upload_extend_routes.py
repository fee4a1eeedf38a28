"""``POST /api/v1/generate/upload-extend``: upload audio by URL, then extend it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.openapi import RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.api.sunoapi.docs import GENERATE, TASK_ID, _answers, _doc, _request
from songgate.domain.sunoapi.upload_extend import URL_MAX
from songgate.domain.test_mode import HEADER
from songgate.domain.uploads import MAX_SECONDS
from songgate.service.limits import RateLimiter
from songgate.service.sunoapi_upload_extend import SunoApiUploadExtend

BodyOf = Callable[[Request], Awaitable[Any]]

UPLOAD_EXTEND: Schema = {**GENERATE, "required": ["uploadUrl"], "properties": {
    "uploadUrl": {"type": "string", "minLength": 1, "maxLength": URL_MAX, "description": (
        f"The audio to extend (any format ffmpeg reads, at most {MAX_SECONDS // 60} minutes), "
        "fetched under the upload rules: public hosts only.")},
    "continueAt": {"type": "number", "minimum": 0,
                   "description": "Seconds into the upload where the new part starts (at "
                                  "the nearest bar line); absent: its end."},
    **GENERATE["properties"],
}}


def upload_extend_doc() -> RouteDoc:
    return _doc("sunoapi_upload_extend", "Upload audio and extend it (sunoapi.org dialect)",
                "The file at `uploadUrl` becomes an upload clip of the account (priced as "
                "an UPLOAD), then a MUSIC task continues it in its heard tempo, key and "
                "style (or `style`), joined at a bar line at the upload's own loudness.",
                _answers(TASK_ID, "The extension task's id.", 400, 404, 413, 429),
                _request(UPLOAD_EXTEND))


def add_upload_extend_route(router: APIRouter, service: SunoApiUploadExtend, caller: Caller,
                            limiter: RateLimiter, body_of: BodyOf,
                            answer: Callable[[Any], Response]) -> None:
    @router.post("/generate/upload-extend", **upload_extend_doc())
    async def upload_extend(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await service.upload_extend(account, token, body,
                                                  await limiter.tasks_in_flight(account),
                                                  request.headers.get(HEADER)))
