"""sunoapi.org's vocal removal over songgate's STEM tasks.

``/vocal-removal/generate`` submits the gateway's ``gen_stem`` music task for ``audioId``
of ``taskId`` (same validation, price ``STEM``, limits), its ``callBackUrl`` told in the
dialect when the stems are made; ``/vocal-removal/record-info`` reads any STEM task of
the caller's, whichever dialect made it.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.fields import require_object
from songgate.domain.status import Action
from songgate.domain.sunoapi import requests as dialect
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.domain.sunoapi.vocal_removal import stem_body, vocal_removal_record
from songgate.errors import TaskNotExist
from songgate.service.sunoapi import SunoApiService
from songgate.service.tasks import TaskService


class SunoApiVocalRemoval:
    def __init__(self, dialect_service: SunoApiService, tasks: TaskService) -> None:
        self._dialect = dialect_service
        self._tasks = tasks

    async def generate(self, account: Account, token: TokenRecord, raw: Any,
                       in_flight_limit: int) -> dict[str, str]:
        """The STEM task splitting ``audioId`` of ``taskId``: ``{taskId}``."""
        body = require_object(raw)
        dialect.task_id(body.get("taskId"))  # required, as the dialect's is
        clip_id = await self._dialect.clip_of(account, body)
        task_id = await self._tasks.submit(account, Action.MUSIC, stem_body(body, clip_id),
                                           token_id=token.id, in_flight_limit=in_flight_limit,
                                           callback_dialect=SUNOAPI)
        return {"taskId": task_id}

    async def record(self, account: Account, task_id: Any) -> dict[str, Any]:
        """``/vocal-removal/record-info`` of one of the caller's STEM tasks."""
        task = await self._dialect.task(account, task_id)
        if task.action is not Action.STEM:
            raise TaskNotExist("this taskId is not a vocal removal task: read "
                               "/api/v1/generate/record-info")
        return vocal_removal_record(task)
