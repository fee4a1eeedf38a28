"""sunoapi.org's upload-cover: the file is uploaded as any upload (``/suno/uploads/audio-url``:
the same address rules, bounds and price), then covered by a MUSIC task (``cover_clip_id``).

The cover's body is checked before anything is fetched, so a refused body stores nothing;
a cover refused after the upload (a limit reached meanwhile) leaves the upload, a clip of
the account, in place.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.status import Action
from songgate.domain.submit import parse_music
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.domain.sunoapi.upload_cover import upload_cover_body
from songgate.service.tasks import TaskService
from songgate.service.uploads import UploadService

UNNAMED = "00000000-0000-4000-8000-000000000000"  # stands for the upload's clip in the check


class SunoApiCover:
    def __init__(self, tasks: TaskService, uploads: UploadService) -> None:
        self._tasks = tasks
        self._uploads = uploads

    async def upload_cover(self, account: Account, token: TokenRecord, body: Any,
                           in_flight_limit: int, test_header: str | None = None
                           ) -> dict[str, str]:
        url, music = upload_cover_body(body)
        parse_music({**music, "cover_clip_id": UNNAMED})  # refused before any fetch
        made = await self._uploads.from_url(account, {"url": url})
        task_id = await self._tasks.submit(
            account, Action.MUSIC, {**music, "cover_clip_id": made["clip_id"]},
            token_id=token.id, in_flight_limit=in_flight_limit, callback_dialect=SUNOAPI,
            test_header=test_header)
        return {"taskId": task_id}
