"""Following an extension chain back to its first clip, for a concat."""

from __future__ import annotations

import dataclasses

from songgate.domain.accounts import Account
from songgate.domain.clips import Clip
from songgate.domain.concat import CHAIN_MAX, ConcatSpec, history_entry
from songgate.domain.status import Action, TaskStatus
from songgate.errors import ClipNotExist, InvalidRequest
from songgate.media.base import MediaBackend
from songgate.store.tasks import TaskStore


class ConcatPlanner:
    def __init__(self, tasks: TaskStore, media: MediaBackend) -> None:
        self._tasks = tasks
        self._media = media

    async def plan(self, account: Account, spec: ConcatSpec) -> tuple[ConcatSpec, Clip]:
        """``spec`` with its parts (first first) and model; the chain's last clip."""
        last = await self._clip(account, spec.clip_id)
        task = await self._tasks.clip_task(account.id, spec.clip_id)
        assert task is not None
        if task.action is not Action.MUSIC or not task.music_spec().continue_clip_id:
            raise InvalidRequest("clip_id is not an extension: a concat joins the parts of an "
                                 "extension chain, named by its last clip")
        if await self._media.read_meta(spec.clip_id) is None:
            raise InvalidRequest("clip_id names a clip this server's engine did not make: "
                                 "only the engine's extension chains can be joined here")
        history = []
        clip_id: str = spec.clip_id
        for _ in range(CHAIN_MAX):
            source = await self._tasks.clip_task(account.id, clip_id)
            if source is None:
                raise ClipNotExist(f"part {clip_id!r} of the chain is not this account's")
            music = source.music_spec() if source.action is Action.MUSIC else None
            if music is None or not music.continue_clip_id:
                history.append(history_entry(clip_id, None))
                break
            history.append(history_entry(clip_id, music.continue_at))
            clip_id = music.continue_clip_id
        else:
            raise InvalidRequest(f"the chain is longer than {CHAIN_MAX} parts")
        history.reverse()
        return dataclasses.replace(spec, mv=task.mv, history=history), last

    async def _clip(self, account: Account, clip_id: str) -> Clip:
        task = await self._tasks.clip_task(account.id, clip_id)
        if task is None:
            raise ClipNotExist("clip_id names no clip of this account")
        if task.status is not TaskStatus.SUCCESS:
            raise InvalidRequest("clip_id names a clip that is not complete yet")
        found: Clip = next(c for c in task.data if c["id"] == clip_id)
        return found
