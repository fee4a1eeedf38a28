"""Songs asked for in a chat: a MUSIC task in description mode, followed until it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import orjson

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.chat import ChatRequest
from songgate.domain.status import Action
from songgate.service.tasks import TaskService

TERMINAL = ("SUCCESS", "FAILURE")


class ChatSongs:
    """Submits the chat's song request and reports the task each time it changes.

    ``poll_seconds``: how often the task is read while it runs; ``max_wait``: how long one
    answer follows it (the task's own deadline, and a little more).
    """

    def __init__(self, tasks: TaskService, clock: Clock, *, poll_seconds: float,
                 max_wait: float) -> None:
        self._tasks = tasks
        self._clock = clock
        self._poll = poll_seconds
        self._max_wait = max_wait

    async def start(self, account: Account, request: ChatRequest, *, token_id: str,
                    in_flight_limit: int, test_header: str | None) -> str:
        """The task's id once it is committed (charged and counted like any submit)."""
        body = {"gpt_description_prompt": request.description, "mv": request.mv}
        return await self._tasks.submit(account, Action.MUSIC, body, token_id=token_id,
                                        in_flight_limit=in_flight_limit,
                                        test_header=test_header)

    async def follow(self, account: Account, task_id: str) -> AsyncIterator[dict[str, Any]]:
        """The task (its TaskDto) at each change of status or progress, the last one ended.

        Past ``max_wait`` the last state is given as a failure telling where to look.
        """
        give_up = self._clock.now() + self._max_wait
        seen: tuple[Any, Any] | None = None
        while True:
            envelope = orjson.loads(await self._tasks.fetch_one(account, task_id))
            task: dict[str, Any] = envelope["data"]
            state = (task.get("status"), task.get("progress"))
            if state != seen or task.get("status") in TERMINAL:
                seen = state
                yield task
            if task.get("status") in TERMINAL:
                return
            if self._clock.now() >= give_up:
                yield {**task, "status": "FAILURE",
                       "fail_reason": f"still running; fetch task {task_id} for the song"}
                return
            await asyncio.sleep(self._poll)
