"""``/api/v1/vocal-removal/...``: the dialect's stems, over songgate's STEM tasks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.sunoapi import vocal_removal_docs as docs
from songgate.service.limits import RateLimiter
from songgate.service.sunoapi_vocal_removal import SunoApiVocalRemoval

BodyOf = Callable[[Request], Awaitable[Any]]


def add_vocal_removal_routes(router: APIRouter, removal: SunoApiVocalRemoval, caller: Caller,
                             limiter: RateLimiter, body_of: BodyOf,
                             answer: Callable[[Any], Response]) -> None:
    @router.post("/vocal-removal/generate", **docs.generate())
    async def vocal_removal_generate(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await removal.generate(account, token, body,
                                             await limiter.tasks_in_flight(account)))

    @router.get("/vocal-removal/record-info", **docs.record_info())
    async def vocal_removal_record_info(request: Request) -> Response:
        _, account = await caller(request)
        return answer(await removal.record(account, request.query_params.get("taskId")))
