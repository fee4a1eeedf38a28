"""Which clip a part may be added to: an upload of the caller's (domain/add_parts.py), or
a clip an upstream channel made, which that channel adds the part to."""

from __future__ import annotations

from songgate.domain.accounts import Account
from songgate.domain.status import Action, TaskStatus
from songgate.domain.submit import MusicSpec
from songgate.errors import ClipNotExist, InvalidRequest
from songgate.store.tasks import TaskStore


async def check_part_source(tasks: TaskStore, account: Account, spec: MusicSpec, *,
                            relayed: bool = False) -> None:
    """Refused before anything is charged: no such clip of the account (404), a clip that
    is not an upload (nor ``relayed``: made by an upstream channel) or is not complete
    (400)."""
    source = await tasks.clip_task(account.id, spec.part_clip_id)
    if source is None:
        raise ClipNotExist("continue_clip_id names no clip of this account")
    if source.action is not Action.UPLOAD and not relayed:
        raise InvalidRequest(f"continue_clip_id names a clip that is not an upload: {spec.task} "
                             "adds a part to audio uploaded with /suno/uploads")
    if source.status is not TaskStatus.SUCCESS:
        raise InvalidRequest("continue_clip_id names an upload that is not complete yet")
