"""Planning a STEM task: which clip's kept parts make which stem clips, and finding the
stems already asked for (``GET /suno/act/stems/{clip_id}``).

Only the account's own finished clips can be split (any other id is
``clip_not_exist``). A stem is not split again. A clip an upstream channel made is
split by that channel (``service/relayed_stems.py``). A clip the engine made before it
kept its parts is refused with that reason; a concat's parts are those of the chain's
last clip. Which task makes a clip's stems is noted beside the clip (a relayed clip has
no sidecar of its own, so its note is kept under :func:`relayed_note`).
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from songgate.domain.accounts import Account
from songgate.domain.clips import Clip
from songgate.domain.status import Action, TaskStatus
from songgate.domain.stems import StemSpec, planned, stem_clip
from songgate.errors import ClipActionRefused, ClipNotExist
from songgate.media.base import MediaBackend
from songgate.service.relayed_stems import relayed_spec
from songgate.store.channels import ChannelStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore

STEM_TASKS = "stem_tasks"  # the source clip's sidecar key: {group: task id}


class StemPlanner:
    def __init__(self, tasks: TaskStore, relay: RelayStore, media: MediaBackend,
                 channels: ChannelStore | None = None) -> None:
        self._channels = channels
        self._tasks = tasks
        self._relay = relay
        self._media = media

    async def plan(self, account: Account, spec: StemSpec,
                   now: float) -> tuple[StemSpec, list[Clip]]:
        """``spec`` with its model, source and stems filled in; the stem clips."""
        task = await self._tasks.clip_task(account.id, spec.clip_id)
        if task is None:
            raise ClipNotExist("continue_clip_id names no clip of this account")
        clip: Clip = next(c for c in task.data if c.get("id") == spec.clip_id)
        if task.status is not TaskStatus.SUCCESS:
            raise ClipActionRefused("the clip is not complete yet")
        metadata = clip.get("metadata") or {}
        if metadata.get("type") == "stem":
            raise ClipActionRefused("the clip is a stem already: ask for the stems of the "
                                    "clip it was split from")
        owner = account.owner
        origin = await self._relay.clip_origin(spec.clip_id)
        if origin is not None:
            relayed = await relayed_spec(spec, task, clip, origin, self._channels, self._relay)
            return relayed, [stem_clip(str(stem["id"]), str(stem["label"]), owner, clip,
                                       relayed, now) for stem in relayed.stems]
        source = spec.clip_id
        if metadata.get("type") == "concat" and metadata.get("concat_history"):
            source = str(metadata["concat_history"][-1]["id"])
        meta = await self._media.read_meta(source)
        kept = meta.get("stems") if meta else None
        if not kept:
            raise ClipActionRefused("this clip has no stems: it was made before this server "
                                    "kept each part of its songs")
        plan = [(str(uuid.uuid4()), label, parts)
                for label, parts in planned(list(kept), spec.group)]
        stems = [{"id": stem_id, "label": label, "parts": list(parts)}
                 for stem_id, label, parts in plan]
        filled = dataclasses.replace(spec, mv=task.mv, source=source, stems=stems,
                                     origin_url=str(clip.get("audio_url") or ""))
        return filled, [stem_clip(stem_id, label, owner, clip, filled, now)
                        for stem_id, label, _ in plan]

    async def remember(self, spec: StemSpec, task_id: str) -> None:
        """Note on the source clip's sidecar which task makes its ``spec.group`` stems."""
        sidecar = relayed_note(spec.source) if spec.channel else spec.source
        meta = await self._media.read_meta(sidecar)
        if meta is None and spec.channel:
            meta = {}
        if meta is not None:
            known = dict(meta.get(STEM_TASKS) or {})
            known[_key(spec.clip_id, spec.group)] = task_id
            await self._media.write_meta(sidecar, {**meta, STEM_TASKS: known})

    async def existing(self, account: Account, clip_id: str, group: str) -> list[Clip] | None:
        """The stem clips already asked for (made, or being made), else None."""
        task = await self._tasks.clip_task(account.id, clip_id)
        if task is None:
            raise ClipNotExist("clip not exist")
        clip: Clip = next(c for c in task.data if c.get("id") == clip_id)
        metadata = clip.get("metadata") or {}
        source = clip_id
        if metadata.get("type") == "concat" and metadata.get("concat_history"):
            source = str(metadata["concat_history"][-1]["id"])
        if await self._relay.clip_origin(clip_id) is not None:
            source = relayed_note(clip_id)
        meta = await self._media.read_meta(source) if task.action is not Action.STEM else None
        task_id = ((meta or {}).get(STEM_TASKS) or {}).get(_key(clip_id, group))
        if not task_id:
            return None
        made = await self._tasks.get(str(task_id))
        if made is None or made.account_id != account.id or made.status is TaskStatus.FAILURE:
            return None
        found: list[dict[str, Any]] = made.data
        return found


def relayed_note(clip_id: str) -> str:
    """The sidecar name that notes a relayed clip's stem tasks (the engine reads a clip's
    own sidecar as proof it made the clip, so a relayed clip is given none): a name-based
    UUID, never a clip's own (those are random UUIDs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"songgate:stems-of:{clip_id}"))


def _key(clip_id: str, group: str) -> str:
    return f"{clip_id}/{group}"
