"""Following relayed tasks: one batched status request per channel per interval.

One node of the cluster polls at a time (the ``relay-poller`` lease); it works only
from the task table, so a restarted or new leader carries on where the last one
stopped. Each round, per channel: read the tasks it holds, ask for their upstream
ids in chunks of ``relay_batch_size``, and write every change of the round in one
transaction. A channel that errs is asked again after an exponential backoff. An id
the upstream keeps leaving out fails its task after ``relay_missing_polls`` rounds;
a task past its deadline is failed by the reaper like any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from songgate.domain import relay as relay_rules
from songgate.domain import task as task_rules
from songgate.domain.channels import Channel
from songgate.domain.relay import UpstreamTask
from songgate.domain.results import ClipOutput
from songgate.domain.status import TaskStatus
from songgate.domain.task import Task
from songgate.metrics import Metrics
from songgate.providers.relay.collect import CollectError, MediaCollector
from songgate.providers.relay.context import RelayContext
from songgate.providers.relay.protocol import UpstreamError
from songgate.store.leases import LeaseStore
from songgate.store.relay import Followed, RelayChange

log = logging.getLogger("songgate.relay")

POLLER_LEASE = "relay-poller"
_CONCURRENT_REQUESTS = 8  # per channel, for protocols that ask one id at a time


@dataclass
class _Backoff:
    failures: int = 0
    next_at: float = 0.0


@dataclass(frozen=True, slots=True)
class RoundReport:
    channel: str
    followed: int
    requests: int
    written: int
    cpu_seconds: float


class RelayPoller:
    def __init__(
        self, relay: RelayContext, collector: MediaCollector, metrics: Metrics,
        leases: LeaseStore | None, holder: str,
    ) -> None:
        self._relay = relay
        self._collector = collector
        self._metrics = metrics
        self._leases = leases
        self._holder = holder
        self._backoff: dict[str, _Backoff] = {}
        self._collecting: set[str] = set()
        self._collections: set[asyncio.Task[None]] = set()
        self.is_leader = False
        self.last_rounds: list[RoundReport] = []

    async def run(self, stop: asyncio.Event) -> None:
        interval = self._relay.settings.relay_poll_interval_seconds
        while not stop.is_set():
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("relay poll failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
        await self.close()

    async def poll_once(self) -> list[RoundReport]:
        """One round over every channel that holds tasks, if this node is the poller."""
        relay = self._relay
        now = relay.clock.now()
        if self._leases is not None:
            settings = relay.settings
            ttl = 3 * settings.relay_poll_interval_seconds + settings.relay_timeout_seconds
            self.is_leader = await self._leases.acquire(
                POLLER_LEASE, self._holder, now=now, ttl=ttl
            )
            if not self.is_leader:
                return []
        reports = []
        for name in await relay.jobs.polled_channels():
            backoff = self._backoff.setdefault(name, _Backoff())
            if backoff.next_at > now:
                continue
            reports.append(await self._poll_channel(name, backoff))
        self.last_rounds = reports
        return reports

    async def _poll_channel(self, name: str, backoff: _Backoff) -> RoundReport:
        relay = self._relay
        cpu_start = time.process_time()
        channel = await relay.catalog.get(name)
        followed = await relay.jobs.followed(name)
        changes: list[RelayChange] = []
        live: list[Followed] = []
        for item in followed:
            if item.task.is_terminal:  # ended here (a deadline): stop following it
                changes.append(RelayChange(item.task.id))
            elif item.task.id not in self._collecting:
                live.append(item)
        requests = 0
        if live and channel is None:
            reason = f"the upstream channel {name} was removed while it held the task"
            changes += [_fail(item, reason, relay.clock.now()) for item in live]
        elif live and channel is not None:
            try:
                reports, requests = await self._ask(channel, live)
            except UpstreamError as error:
                requests = 1
                self._failed(channel, backoff, error)
                reports = None
            if reports is not None:
                backoff.failures, backoff.next_at = 0, 0.0
                changes += self._decide(channel, live, reports)
        written = await relay.jobs.apply(name, changes, now=relay.clock.now())
        cpu = time.process_time() - cpu_start
        self._metrics.relay_requests.labels(name).inc(requests)
        self._metrics.relay_writes.labels(name).inc(written)
        self._metrics.relay_poll_cpu.labels(name).observe(cpu)
        report = RoundReport(name, len(followed), requests, written, cpu)
        log.debug("relay round", extra={"channel": name, "followed": report.followed,
                                        "requests": requests, "written": written})
        return report

    async def _ask(
        self, channel: Channel, live: Sequence[Followed]
    ) -> tuple[dict[str, UpstreamTask], int]:
        adapter = await self._relay.adapters.get(channel)
        size = max(1, min(adapter.batch_size, self._relay.settings.relay_batch_size))
        actions = {item.upstream_id: item.task.action for item in live}
        ids = list(actions)
        chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
        slots = asyncio.Semaphore(_CONCURRENT_REQUESTS if size == 1 else 2)

        async def ask(chunk: list[str]) -> dict[str, UpstreamTask]:
            async with slots:
                return await adapter.fetch(chunk, actions)

        found: dict[str, UpstreamTask] = {}
        for answer in await asyncio.gather(*(ask(chunk) for chunk in chunks)):
            found.update(answer)
        return found, len(chunks)

    def _failed(self, channel: Channel, backoff: _Backoff, error: UpstreamError) -> None:
        settings = self._relay.settings
        backoff.failures += 1
        delay = min(settings.relay_poll_interval_seconds * 2 ** backoff.failures,
                    settings.relay_backoff_max_seconds)
        backoff.next_at = self._relay.clock.now() + max(delay, error.retry_after)
        log.warning("relay poll failed", extra={"channel": channel.name, "reason": error.message,
                                                "retry_in": round(delay, 1)})

    def _decide(
        self, channel: Channel, live: Sequence[Followed], reports: dict[str, UpstreamTask]
    ) -> list[RelayChange]:
        missing_limit = self._relay.settings.relay_missing_polls
        now = self._relay.clock.now()
        changes: list[RelayChange] = []
        for item in live:
            report = reports.get(item.upstream_id)
            if report is None:
                misses = item.misses + 1
                if misses >= missing_limit:
                    changes.append(_fail(item, f"the upstream channel {channel.name} no longer "
                                               f"reports this task ({misses} polls in a row)", now))
                else:
                    changes.append(RelayChange(item.task.id, misses=misses))
                continue
            reset = 0 if item.misses else None
            if report.status is TaskStatus.FAILURE:
                reason = relay_rules.upstream_failure(channel.name, report)
                changes.append(_fail(item, reason, relay_rules.finish_time(item.task, report, now)))
            elif report.status is TaskStatus.SUCCESS and item.task.clip_ids and not any(
                clip.audio_url for clip in report.clips
            ):
                changes.append(_fail(item, f"the upstream channel {channel.name} reported "
                                           "success without any song", now))
            elif report.status is TaskStatus.SUCCESS:
                if channel.media == "copy" and item.task.clip_ids:
                    self._start_collecting(channel, item, report)
                    if reset is not None:
                        changes.append(RelayChange(item.task.id, misses=0))
                else:
                    outputs = {c.id: relay_rules.linked_output(c) for c in report.clips}
                    changes.append(_success(item, report, outputs,
                                            relay_rules.finish_time(item.task, report, now)))
            else:
                change = functools.partial(_observe, report=report)
                if relay_rules.observed(item.task, report) != item.task or reset is not None:
                    changes.append(RelayChange(item.task.id, change=change, misses=reset))
        return changes

    def _start_collecting(self, channel: Channel, item: Followed, report: UpstreamTask) -> None:
        self._collecting.add(item.task.id)
        job = asyncio.create_task(self._collect(channel, item, report))
        self._collections.add(job)
        job.add_done_callback(self._collections.discard)

    async def _collect(self, channel: Channel, item: Followed, report: UpstreamTask) -> None:
        context = {"task_id": item.task.id, "channel": channel.name}
        try:
            pairs = relay_rules.clip_pairs(item.task, report)
            copies = await asyncio.gather(*(self._collector.collect(ours, theirs)
                                            for ours, theirs in pairs))
            outputs = {theirs.id: copy for (_, theirs), copy in zip(pairs, copies, strict=True)}
            await self._relay.jobs.apply(
                channel.name, [_success(item, report, outputs, relay_rules.finish_time(
                    item.task, report, self._relay.clock.now()))],
                now=self._relay.clock.now(),
            )
            log.info("relayed task finished", extra=context)
        except CollectError as error:
            log.warning("copying relayed media failed; trying again next round",
                        extra={**context, "reason": error.message})
        except Exception:
            log.exception("copying relayed media failed", extra=context)
        finally:
            self._collecting.discard(item.task.id)

    async def wait_for_collections(self) -> None:
        """Until the media copies under way are done (tests and shutdown)."""
        while self._collections:
            await asyncio.gather(*list(self._collections), return_exceptions=True)

    async def close(self) -> None:
        for job in list(self._collections):
            job.cancel()
        await asyncio.gather(*self._collections, return_exceptions=True)
        await self._collector.close()
        if self._leases is not None and self.is_leader:
            await self._leases.release(POLLER_LEASE, self._holder)
            self.is_leader = False


def _observe(task: Task, *, report: UpstreamTask) -> Task | None:
    after = relay_rules.observed(task, report)
    return None if after == task else after


def _fail(item: Followed, reason: str, now: float) -> RelayChange:
    def change(task: Task) -> Task:
        return task_rules.failed(task, reason, now=now)

    return RelayChange(item.task.id, change=change)


def _success(
    item: Followed, report: UpstreamTask, outputs: dict[str, ClipOutput], now: float
) -> RelayChange:
    def change(task: Task) -> Task:
        result = relay_rules.result_of(task, report, outputs)
        return task_rules.succeeded(task, result, now=now)

    pairs = [(ours, theirs.id) for ours, theirs in relay_rules.clip_pairs(item.task, report)]
    return RelayChange(item.task.id, change=change, clips=pairs)
