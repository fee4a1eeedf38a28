"""``/api/v1/midi/...`` and ``/api/v1/generate/generate-persona``: clip actions in the dialect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api.caller import Caller
from songgate.api.sunoapi import docs
from songgate.service.sunoapi_actions import SunoApiActions

BodyOf = Callable[[Request], Awaitable[Any]]


def add_action_routes(router: APIRouter, actions: SunoApiActions, caller: Caller,
                      body_of: BodyOf, answer: Callable[[Any], Response]) -> None:
    @router.post("/midi/generate", **docs.midi_generate())
    async def midi_generate(request: Request) -> Response:
        _, account = await caller(request)
        body = await body_of(request)
        return answer(await actions.midi(account, body))

    @router.get("/midi/record-info", **docs.midi_record_info())
    async def midi_record_info(request: Request) -> Response:
        _, account = await caller(request)
        return answer(await actions.midi_record(account, request.query_params.get("taskId")))

    @router.post("/generate/generate-persona", **docs.generate_persona())
    async def generate_persona(request: Request) -> Response:
        _, account = await caller(request)
        body = await body_of(request)
        return answer(await actions.persona(account, body))
