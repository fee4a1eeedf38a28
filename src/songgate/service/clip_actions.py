"""What can be asked of a finished clip: its timed lyrics.

A clip is answered only to the account whose task made it (any other id is
``clip_not_exist``), once that clip is complete. The engine's clips carry their sung
words' times in the media sidecar; a clip relayed from an upstream channel does not,
and is refused with the reason.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.accounts import Account
from songgate.errors import ClipActionRefused, ClipNotExist
from songgate.media.base import MediaBackend
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore

COMPLETE = "complete"


class ClipActions:
    def __init__(self, tasks: TaskStore, relay: RelayStore, media: MediaBackend) -> None:
        self._tasks = tasks
        self._relay = relay
        self._media = media

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
        return {"aligned_words": meta["aligned_words"],
                "waveform_data": meta.get("waveform_data", []), "hoot_cer": 0.0,
                "is_streamed": False}

    async def _complete_clip(self, account: Account, clip_id: str) -> dict[str, Any]:
        task = await self._tasks.clip_task(account.id, clip_id)
        if task is None:
            raise ClipNotExist("clip not exist")
        clip = next((c for c in task.data if c.get("id") == clip_id), None)
        if clip is None or clip.get("status") != COMPLETE:
            raise ClipActionRefused("the clip is not complete yet")
        found: dict[str, Any] = clip
        return found
