"""Where a task on an existing clip runs, decided at submission.

A clip of this server's own (a song its engine made, an upload) is worked on by the
engine, whatever the routing says: no upstream holds it. A clip an upstream channel made
is worked on by that channel (a cover, an extension or upload extension, a replaced span,
an added part), so the task goes to the ``channels`` provider whatever the route for new
songs; what that channel cannot be asked is refused here with the reason, before
anything is charged.
"""

from __future__ import annotations

from songgate.domain.accounts import Account
from songgate.domain.source_actions import VERB_OF, source_action, source_clip
from songgate.domain.submit import MusicSpec
from songgate.errors import ClipActionRefused
from songgate.providers.relay import sunoapi_sources
from songgate.store.channels import ChannelStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore

# The protocols that carry each action on one of their upstream's clips.
CARRIED_BY = ("suno-task", "sunoapi-v1")
# sunoapi-v1 names these by the upstream's task (replace-section), or finds the clip's
# audio URL in that task's record (upload-cover, upload-extend, add-vocals/-instrumental).
NEEDS_UPSTREAM_TASK = {"sunoapi-v1": sunoapi_sources.NEEDS_TASK}


class RelayedSources:
    def __init__(self, tasks: TaskStore, relay: RelayStore, channels: ChannelStore) -> None:
        self._tasks = tasks
        self._relay = relay
        self._channels = channels

    async def channel_for(self, account: Account, spec: MusicSpec) -> str:
        """The upstream channel that made the clip ``spec`` acts on, which is to make the
        task; "" for a new song or a clip of this server's own (the engine makes it).
        A clip that is not the account's is left to the clip checks (404)."""
        clip = source_clip(spec)
        if not clip or await self._tasks.clip_task(account.id, clip) is None:
            return ""
        source = await self._relay.clip_source(clip)
        if source is None:
            return ""
        action = source_action(spec)
        verb = VERB_OF.get(action, "work on")
        channel = await self._channels.get(source.channel)
        if channel is None:
            raise ClipActionRefused(
                f"the clip to {verb} was made by the upstream channel {source.channel}, which "
                "is no longer configured: this server keeps no audio of it to work on")
        if channel.protocol not in CARRIED_BY:
            raise ClipActionRefused(
                f"the clip to {verb} was made by the upstream channel {source.channel}, whose "
                f"protocol ({channel.protocol}) cannot carry the task")
        if action in NEEDS_UPSTREAM_TASK.get(channel.protocol, ()) and not source.upstream_task:
            raise ClipActionRefused(
                f"the clip to {verb} was made by the upstream channel {source.channel}, which "
                "needs the id of the task that made it, and this server did not record it")
        return channel.name
