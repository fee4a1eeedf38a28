"""``POST /suno/persona/create/``: a clip's singer and style kept as a persona;
``GET /suno/persona/{id}`` and ``GET /suno/persona``: one persona, and the account's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import openapi_personas as docs
from songgate.api.body import read_json
from songgate.api.caller import token_caller
from songgate.api.envelope import success
from songgate.wiring import Services


def persona_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/suno")
    caller = token_caller(services)

    async def create(request: Request) -> Response:
        _, account = await caller(request)
        body = await read_json(request, limit=services.settings.max_body_bytes)
        return success(await services.personas.create(account, body))

    # gateways document the path with its slash; both are the one operation
    router.add_api_route("/persona/create/", create, methods=["POST"], **docs.create_persona())
    router.add_api_route("/persona/create", create, methods=["POST"],
                         **docs.create_persona(slash=False))

    @router.get("/persona", **docs.list_personas())
    async def listed(request: Request) -> Response:
        _, account = await caller(request)
        limit = docs.list_limit(request.query_params.get("limit"))
        return success(await services.personas.of_account(account, limit))

    @router.get("/persona/{persona_id}", **docs.get_persona())
    async def one(persona_id: str, request: Request) -> Response:
        _, account = await caller(request)
        return success(await services.personas.get(account, persona_id))
    return router
