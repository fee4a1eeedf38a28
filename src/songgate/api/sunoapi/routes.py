"""``/api/v1/...``: sunoapi.org's routes over songgate's tasks, tokens and credits.

Every answer is ``{"code": 200, "msg": "success", "data": ...}``; errors take the
dialect's codes in :mod:`songgate.api.sunoapi.errors`.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.body import read_json
from songgate.api.caller import token_caller
from songgate.api.sunoapi import docs
from songgate.api.sunoapi.action_routes import add_action_routes
from songgate.api.sunoapi.add_part_routes import add_part_routes
from songgate.api.sunoapi.cover_routes import add_cover_routes
from songgate.api.sunoapi.replace_section_routes import add_replace_section_route
from songgate.api.sunoapi.upload_extend_routes import add_upload_extend_route
from songgate.api.sunoapi.vocal_removal_routes import add_vocal_removal_routes
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.service.sunoapi_add_parts import SunoApiAddParts
from songgate.service.sunoapi_cover import SunoApiCover
from songgate.service.sunoapi_upload_extend import SunoApiUploadExtend
from songgate.service.sunoapi_vocal_removal import SunoApiVocalRemoval
from songgate.wiring import Services


def answer(data: Any) -> Response:
    return Response(content=orjson.dumps({"code": 200, "msg": "success", "data": data}),
                    media_type="application/json")


def sunoapi_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    settings = services.settings
    caller = token_caller(services)
    dialect = services.sunoapi()
    limiter = services.limiter

    async def body_of(request: Request) -> Any:
        return await read_json(request, limit=settings.max_body_bytes)

    @router.post("/generate", **docs.generate())
    async def generate(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await dialect.generate(account, token, body,
                                             await limiter.tasks_in_flight(account),
                                             request.headers.get(TEST_HEADER)))

    @router.post("/generate/extend", **docs.extend())
    async def extend(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await dialect.extend(account, token, body,
                                           await limiter.tasks_in_flight(account),
                                           request.headers.get(TEST_HEADER)))

    @router.get("/generate/record-info", **docs.record_info())
    async def record_info(request: Request) -> Response:
        _, account = await caller(request)
        return answer(await dialect.record(account, request.query_params.get("taskId")))

    @router.post("/lyrics", **docs.lyrics())
    async def lyrics(request: Request) -> Response:
        token, account = await caller(request)
        body = await body_of(request)
        return answer(await dialect.lyrics(account, token, body,
                                           await limiter.tasks_in_flight(account),
                                           request.headers.get(TEST_HEADER)))

    @router.get("/lyrics/record-info", **docs.lyrics_record_info())
    async def lyrics_record_info(request: Request) -> Response:
        _, account = await caller(request)
        return answer(await dialect.lyrics_record(account, request.query_params.get("taskId")))

    @router.get("/generate/credit", **docs.credit())
    async def credit(request: Request) -> Response:
        _, account = await caller(request)
        return answer(await dialect.credit(account))

    @router.post("/generate/get-timestamped-lyrics", **docs.timestamped_lyrics())
    async def timestamped_lyrics(request: Request) -> Response:
        _, account = await caller(request)
        body = await body_of(request)
        return answer(await dialect.timestamped_lyrics(account, body))

    def file_routes(kind: str) -> None:
        @router.post(f"/{kind}/generate", **docs.file_generate(kind))
        async def file_generate(request: Request) -> Response:
            _, account = await caller(request)
            body = await body_of(request)
            return answer(await dialect.file_task(account, kind, body))

        @router.get(f"/{kind}/record-info", **docs.file_record_info(kind))
        async def file_record_info(request: Request) -> Response:
            _, account = await caller(request)
            return answer(await dialect.file_record(account, kind,
                                                    request.query_params.get("taskId")))

    for kind in ("wav", "mp4"):
        file_routes(kind)
    add_action_routes(router, services.sunoapi_actions(dialect), caller, body_of, answer)
    add_vocal_removal_routes(router, SunoApiVocalRemoval(dialect, services.task_service),
                             caller, limiter, body_of, answer)
    add_part_routes(router, SunoApiAddParts(services.task_service, services.uploads), caller,
                    limiter, body_of, answer)
    add_upload_extend_route(router, SunoApiUploadExtend(services.task_service, services.uploads),
                            caller, limiter, body_of, answer)
    add_replace_section_route(router, services.sunoapi_replace_section(), caller, limiter,
                              body_of, answer)
    add_cover_routes(router, SunoApiCover(services.task_service, services.uploads), caller,
                     limiter, body_of, answer)
    return router
