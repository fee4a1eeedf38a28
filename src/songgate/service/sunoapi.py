"""sunoapi.org's dialect over songgate's tasks, credits and clip actions.

Submits are translated into songgate's own bodies and go through the same
:class:`TaskService` (validation, pricing, limits, routing); reads render the stored
task in the dialect's shape. The dialect's WAV and MP4 "tasks" are answered at once:
their id names the clip (``wav-<clip id>``), so reading one needs no record.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account, TokenRecord
from songgate.domain.status import Action, TaskStatus
from songgate.domain.sunoapi import requests as dialect
from songgate.domain.sunoapi.callbacks import SUNOAPI
from songgate.domain.sunoapi.records import date_time, lyrics_record, music_record
from songgate.domain.task import Task
from songgate.errors import ClipNotExist, InvalidRequest, TaskNotExist
from songgate.service.clip_actions import ClipActions
from songgate.service.tasks import TaskService
from songgate.store.credits import CreditStore
from songgate.store.tasks import TaskStore

FILE_KINDS = ("wav", "mp4")
_FILE_FIELDS = {"wav": "audioWavUrl", "mp4": "videoUrl"}


class SunoApiService:
    def __init__(self, tasks: TaskService, store: TaskStore, credits: CreditStore,
                 clip_actions: ClipActions) -> None:
        self._tasks = tasks
        self._store = store
        self._credits = credits
        self._clips = clip_actions

    async def _submit(self, account: Account, token: TokenRecord, action: Action,
                      body: dict[str, Any], in_flight_limit: int,
                      test_header: str | None) -> dict[str, str]:
        task_id = await self._tasks.submit(account, action, body, token_id=token.id,
                                           in_flight_limit=in_flight_limit,
                                           callback_dialect=SUNOAPI, test_header=test_header)
        return {"taskId": task_id}

    async def generate(self, account: Account, token: TokenRecord, body: Any,
                     in_flight_limit: int, test_header: str | None = None) -> dict[str, str]:
        return await self._submit(account, token, Action.MUSIC, dialect.generate_body(body),
                                  in_flight_limit, test_header)

    async def extend(self, account: Account, token: TokenRecord, body: Any,
                     in_flight_limit: int, test_header: str | None = None) -> dict[str, str]:
        if not isinstance(body, dict):
            raise InvalidRequest("request body must be a JSON object")
        source = await self._source(account, dialect.audio_id(body))
        return await self._submit(account, token, Action.MUSIC,
                                  dialect.extend_body(body, source), in_flight_limit,
                                  test_header)

    async def lyrics(self, account: Account, token: TokenRecord, body: Any,
                     in_flight_limit: int, test_header: str | None = None) -> dict[str, str]:
        return await self._submit(account, token, Action.LYRICS, dialect.lyrics_body(body),
                                  in_flight_limit, test_header)

    async def _source(self, account: Account, clip_id: str) -> dialect.SourceClip:
        task = await self._store.clip_task(account.id, clip_id)
        if task is None:
            raise InvalidRequest("audioId does not name a clip of this account")
        clip = next(c for c in task.data if c["id"] == clip_id)
        request = task.request if isinstance(task.request, dict) else {}
        metadata = clip.get("metadata") or {}
        return dialect.SourceClip(
            mv=task.mv, title=clip.get("title") or "", tags=metadata.get("tags") or "",
            duration=float(metadata.get("duration") or 0),
            instrumental=bool(request.get("make_instrumental")),
        )

    async def task(self, account: Account, task_id: Any) -> Task:
        task = await self._store.get(dialect.task_id(task_id))
        if task is None or task.account_id != account.id:
            raise TaskNotExist("no task with this taskId exists for this account")
        return task

    async def record(self, account: Account, task_id: Any) -> dict[str, Any]:
        """``/generate/record-info``: a task that makes clips (music, extension, concat)."""
        task = await self.task(account, task_id)
        if task.action is Action.LYRICS:
            raise TaskNotExist("this taskId is a lyrics task: read /api/v1/lyrics/record-info")
        return music_record(task)

    async def lyrics_record(self, account: Account, task_id: Any) -> dict[str, Any]:
        task = await self.task(account, task_id)
        if task.action is not Action.LYRICS:
            raise TaskNotExist("this taskId is not a lyrics task: read "
                               "/api/v1/generate/record-info")
        return lyrics_record(task)

    async def credit(self, account: Account) -> int:
        return await self._credits.balance(account.id)

    async def clip_of(self, account: Account, body: Any) -> str:
        """``audioId`` of a clip action's body, checked against ``taskId`` when given."""
        if not isinstance(body, dict):
            raise InvalidRequest("request body must be a JSON object")
        clip_id = dialect.audio_id(body)
        if body.get("taskId") not in (None, ""):
            task = await self.task(account, body.get("taskId"))
            if clip_id not in task.clip_ids:
                raise ClipNotExist("audioId is not a clip of this taskId")
        return clip_id

    async def file_task(self, account: Account, kind: str, body: Any) -> dict[str, str]:
        """``/wav/generate``, ``/mp4/generate``: the file is ready at once (charged here)."""
        clip_id = await self.clip_of(account, body)
        await self._clips.file_url(account, clip_id, kind)
        return {"taskId": f"{kind}-{clip_id}"}

    async def file_record(self, account: Account, kind: str, task_id: Any) -> dict[str, Any]:
        """``/wav/record-info``, ``/mp4/record-info`` of a ``<kind>-<clip id>`` task."""
        name = dialect.task_id(task_id)
        prefix = f"{kind}-"
        if not name.startswith(prefix):
            raise TaskNotExist(f"no {kind} task with this taskId exists for this account")
        clip_id = name[len(prefix):]
        try:
            url = await self._clips.file_url(account, clip_id, kind, charge=False)
        except ClipNotExist:
            raise TaskNotExist(f"no {kind} task with this taskId exists") from None
        task = await self._store.clip_task(account.id, clip_id)
        done = date_time(task.finish_time) if task is not None else None
        ready = "/" in url  # else the id of the FILE task still making it
        return {
            "taskId": name, "musicId": clip_id, "callbackUrl": "",
            "completeTime": done if ready else None,
            "response": {_FILE_FIELDS[kind]: url if ready else None},
            "successFlag": (TaskStatus.SUCCESS if ready else TaskStatus.IN_PROGRESS).value,
            "createTime": done, "errorCode": None, "errorMessage": None,
        }

    async def timestamped_lyrics(self, account: Account, body: Any) -> dict[str, Any]:
        """``/generate/get-timestamped-lyrics``: the sung words' times, camelCase."""
        clip_id = await self.clip_of(account, body)
        timing = await self._clips.timing(account, clip_id)
        return {
            "alignedWords": [
                {"word": w.get("word"), "success": w.get("success"), "startS": w.get("start_s"),
                 "endS": w.get("end_s"), "palign": w.get("p_align")}
                for w in timing["aligned_words"]
            ],
            "waveformData": timing["waveform_data"], "hootCer": timing["hoot_cer"],
            "isStreamed": timing["is_streamed"],
        }
