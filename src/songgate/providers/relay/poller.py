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
from songgate.domain.status import Action, TaskStatus
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
    seconds: float


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

    async def run(self, stop: asyncio.Event) -> None:
        """A round every ``relay_poll_interval_seconds``, start to start, until ``stop``."""
        interval = self._relay.settings.poll_interval_seconds
        keeper = asyncio.create_task(self._keep_lease(interval))
        next_round = time.monotonic()
        try:
            while not stop.is_set():
                try:
                    await self.poll_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("relay poll failed")
                next_round = max(next_round + interval, time.monotonic())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), next_round - time.monotonic())
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
            await self.close()

    async def _keep_lease(self, interval: float) -> None:
        """Renew the lease while a long round runs, so it can stay short for a dead node."""
        while True:
            await asyncio.sleep(interval)
            if self.is_leader and self._leases is not None:
                try:
                    self.is_leader = await self._leases.acquire(
                        POLLER_LEASE, self._holder, now=self._relay.clock.now(),
                        ttl=self._lease_ttl,
                    )
                except Exception:
                    log.exception("renewing the relay poller lease failed")

    @property
    def _lease_ttl(self) -> float:
        # three intervals: a node that died is replaced within them; renewed while polling
        return 3 * self._relay.settings.poll_interval_seconds

    async def poll_once(self) -> list[RoundReport]:
        """One round over every channel that holds tasks, if this node is the poller."""
        relay = self._relay
        now = relay.clock.now()
        if self._leases is not None:
            self.is_leader = await self._leases.acquire(
                POLLER_LEASE, self._holder, now=now, ttl=self._lease_ttl
            )
            if not self.is_leader:
                return []
        reports = []
        for name in await relay.jobs.polled_channels():
            backoff = self._backoff.setdefault(name, _Backoff())
            if backoff.next_at > now:
                continue
            reports.append(await self._poll_channel(name, backoff))
        return reports

    async def _poll_channel(self, name: str, backoff: _Backoff) -> RoundReport:
        relay = self._relay
        started = time.monotonic()
        channel = await relay.catalog.get(name)
        followed = await relay.jobs.followed(name)
        done = [RelayChange(i.task.id) for i in followed if i.task.is_terminal]  # ended here
        live = [i for i in followed
                if not i.task.is_terminal and i.task.id not in self._collecting]
        written = await relay.jobs.apply(name, done, now=relay.clock.now())
        requests = 0
        if live and channel is None:
            reason = f"the upstream channel {name} was removed while it held the task"
            written += await relay.jobs.apply(
                name, [_fail(item, reason, relay.clock.now()) for item in live],
                now=relay.clock.now(),
            )
        elif live and channel is not None:
            asked, written_now, trouble = await self._ask(channel, live)
            requests, written = asked, written + written_now
            if trouble is not None:
                self._failed(channel, backoff, trouble)
            else:
                backoff.failures, backoff.next_at = 0, 0.0
        seconds = time.monotonic() - started
        self._metrics.relay_requests.labels(name).inc(requests)
        self._metrics.relay_writes.labels(name).inc(written)
        self._metrics.relay_poll_seconds.labels(name).observe(seconds)
        report = RoundReport(name, len(followed), requests, written, seconds)
        log.debug("relay round", extra={"channel": name, "followed": report.followed,
                                        "requests": requests, "written": written,
                                        "seconds": round(seconds, 3)})
        return report

    async def _ask(
        self, channel: Channel, live: Sequence[Followed]
    ) -> tuple[int, int, UpstreamError | None]:
        """Status requests in chunks; each answered chunk's changes are written at once.

        Returns (requests, tasks written, the first upstream error if any chunk failed).
        """
        adapter = await self._relay.adapters.get(channel)
        size = max(1, min(adapter.batch_size, self._relay.settings.batch_size))
        actions = {item.upstream_id: item.task.action for item in live}
        chunks = [live[i:i + size] for i in range(0, len(live), size)]
        slots = asyncio.Semaphore(_CONCURRENT_REQUESTS if size == 1 else 2)

        async def ask(chunk: Sequence[Followed]) -> int:
            async with slots:
                reports = await adapter.fetch([item.upstream_id for item in chunk], actions)
            changes = self._decide(channel, chunk, reports)
            return await self._relay.jobs.apply(channel.name, changes,
                                                now=self._relay.clock.now())

        outcomes = await asyncio.gather(*(ask(chunk) for chunk in chunks),
                                        return_exceptions=True)
        trouble: UpstreamError | None = None
        written = 0
        for outcome in outcomes:
            if isinstance(outcome, UpstreamError):
                trouble = trouble or outcome
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                written += outcome
        return len(chunks), written, trouble

    def _failed(self, channel: Channel, backoff: _Backoff, error: UpstreamError) -> None:
        settings = self._relay.settings
        backoff.failures += 1
        delay = min(settings.poll_interval_seconds * 2 ** backoff.failures,
                    settings.backoff_max_seconds)
        backoff.next_at = self._relay.clock.now() + max(delay, error.retry_after)
        log.warning("relay poll failed", extra={"channel": channel.name, "reason": error.message,
                                                "retry_in": round(delay, 1)})

    def _decide(
        self, channel: Channel, live: Sequence[Followed], reports: dict[str, UpstreamTask]
    ) -> list[RelayChange]:
        missing_limit = self._relay.settings.missing_polls
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
            elif report.status is TaskStatus.SUCCESS and item.task.action is Action.STEM and not (
                relay_rules.clip_pairs(item.task, report)
            ):
                changes.append(_fail(item, f"the upstream channel {channel.name} reported "
                                           "success without any stem this server can name",
                                     now))
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
            copies = await asyncio.gather(*(self._collector.collect(ours, theirs,
                                                                   trusted=channel.trusted)
                                            for ours, theirs in pairs))
            outputs = {theirs.id: copy for (_, theirs), copy in zip(pairs, copies, strict=True)}
            await self._relay.jobs.apply(
                channel.name, [_success(item, report, outputs, relay_rules.finish_time(
                    item.task, report, self._relay.clock.now()))],
                now=self._relay.clock.now(),
            )
            log.info("relayed task finished", extra=context)
        except CollectError as error:
            if error.final:  # the upstream's media are where this server may not fetch
                reason = (f"the upstream channel {channel.name}'s media were refused: "
                          f"{error.message} (an operator trusts a private channel with "
                          "trusted = true)")
                await self._relay.jobs.apply(
                    channel.name, [_fail(item, reason, self._relay.clock.now())],
                    now=self._relay.clock.now())
                log.warning("relayed media refused; the task fails",
                            extra={**context, "reason": error.message})
            else:
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
    unmade = relay_rules.unmade_stems(item.task, report)

    def change(task: Task) -> Task:
        task = relay_rules.without(task, unmade)
        result = relay_rules.result_of(task, report, outputs)
        return task_rules.succeeded(task, result, now=now)

    pairs = [(ours, theirs.id) for ours, theirs in relay_rules.clip_pairs(item.task, report)]
    return RelayChange(item.task.id, change=change, clips=pairs, dropped=unmade)
