"""``POST /api/v1/generate/replace-section``: a span of a clip recomposed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.openapi import RouteDoc
from songgate.api.openapi_schemas import Schema
from songgate.api.sunoapi.docs import TASK_ID, _answers, _doc, _request
from songgate.domain.infill import MAX_SPAN_SECONDS, MIN_SPAN_SECONDS
from songgate.domain.test_mode import HEADER
from songgate.service.limits import RateLimiter
from songgate.service.sunoapi_replace_section import SunoApiReplaceSection

BodyOf = Callable[[Request], Awaitable[Any]]
_SECONDS: Schema = {"type": "number", "minimum": 0, "maximum": 3600}
REPLACE_SECTION: Schema = {"type": "object", "required": ["audioId", "infillStartS",
                                                          "infillEndS"], "properties": {
    "taskId": {"type": "string", "maxLength": 128},
    "audioId": {"type": "string", "minLength": 1, "maxLength": 128,
                "description": "The clip whose span is replaced (the caller's, complete)."},
    "prompt": {"type": "string", "maxLength": 5000,
               "description": "The lyrics the span sings (empty: an instrumental span)."},
    "tags": {"type": "string", "maxLength": 1000,
             "description": "Style; the clip's own (or, for an upload, what is heard) "
                            "when empty. Key and tempo are always the clip's."},
    "title": {"type": "string", "maxLength": 100}, "negativeTags": {"type": "string",
                                                                    "maxLength": 1000},
    "infillStartS": {**_SECONDS, "description": "Where the span starts (snapped to the "
                                                "nearest bar line)."},
    "infillEndS": {**_SECONDS, "description": (
        f"Where it ends: {MIN_SPAN_SECONDS:g} to {MAX_SPAN_SECONDS:g} s after "
        "infillStartS, at most half the clip, within it.")},
    "callBackUrl": {"type": "string", "maxLength": 2048},
}}


def replace_section_doc() -> RouteDoc:
    return _doc("sunoapi_replace_section", "Replace a section of a clip (sunoapi.org dialect)",
                "A MUSIC task: the whole song again, with the span recomposed to the new "
                "lyrics in the clip's key and tempo, snapped to bar lines and crossfaded "
                "in at both ends. A span outside the rules is refused (400), uncharged.",
                _answers(TASK_ID, "The new task's id.", 400, 413, 429),
                _request(REPLACE_SECTION))


def add_replace_section_route(router: APIRouter, service: SunoApiReplaceSection,
                              caller: Caller, limiter: RateLimiter, body_of: BodyOf,
                              answer: Callable[[Any], Response]) -> None:
    @router.post("/generate/replace-section", **replace_section_doc())
    async def replace_section(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await service.replace_section(account, token, body,
                                                    await limiter.tasks_in_flight(account),
                                                    request.headers.get(HEADER)))
