"""``/suno/act/...``: what a client can ask of a finished clip (timed lyrics, WAV, MP4,
MIDI)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import clip_action_docs as docs
from songgate.api.caller import token_caller
from songgate.api.envelope import success
from songgate.domain.status import Action
from songgate.domain.stems import CLIP_ID, GROUP, parse_group
from songgate.errors import InvalidRequest
from songgate.wiring import Services


def clip_actions_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/suno/act")
    caller = token_caller(services)

    @router.get("/timing/{clip_id}", **docs.clip_timing())
    async def timing(clip_id: str, request: Request) -> Response:
        _, account = await caller(request)
        return success(await services.clip_actions.timing(account, clip_id))

    def file_route(kind: str) -> None:
        @router.get(f"/{kind}/{{clip_id}}", **docs.clip_file(kind))
        async def clip_file(clip_id: str, request: Request) -> Response:
            token, account = await caller(request)
            return success(await services.clip_actions.file_url(account, clip_id, kind,
                                                                token_id=token.id))

    for kind in ("wav", "mp4", "midi"):
        file_route(kind)

    @router.get("/stems/{clip_id}", **docs.clip_stems())
    async def stems(clip_id: str, request: Request) -> Response:
        token, account = await caller(request)
        unknown = set(request.query_params) - {GROUP.name}
        if unknown:
            raise InvalidRequest(f"unknown query parameter {sorted(unknown)[0][:32]!r}")
        group = parse_group(request.query_params.get(GROUP.name, "")[:32])
        found = await services.stems.existing(account, clip_id, group)
        if found is not None:
            return success(found)
        body = {CLIP_ID.name: clip_id, GROUP.name: group}
        return success(await services.task_service.submit(
            account, Action.STEM, body, token_id=token.id,
            in_flight_limit=await services.limiter.tasks_in_flight(account)))

    return router
