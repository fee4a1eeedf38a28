"""``/api/v1/generate/upload-cover``: the dialect's cover of an uploaded file."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.openapi import RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.api.sunoapi.docs import GENERATE, TASK_ID, _answers, _doc, _request
from songgate.domain.sunoapi.upload_cover import URL_MAX
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.service.limits import RateLimiter
from songgate.service.sunoapi_cover import SunoApiCover

BodyOf = Callable[[Request], Awaitable[Any]]

UPLOAD_COVER: Schema = {
    **GENERATE, "required": ["uploadUrl"],
    "properties": {
        "uploadUrl": {"type": "string", "minLength": 1, "maxLength": URL_MAX,
                      "description": "The audio to cover (any format ffmpeg decodes, at most "
                                     "eight minutes; public addresses only)."},
        **GENERATE["properties"],
    },
}


def upload_cover_doc() -> RouteDoc:
    return _doc("sunoapi_upload_cover", "Cover an uploaded file (sunoapi.org dialect)",
                "`uploadUrl` is uploaded as `POST /suno/uploads/audio-url` does (price key "
                "`UPLOAD`), then covered as `cover_clip_id` on `/suno/submit/music`: the "
                "same song in `style`, with the lyrics of `prompt` (custom mode), words "
                "written from `prompt` as a description, or as an instrumental; price key "
                "`MUSIC`.",
                _answers(TASK_ID, "The cover's task id.", 400, 404, 413, 429),
                _request(UPLOAD_COVER))


def add_cover_routes(router: APIRouter, cover: SunoApiCover, caller: Caller,
                     limiter: RateLimiter, body_of: BodyOf,
                     answer: Callable[[Any], Response]) -> None:
    @router.post("/generate/upload-cover", **upload_cover_doc())
    async def upload_cover(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await cover.upload_cover(account, token, body,
                                               await limiter.tasks_in_flight(account),
                                               request.headers.get(TEST_HEADER)))
