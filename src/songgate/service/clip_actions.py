"""What can be asked of a finished clip: its timed lyrics, its WAV, MP4 and MIDI.

A clip is answered only to the account whose task made it (any other id is
``clip_not_exist``), once that clip is complete. The engine's clips carry their sung
words' times in the media sidecar; a clip relayed from an upstream channel does not,
and is refused with the reason. The engine publishes every clip's WAV, MIDI and (with
ffmpeg) MP4 beside its MP3, so those routes answer the file's URL at once; for a clip
without the file they answer the id of a FILE task that makes it
(``service/file_tasks.py``), or refuse with the reason when it cannot be made.
"""

from __future__ import annotations

from typing import Any

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.credits import Prices
from songgate.domain.task import Task
from songgate.errors import ClipActionRefused, ClipNotExist
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.service.file_tasks import FileTasks
from songgate.store.credits import CreditStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore

COMPLETE = "complete"
FILES = {"wav": "WAV", "mp4": "MP4", "midi": "MIDI"}


class ClipActions:
    def __init__(self, tasks: TaskStore, relay: RelayStore, media: MediaBackend,
                 credits: CreditStore, prices: Prices, clock: Clock,
                 files: FileTasks | None = None) -> None:
        self._files = files
        self._tasks = tasks
        self._relay = relay
        self._media = media
        self._credits = credits
        self._prices = prices
        self._clock = clock

    async def _charge(self, account: Account, clip_id: str, action: str) -> None:
        """The action's price (``ACT/<action>``), taken once its answer is ready: a
        refused action costs nothing."""
        await self._credits.charge_answer(account.id, self._prices.act_price(action),
                                          f"{action} {clip_id}", now=self._clock.now())

    async def timing(self, account: Account, clip_id: str) -> dict[str, Any]:
        """``aligned_words`` and ``waveform_data`` of the account's clip ``clip_id``."""
        await self._complete_clip(account, clip_id)
        meta = await self._media.read_meta(clip_id)
        if meta is None or "aligned_words" not in meta:
            if await self._relay.clip_origin(clip_id) is not None:
                raise ClipActionRefused(
                    "timed lyrics are not available for a clip an upstream channel made: "
                    "its protocol does not carry them")
            raise ClipActionRefused("this clip has no timed lyrics: it was made before "
                                    "this server kept them")
        await self._charge(account, clip_id, "timing")
        return {"aligned_words": meta["aligned_words"],
                "waveform_data": meta.get("waveform_data", []), "hoot_cer": 0.0,
                "is_streamed": False}

    async def file_url(self, account: Account, clip_id: str, kind: str,
                       token_id: str | None = None, *, charge: bool = True) -> str:
        """The URL of the clip's ``kind`` file (``wav``, ``mp4`` or ``midi``), or the id of
        the task that makes it (never holding a slash, as a URL does); ``charge`` False:
        only shown again, after a charged ask."""
        task, clip = await self._task_and_clip(account, clip_id)
        names = names_for(clip_id)
        name = {"wav": names.wav, "mp4": names.video, "midi": names.midi}[kind]
        if await self._media.serve(name, None, head=True) is None:
            if self._files is not None:
                return await self._files.start(account, task, clip, kind, token_id=token_id)
            where = ("an upstream channel made it and sent no such file"
                     if await self._relay.clip_origin(clip_id) is not None
                     else "this server could not make it for this clip")
            raise ClipActionRefused(f"the clip has no {FILES[kind]} file: {where}")
        if charge:
            await self._charge(account, clip_id, kind)
        return self._media.url(name)

    async def _complete_clip(self, account: Account, clip_id: str) -> dict[str, Any]:
        return (await self._task_and_clip(account, clip_id))[1]

    async def _task_and_clip(self, account: Account, clip_id: str
                             ) -> tuple[Task, dict[str, Any]]:
        task = await self._tasks.clip_task(account.id, clip_id)
        if task is None:
            raise ClipNotExist("clip not exist")
        clip = next((c for c in task.data if c.get("id") == clip_id), None)
        if clip is None or clip.get("status") != COMPLETE:
            raise ClipActionRefused("the clip is not complete yet")
        found: dict[str, Any] = clip
        return task, found
