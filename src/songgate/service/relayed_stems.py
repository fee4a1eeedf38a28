"""Planning the stems of a clip an upstream channel made: the channel that made it is
asked for them (``suno-task``: a ``gen_stem`` music task; ``sunoapi-v1``: its vocal
removal), under the upstream's own ids of the clip and of the task that made it.

The parts are the upstream's to say, so a stem clip is planned for each part the group
can hold (``RELAYED_PLAN``); the upstream's answer fills those it names and the rest are
dropped when it answers. A channel no longer configured, or whose protocol carries no
stem action, is refused here with the reason.
"""

from __future__ import annotations

import dataclasses
import uuid

from songgate.domain.channels import STEM_PROTOCOLS
from songgate.domain.clips import Clip
from songgate.domain.stems import RELAYED_PLAN, StemSpec
from songgate.domain.task import Task
from songgate.errors import ClipActionRefused
from songgate.store.channels import ChannelStore
from songgate.store.relay import RelayStore


async def relayed_spec(spec: StemSpec, task: Task, clip: Clip, origin: tuple[str, str],
                       channels: ChannelStore | None, relay: RelayStore) -> StemSpec:
    """``spec`` routed to the channel that made the clip, one planned stem per part."""
    name, upstream_clip = origin
    channel = await channels.get(name) if channels is not None else None
    if channel is None:
        raise ClipActionRefused(
            f"stems are not available for this clip: the upstream channel that made it "
            f"({name}) is no longer configured, and this server kept none of its parts")
    if channel.protocol not in STEM_PROTOCOLS:
        raise ClipActionRefused(
            "stems are not available for a clip an upstream channel made: this server "
            f"kept none of its parts, and its channel's protocol ({channel.protocol}) "
            "carries no stem action")
    job = await relay.job(task.id)
    upstream_task = job.upstream_id if job is not None and job.upstream_id else ""
    if channel.protocol == "sunoapi-v1" and not upstream_task:
        raise ClipActionRefused(
            "stems are not available for this clip: its channel asks for the upstream's "
            "task id, which this server did not record")
    stems = [{"id": str(uuid.uuid4()), "label": label, "parts": []}
             for label in RELAYED_PLAN[spec.group]]
    return dataclasses.replace(spec, mv=task.mv, source=spec.clip_id, stems=stems,
                               origin_url=str(clip.get("audio_url") or ""), channel=name,
                               upstream_clip=upstream_clip, upstream_task=upstream_task)
