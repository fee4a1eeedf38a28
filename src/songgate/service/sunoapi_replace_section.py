"""sunoapi.org's replace-section over a gateway MUSIC submit with a span to replace."""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.status import Action
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.domain.sunoapi.replace_section import replace_section_body, span_of
from songgate.domain.sunoapi.requests import SourceClip, audio_id
from songgate.errors import InvalidRequest
from songgate.service.tasks import TaskService
from songgate.store.tasks import TaskStore


class SunoApiReplaceSection:
    def __init__(self, tasks: TaskService, store: TaskStore) -> None:
        self._tasks = tasks
        self._store = store

    async def replace_section(self, account: Account, token: TokenRecord, body: Any,
                              in_flight_limit: int,
                              test_header: str | None = None) -> dict[str, str]:
        span_of(body)  # the span's own rules first: nothing looked up for a bad one
        clip_id = audio_id(body)
        task = await self._store.clip_task(account.id, clip_id)
        if task is None:
            raise InvalidRequest("audioId does not name a clip of this account")
        clip = next(c for c in task.data if c["id"] == clip_id)
        metadata = clip.get("metadata") or {}
        source = SourceClip(mv=task.mv, title=clip.get("title") or "",
                            tags=metadata.get("tags") or "",
                            duration=float(metadata.get("duration") or 0),
                            instrumental=False)
        task_id = await self._tasks.submit(account, Action.MUSIC,
                                           replace_section_body(body, source),
                                           token_id=token.id, in_flight_limit=in_flight_limit,
                                           callback_dialect=SUNOAPI, test_header=test_header)
        return {"taskId": task_id}
