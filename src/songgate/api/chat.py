"""``POST /v1/chat/completions`` and ``GET /v1/models``: songs from any OpenAI client.

The last user message is a song request; the answer (streamed as server-sent chunks, or
whole) reports the task's progress and ends with the song in markdown. Same tokens,
credits and limits as the task routes; ``X-Songgate-Test-Outcome`` works here too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from songgate.api import openapi_chat as docs
from songgate.api.body import read_json
from songgate.api.caller import token_caller
from songgate.domain.chat import (
    chunk,
    completion,
    models_list,
    parse_chat,
    progress_line,
    song_markdown,
)
from songgate.domain.test_mode import HEADER as TEST_HEADER
from songgate.service.chat import ChatSongs
from songgate.wiring import Services

POLL_SECONDS = 0.25
JSON = "application/json"


def _event(data: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(data) + b"\n\n"


def chat_router(services: Services) -> APIRouter:
    router = APIRouter(prefix="/v1")
    caller = token_caller(services)
    clock = services.clock
    songs = ChatSongs(services.task_service, clock, poll_seconds=POLL_SECONDS,
                      max_wait=services.settings.task_timeout_seconds + 30)

    @router.post("/chat/completions", **docs.chat_completions())
    async def chat_completions(request: Request) -> Response:
        token, account = await caller(request)
        asked = parse_chat(await read_json(request, limit=services.settings.max_body_bytes))
        task_id = await songs.start(
            account, asked, token_id=token.id,
            in_flight_limit=await services.limiter.tasks_in_flight(account),
            test_header=request.headers.get(TEST_HEADER))
        created = int(clock.now())
        opening = f"Making your song (task {task_id}).\n"

        if not asked.stream:
            last: dict[str, Any] = {}
            async for task in songs.follow(account, task_id):
                last = task
            content = opening + song_markdown(last)
            return Response(orjson.dumps(completion(task_id, asked.model, created, content)),
                            media_type=JSON)

        async def events() -> AsyncIterator[bytes]:
            yield _event(chunk(task_id, asked.model, created, content=opening, role=True))
            last: dict[str, Any] = {}
            async for task in songs.follow(account, task_id):
                last = task
                if task.get("status") not in ("SUCCESS", "FAILURE"):
                    yield _event(chunk(task_id, asked.model, created,
                                       content=progress_line(task)))
            yield _event(chunk(task_id, asked.model, created, content=song_markdown(last)))
            yield _event(chunk(task_id, asked.model, created, finish=True))
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache"})

    @router.get("/models", **docs.list_models())
    async def models(request: Request) -> Response:
        await caller(request)
        return Response(orjson.dumps(models_list(int(clock.now()))), media_type=JSON)

    return router
