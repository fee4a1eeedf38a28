"""Starting the FILE task that makes a clip's missing WAV, MP4 or MIDI.

The task runs on the engine (the provider routed for FILE, else MUSIC's: the channels
provider keeps it local). What it can make depends on who made the clip: for the
engine's clips, all three (a MIDI composed again from the clip's request, except for an
extension, whose score depended on the audio it kept); for a clip an upstream channel
made, a WAV or MP4 from its audio when this server keeps that audio, and never a MIDI:
no upstream protocol carries one. What cannot be made is refused before anything is
charged. The price is the answer's (``ACT/<kind>``), taken at submission and refunded
if the task fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from songgate.clock import Clock
from songgate.domain.accounts import Account
from songgate.domain.clip_files import FILE_NAMES, FileSpec, new_file_task
from songgate.domain.credits import Prices
from songgate.domain.ids import time_ordered_id
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.status import Action
from songgate.domain.task import Task
from songgate.errors import ClipActionRefused, NoAvailableChannel
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.providers.registry import Router
from songgate.store.file_tasks import FileTaskStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore


@dataclass(frozen=True, slots=True)
class FileTaskRules:
    max_attempts: int
    timeout_seconds: float


class FileTasks:
    def __init__(self, tasks: TaskStore, found: FileTaskStore, relay: RelayStore,
                 media: MediaBackend, router: Router, prices: Prices, rules: FileTaskRules,
                 clock: Clock) -> None:
        self._tasks = tasks
        self._found = found
        self._relay = relay
        self._media = media
        self._router = router
        self._prices = prices
        self._rules = rules
        self._clock = clock

    async def start(self, account: Account, task: Task, clip: dict[str, Any], kind: str,
                    *, token_id: str | None = None) -> str:
        """The id of the task making ``clip``'s ``kind`` file (one already running, or a
        new one); :class:`ClipActionRefused` when it cannot be made."""
        clip_id = str(clip["id"])
        spec = await self._spec(task, clip, kind)
        running = await self._found.unfinished(account.id, clip_id, kind)
        if running is not None:
            return running
        now = self._clock.now()
        made = new_file_task(task_id=time_ordered_id(now), account_id=account.id, spec=spec,
                             provider=self._provider(), now=now,
                             max_attempts=self._rules.max_attempts,
                             timeout_seconds=self._rules.timeout_seconds)
        await self._tasks.insert(made, charge=self._prices.act_price(kind), token_id=token_id)
        return made.id

    async def _spec(self, task: Task, clip: dict[str, Any], kind: str) -> FileSpec:
        clip_id = str(clip["id"])
        metadata = clip.get("metadata") or {}
        what = FILE_NAMES[kind]
        relayed = await self._relay.clip_origin(clip_id) is not None
        if kind == "midi":
            if relayed:
                raise ClipActionRefused(
                    "the clip has no MIDI file and none can be made: an upstream channel "
                    "made it, and its protocol does not carry the score")
            music = task.music_spec() if task.action is Action.MUSIC else None
            if music is None or music.continue_clip_id or music.part_clip_id:
                raise ClipActionRefused(
                    "the clip has no MIDI file and none can be made: an extension's (a "
                    "concat's, an added part's) score depended on the audio it kept")
            if await self._media.read_meta(clip_id) is None:
                raise ClipActionRefused("the clip has no MIDI file and none can be made: "
                                        "this server did not keep what made it")
        elif await self._media.serve(names_for(clip_id).audio, None, head=True) is None:
            where = ("an upstream channel made it, this server keeps no copy of its audio, "
                     "and the channel's protocol does not carry a " + what
                     if relayed else "this server keeps no audio of it")
            raise ClipActionRefused(f"the clip has no {what} file and none can be made: "
                                    f"{where}")
        music = task.music_spec() if task.action is Action.MUSIC else None
        model = MODEL_VERSIONS.get(task.mv)
        return FileSpec(
            clip_id=clip_id, kind=kind, lyrics=str(metadata.get("prompt") or ""),
            instrumental=bool(music and music.make_instrumental),
            max_seconds=float(model.max_duration_seconds) if model else 0.0,
            title=str(clip.get("title") or ""), tags=str(metadata.get("tags") or ""))

    def _provider(self) -> str:
        """The provider named for FILE, else MUSIC's (the channels keep it on the engine)."""
        try:
            return self._router.route(Action.FILE)
        except NoAvailableChannel:
            return self._router.route(Action.MUSIC)
