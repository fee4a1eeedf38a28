"""sunoapi.org's upload-extend: the upload service makes the clip, the task service the
extension. The body is read before anything is fetched, so a bad one costs nothing; an
upload whose extension is then refused (its continueAt beyond the audio, no credits)
stays a clip of the account, as any upload."""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.status import Action
from songgate.domain.submit import parse_music
from songgate.domain.sunoapi import upload_extend as dialect
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.service.tasks import TaskService
from songgate.service.uploads import UploadService

PLACEHOLDER_CLIP = "00000000-0000-0000-0000-000000000000"


class SunoApiUploadExtend:
    def __init__(self, tasks: TaskService, uploads: UploadService) -> None:
        self._tasks = tasks
        self._uploads = uploads

    async def upload_extend(self, account: Account, token: TokenRecord, body: Any,
                            in_flight_limit: int,
                            test_header: str | None = None) -> dict[str, str]:
        url = dialect.upload_url(body)
        at = dialect.continue_at(body)
        parse_music(dialect.upload_extend_body(body, PLACEHOLDER_CLIP, at or 0.0))
        made = await self._uploads.from_url(account, {"url": url})
        music = dialect.upload_extend_body(body, str(made["clip_id"]),
                                           float(made.get("duration") or 0.0))
        task_id = await self._tasks.submit(account, Action.MUSIC, music, token_id=token.id,
                                           in_flight_limit=in_flight_limit,
                                           callback_dialect=SUNOAPI, test_header=test_header)
        return {"taskId": task_id}
