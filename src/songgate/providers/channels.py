"""The ``channels`` provider: run a task on the best channel that will take it.

Channels are tried in the order :func:`songgate.domain.channels.ordered_candidates`
gives. The offline engine runs the task here and now; an upstream is asked to run it
and, once it accepts, the task is handed off to the relay poller. An upstream that
cannot be reached, times out, rate-limits or errs counts against its breaker and the
next channel is tried; an upstream that refuses the task itself fails it.
A task on a clip that exists (an extension, a cover, a replaced span, a part added, the
stems) goes to the channel that produced the clip; a clip of this server's own stays
with the engine, whatever the channels say.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from songgate.domain.channels import Channel, ordered_candidates
from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.results import HandedOff, TaskResult
from songgate.domain.source_actions import VERB_OF, source_action, source_clip
from songgate.domain.stems import StemSpec
from songgate.domain.submit import MusicSpec
from songgate.errors import ConfigError, FinalProviderError, RetryableProviderError
from songgate.providers.base import ProgressSink, Provider, ProviderContext, ProviderTask
from songgate.providers.local import LocalProvider
from songgate.providers.registry import LOCAL
from songgate.providers.relay.context import RelayContext
from songgate.providers.relay.protocol import Submission, UpstreamError
from songgate.store.channels import SUBMITTING

log = logging.getLogger("songgate.relay")


class ChannelRouter:
    def __init__(self, context: ProviderContext) -> None:
        if context.relay is None:
            raise ConfigError("the channels provider needs the relay context")
        self._relay: RelayContext = context.relay
        self._context = context
        self._own_local: Provider | None = None  # only when no registry offers one

    def _local_provider(self) -> Provider:
        """The process's offline engine: the registry's own ``local``, so that tasks routed
        to ``local`` and to ``channels`` share one render pool."""
        if self._context.providers is not None:
            return self._context.providers(LOCAL)
        if self._own_local is None:
            self._own_local = LocalProvider(self._context)
        return self._own_local

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult | HandedOff:
        if isinstance(task.spec, StemSpec) and task.spec.channel:
            return await self._split_upstream(task, task.spec)
        if isinstance(task.spec, ConcatSpec | FileSpec | StemSpec):
            return await self._local_provider().run(task, progress)  # the engine's own work
        if isinstance(task.spec, MusicSpec) and source_clip(task.spec):
            return await self._on_clip(task, task.spec, progress)
        candidates = await self._candidates(task)
        if not candidates:
            raise RetryableProviderError("no channel can take this task right now")
        troubles: list[str] = []
        for channel in candidates:
            if not channel.is_relay:
                return await self._local_provider().run(task, progress)
            handed = await self._try(channel, task, "", troubles)
            if handed is not None:
                return handed
        raise RetryableProviderError("every channel failed: " + "; ".join(troubles))

    async def _on_clip(self, task: ProviderTask, spec: MusicSpec,
                       progress: ProgressSink) -> TaskResult | HandedOff:
        """A task on an existing clip, where the clip was made: a clip of ours by the
        engine; an upstream's by its channel, under the upstream's ids."""
        relay = self._relay
        source = await relay.jobs.clip_source(source_clip(spec))
        if source is None:  # our own clip (the engine's song, an upload): it stays local
            return await self._local_provider().run(task, progress)
        verb = VERB_OF.get(source_action(spec), "work on")
        channel = await relay.catalog.get(source.channel)
        if channel is None:
            raise FinalProviderError(f"the upstream channel {source.channel} that made the "
                                     f"clip to {verb} was removed")
        if not channel.enabled or channel.health.is_open(relay.clock.now()):
            raise RetryableProviderError(
                f"the channel that made the clip to {verb} cannot take tasks right now")
        troubles: list[str] = []
        handed = await self._try(channel, task, source.upstream_clip, troubles,
                                 source_task=source.upstream_task)
        if handed is None:
            raise RetryableProviderError("the channel that made the clip failed: "
                                         + "; ".join(troubles))
        return handed

    async def _split_upstream(self, task: ProviderTask, spec: StemSpec) -> HandedOff:
        """A relayed clip's stems, asked of the channel that made the clip."""
        relay = self._relay
        channel = await relay.catalog.get(spec.channel)
        if channel is None:
            raise FinalProviderError(f"the upstream channel {spec.channel} that made the clip "
                                     "was removed: its stems cannot be made")
        if not channel.enabled or channel.health.is_open(relay.clock.now()):
            raise RetryableProviderError(
                "the channel that made the clip to split cannot take tasks right now")
        troubles: list[str] = []
        handed = await self._try(channel, task, spec.upstream_clip, troubles)
        if handed is None:
            raise RetryableProviderError("the channel that made the clip failed: "
                                         + "; ".join(troubles))
        return handed

    async def _candidates(self, task: ProviderTask) -> Sequence[Channel]:
        relay = self._relay
        channels = await relay.catalog.channels()
        mv = task.spec.mv if isinstance(task.spec, MusicSpec) else ""
        # counting tasks in flight costs a scan of the channel's jobs: only when a limit needs it
        limited = any(c.max_in_flight and c.allows(task.action, mv) for c in channels)
        in_flight = await relay.channels.in_flight() if limited else {}
        return ordered_candidates(channels, task.action, mv, now=relay.clock.now(),
                                  in_flight=in_flight)

    async def _try(
        self, channel: Channel, task: ProviderTask, continue_clip: str, troubles: list[str],
        *, source_task: str = "",
    ) -> HandedOff | None:
        relay = self._relay
        before = await relay.jobs.begin(task.id, channel.name, now=relay.clock.now())
        if before is not None and before.state == SUBMITTING:
            log.warning("upstream may hold this task twice: an earlier attempt stopped "
                        "between sending it and recording the answer",
                        extra={"task_id": task.id, "channel": before.channel})
        adapter = await relay.adapters.get(channel)
        assert not isinstance(task.spec, ConcatSpec | FileSpec)  # run() keeps them local
        submission = Submission(action=task.action, spec=task.spec,
                                continue_clip_id=continue_clip, source_task=source_task)
        try:
            upstream_id = await adapter.submit(submission)
        except UpstreamError as error:
            await relay.jobs.abandon(task.id, channel.name)
            if error.maybe_accepted:
                log.warning("upstream may have accepted the task without saying so; "
                            "trying the next channel may run it twice",
                            extra={"task_id": task.id, "channel": channel.name,
                                   "reason": error.message})
            if error.trouble == "refused":
                raise FinalProviderError(
                    f"the upstream channel {channel.name} refused the task: {error.message}"
                ) from None
            log.warning("channel failed", extra={"task_id": task.id, "channel": channel.name,
                                                 "reason": error.message})
            await relay.record_failure(channel.name, error.message, error.retry_after)
            troubles.append(error.message)
            return None
        if channel.health.failures:
            await relay.channels.record_success(channel.name)
            relay.catalog.forget()
        log.info("task sent upstream", extra={"task_id": task.id, "channel": channel.name})
        return HandedOff(channel=channel.name, upstream_id=upstream_id)

    async def close(self) -> None:
        if self._own_local is not None:
            await self._own_local.close()


def channels(context: ProviderContext) -> ChannelRouter:
    return ChannelRouter(context)
