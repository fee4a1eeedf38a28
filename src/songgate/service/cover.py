"""Checking a cover at submission, and filling in what its song gives it.

Only the account's own finished clips are covered (any other id is ``clip_not_exist``,
as for an extension). A stem is refused (cover the song it was split from). A clip an
upstream channel made is covered by that channel (service/relayed_sources.py). Nothing is
charged for a refusal: it is raised before the task is committed.

Without new words the cover sings the song's own (its clip's ``prompt``); an upload has
none, so its cover is an instrumental with the lead playing the tune. Without a title
the cover takes its song's.
"""

from __future__ import annotations

from dataclasses import replace

from songgate.domain.accounts import Account
from songgate.domain.clips import Clip
from songgate.domain.status import TaskStatus
from songgate.domain.submit import MusicSpec
from songgate.errors import ClipActionRefused, ClipNotExist
from songgate.store.tasks import TaskStore

TITLE_MAX = 80


class CoverPlanner:
    def __init__(self, tasks: TaskStore) -> None:
        self._tasks = tasks

    async def plan(self, account: Account, spec: MusicSpec) -> MusicSpec:
        """``spec`` with the song's words and title where the client gave none."""
        task = await self._tasks.clip_task(account.id, spec.cover_clip_id)
        if task is None:
            raise ClipNotExist("cover_clip_id names no clip of this account")
        if task.status is not TaskStatus.SUCCESS:
            raise ClipActionRefused("the clip to cover is not complete yet")
        clip: Clip = next(c for c in task.data if c.get("id") == spec.cover_clip_id)
        metadata = clip.get("metadata") or {}
        if metadata.get("type") == "stem":
            raise ClipActionRefused("the clip is a stem: cover the song it was split from")
        filled = spec
        if not spec.title.strip():
            filled = replace(filled, title=str(clip.get("title") or "")[:TITLE_MAX])
        words = str(metadata.get("prompt") or "") if metadata.get("type") != "upload" else ""
        if not (spec.prompt.strip() or spec.is_description_mode or spec.make_instrumental):
            limit = spec.model.prompt_max
            filled = (replace(filled, prompt=words[:limit]) if words.strip()
                      else replace(filled, make_instrumental=True))
        return filled
