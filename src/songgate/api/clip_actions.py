"""``/suno/act/...``: what a client can ask of a finished clip (timed lyrics, WAV, MP4,
MIDI)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from songgate.api import clip_action_docs as docs
from songgate.api.caller import token_caller
from songgate.api.envelope import success
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
    return router
