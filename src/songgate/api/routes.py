"""The Suno task routes: submit, batch fetch, fetch by id."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import openapi as docs
from songgate.api.body import read_json, read_request_body
from songgate.api.caller import token_caller
from songgate.api.envelope import raw_success, success
from songgate.api.protocol import ARRIVED_NS
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.errors import ActionNotSupported
from songgate.wiring import Services


def suno_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/suno")
    settings = services.settings

    limiter = services.limiter
    caller = token_caller(services)

    async def account_of(request: Request) -> Account:
        return (await caller(request))[1]

    # documented as the two operations clients call: docs.submit_paths()
    @router.post("/submit/{action}", include_in_schema=False)
    async def submit(action: str, request: Request) -> Response:
        token, account = await caller(request)
        parsed = Action.parse(action)
        if parsed is None:
            shown = action if len(action) <= 32 else action[:32] + "…"
            raise ActionNotSupported(
                f"unknown action {shown!r}; accepted actions: music, lyrics, concat"
            )
        body = await read_json(request, limit=settings.max_body_bytes)
        return success(await services.task_service.submit(
            account, parsed, body, token_id=token.id,
            in_flight_limit=await limiter.tasks_in_flight(account),
            test_header=request.headers.get(TEST_HEADER),
        ))

    @router.post("/fetch", **docs.fetch_tasks(settings.fetch_max_ids))
    async def fetch(request: Request) -> Response:
        account = await account_of(request)
        body = await read_request_body(request, limit=settings.max_body_bytes)
        return raw_success(await services.task_service.fetch_body(
            account, body, asked_ns=request.scope.get(ARRIVED_NS)))

    @router.get("/fetch/{task_id}", **docs.fetch_task())
    async def fetch_one(task_id: str, request: Request) -> Response:
        account = await account_of(request)
        return raw_success(await services.task_service.fetch_one(
            account, task_id, asked_ns=request.scope.get(ARRIVED_NS)))

    return router
