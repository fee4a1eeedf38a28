"""songgate's own read routes: what the Suno API cannot ask, such as "my latest tasks"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import openapi as docs
from songgate.api.caller import token_caller
from songgate.api.envelope import raw_success
from songgate.wiring import Services


def songgate_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/songgate")
    caller = token_caller(services)
    listing = services.listing

    @router.get("/tasks", **docs.list_tasks())
    async def list_tasks(request: Request) -> Response:
        _, account = await caller(request)
        return raw_success(await listing.page(account, request.query_params.multi_items()))

    return router
