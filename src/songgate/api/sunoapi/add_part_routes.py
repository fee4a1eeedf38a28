"""``/api/v1/generate/add-vocals`` and ``/add-instrumental``: a part for audio at a URL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.openapi import RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.api.sunoapi import docs
from songgate.domain.add_parts import ADD_VOCALS
from songgate.domain.sunoapi.add_parts import TASK_OF_PATH
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.service.limits import RateLimiter
from songgate.service.sunoapi_add_parts import SunoApiAddParts

BodyOf = Callable[[Request], Awaitable[Any]]

ADD_PART: Schema = {"type": "object", "required": ["uploadUrl"], "properties": {
    "uploadUrl": {"type": "string", "minLength": 1, "maxLength": 2048,
                  "description": "The audio (any format ffmpeg reads, at most 8 minutes), "
                                 "fetched under the upload rules (public hosts only)."},
    "prompt": {"type": "string", "maxLength": 5000,
               "description": "add-vocals: the lyrics to sing (required)."},
    "style": {"type": "string"}, "tags": {"type": "string"}, "title": {"type": "string"},
    "negativeTags": {"type": "string"}, "model": docs._MODEL,
    "callBackUrl": {"type": "string"}, **docs._KNOB_PROPERTIES,
}}


def _doc(path: str, task: str) -> RouteDoc:
    what = ("sings `prompt` over it (an instrumental)" if task == ADD_VOCALS
            else "plays a band in the style of `style` under it (a vocal)")
    return docs._doc(f"sunoapi_{task}", f"{path.replace('-', ' ').capitalize()} "
                     "(sunoapi.org dialect)",
                     f"Uploads `uploadUrl` (priced as an upload), then {what}: a MUSIC task "
                     "of two clips as long as the upload, read at `/generate/record-info`.",
                     docs._answers(docs.TASK_ID, "The new task's id.", 400, 404, 413, 429),
                     docs._request(ADD_PART))


def add_part_routes(router: APIRouter, adder: SunoApiAddParts, caller: Caller,
                    limiter: RateLimiter, body_of: BodyOf,
                    answer: Callable[[Any], Response]) -> None:
    for path, task in TASK_OF_PATH.items():
        _route(router, path, task, adder, caller, limiter, body_of, answer)


def _route(router: APIRouter, path: str, task: str, adder: SunoApiAddParts, caller: Caller,
           limiter: RateLimiter, body_of: BodyOf, answer: Callable[[Any], Response]) -> None:
    @router.post(f"/generate/{path}", **_doc(path, task))
    async def add_part(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await adder.submit(account, token, task, body,
                                         await limiter.tasks_in_flight(account),
                                         request.headers.get(TEST_HEADER)))
