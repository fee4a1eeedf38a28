"""sunoapi.org's add-vocals and add-instrumental: the ``uploadUrl`` uploaded, then the
part submitted for the clip it became, as a gateway MUSIC task in the dialect's callbacks.

The body is checked in full before anything is fetched, so a refused request uploads
and charges nothing; the upload is priced as any upload, the part as MUSIC.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.add_parts import parse_add_part
from songgate.domain.status import Action
from songgate.domain.sunoapi.add_parts import add_part_body, upload_url
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.service.tasks import TaskService
from songgate.service.uploads import UploadService


class SunoApiAddParts:
    def __init__(self, tasks: TaskService, uploads: UploadService) -> None:
        self._tasks = tasks
        self._uploads = uploads

    async def submit(self, account: Account, token: TokenRecord, task: str, body: Any,
                     in_flight_limit: int, test_header: str | None = None) -> dict[str, str]:
        parse_add_part(add_part_body(body, task))  # every refusal of the body, first
        made = await self._uploads.from_url(account, {"url": upload_url(body)})
        task_id = await self._tasks.submit(
            account, Action.MUSIC, add_part_body(body, task, str(made["clip_id"])),
            token_id=token.id, in_flight_limit=in_flight_limit, callback_dialect=SUNOAPI,
            test_header=test_header)
        return {"taskId": task_id}
