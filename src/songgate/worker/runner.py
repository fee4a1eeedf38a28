"""The worker loop: claim → run → finish, with heartbeats, a reaper and a clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from songgate import event_loop
from songgate.clock import Clock
from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.results import HandedOff
from songgate.domain.status import Action
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.domain.task import Task
from songgate.errors import LeaseLost, ProviderError, ServiceUnavailable
from songgate.media.failures import storage_failure
from songgate.metrics import Metrics
from songgate.providers.base import ProviderTask
from songgate.providers.registry import ProviderRegistry
from songgate.store.leases import LeaseStore
from songgate.store.relay import RelayStore
from songgate.store.tasks import TaskStore
from songgate.worker.progress import ProgressReporter

log = logging.getLogger("songgate.worker")

INTERNAL_FAILURE = "the provider failed unexpectedly"
OUTCOME_RETRY_FIRST_DELAY = 0.05  # seconds before a failed final write is tried again
OUTCOME_RETRY_MAX_DELAY = 1.0
REAPER_LEASE = "reaper"


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """How a worker claims, holds, retries and gives back tasks."""

    concurrency: int  # tasks run at once by this worker
    lease_seconds: float  # a claim holds a task this long unless renewed
    heartbeat_seconds: float  # leases of running tasks are renewed this often
    poll_interval_seconds: float  # with nothing claimed, look again after this
    reaper_interval_seconds: float  # expired leases and deadlines are swept this often
    retry_delay_seconds: float  # a failed attempt waits this long before the next
    shutdown_grace_seconds: float  # on stop, running tasks may finish within this
    progress_write_interval_seconds: float  # progress is written at most this often


@dataclass
class _Run:
    task: Task
    job: asyncio.Task[None]
    # Set once the provider is done: the run is writing its outcome, which the lease
    # token guards by itself, so a heartbeat must not cancel it halfway through.
    finishing: bool = False

    @property
    def lease_token(self) -> str:
        assert self.task.lease_token is not None
        return self.task.lease_token


def provider_task(task: Task) -> ProviderTask:
    spec: MusicSpec | LyricsSpec | ConcatSpec | FileSpec | StemSpec
    if task.action is Action.MUSIC:
        spec = task.music_spec()
    elif task.action is Action.CONCAT:
        spec = task.concat_spec()
    elif task.action is Action.FILE:
        spec = FileSpec.from_json(task.request)
    elif task.action is Action.STEM:
        spec = task.stem_spec()
    else:
        spec = task.lyrics_spec()
    return ProviderTask(
        id=task.id, action=task.action, spec=spec,
        clip_ids=tuple(task.clip_ids), attempt=task.attempts,
    )


class Worker:
    def __init__(
        self,
        store: TaskStore,
        providers: ProviderRegistry,
        settings: WorkerSettings,
        clock: Clock,
        metrics: Metrics,
        *,
        worker_id: str | None = None,
        run_reaper: bool = True,
        leases: LeaseStore | None = None,
    ) -> None:
        self.id = worker_id or new_worker_id()
        self._store = store
        self._providers = providers
        self._settings = settings
        self._clock = clock
        self._metrics = metrics
        self._run_reaper = run_reaper
        self._leases = leases  # None: reap without asking the cluster (a single process)
        self._relay = RelayStore(store.database)
        self.is_reaper = False
        self._runs: dict[str, _Run] = {}
        self._wake = asyncio.Event()

    @property
    def in_flight(self) -> int:
        return len(self._runs)

    async def run(self, stop: asyncio.Event) -> None:
        """Work until ``stop`` is set, then drain: finish, or give back, what is in flight."""
        log.info("worker started", extra={"worker": self.id, "loop": event_loop.running()})
        loops = [
            asyncio.create_task(self._every(self._settings.heartbeat_seconds, self._beat)),
            asyncio.create_task(self._store.signals.listen(self._wake.set, stop)),
        ]
        if self._run_reaper:
            loops.append(
                asyncio.create_task(self._every(self._settings.reaper_interval_seconds, self.reap))
            )
        try:
            while not stop.is_set():
                self._wake.clear()  # a signal from now on wakes the sleep below
                claimed = await self._guarded(self._claim_some, default=0)
                if not claimed:
                    await self._sleep_until(stop, self._settings.poll_interval_seconds)
        finally:
            await self._drain()
            for loop in loops:
                loop.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
            if self._leases is not None and self.is_reaper:
                await self._guarded(self._hand_over, default=0)
            log.info("worker stopped", extra={"worker": self.id})

    async def _sleep_until(self, stop: asyncio.Event, seconds: float) -> None:
        waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(self._wake.wait())]
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def _guarded(self, step: Callable[[], Awaitable[int]], *, default: int) -> int:
        """Run one loop step; a failing database is logged and retried, never fatal."""
        try:
            return await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker step failed", extra={"worker": self.id, "step": step.__name__})
            return default

    async def _every(self, interval: float, step: Callable[[], Awaitable[int]]) -> None:
        while True:
            await asyncio.sleep(interval)
            await self._guarded(step, default=0)

    async def _claim_some(self) -> int:
        free = self._settings.concurrency - len(self._runs)
        if free <= 0:
            return 0
        now = self._clock.now()
        claimed = await self._store.claim(
            now=now, lease_seconds=self._settings.lease_seconds, limit=free,
            providers=self._providers.names,
        )
        for task in claimed:
            self._metrics.claim_seconds.observe(max(0.0, now - task.run_after))
            job = asyncio.create_task(self._execute(task), name=f"task-{task.id}")
            self._runs[task.id] = _Run(task, job)
            job.add_done_callback(functools.partial(self._forget, task.id))
        return len(claimed)

    def _forget(self, task_id: str, _job: asyncio.Task[None]) -> None:
        self._runs.pop(task_id, None)
        self._wake.set()

    async def _execute(self, task: Task) -> None:
        assert task.lease_token is not None
        token = task.lease_token
        store, clock = self._store, self._clock
        reporter = ProgressReporter(
            store, task.id, token, clock,
            min_interval=self._settings.progress_write_interval_seconds,
        )
        context = {"worker": self.id, "task_id": task.id, "attempt": task.attempts}
        log.info("task claimed", extra=context)
        try:
            provider = self._providers.get(task.provider)
            remaining = max(0.0, task.deadline_at - clock.now())
            try:
                result = await asyncio.wait_for(
                    provider.run(provider_task(task), reporter), remaining
                )
            finally:
                self._runs[task.id].finishing = True
        except LeaseLost:
            self._metrics.lease_lost.inc()
            log.warning("lease lost; run abandoned", extra=context)
            return
        except TimeoutError:
            finished = await self._write_outcome(
                lambda: store.time_out(task.id, token, now=clock.now()), context)
        except ProviderError as error:
            log.warning("provider error", extra={**context, "retryable": error.retryable,
                                                 "reason": error.message})
            message = error.message
            if error.retryable:
                finished = await self._write_outcome(lambda: store.retry(
                    task.id, token, message, now=clock.now(),
                    delay=self._settings.retry_delay_seconds,
                ), context)
            else:
                finished = await self._write_outcome(
                    lambda: store.fail(task.id, token, message, now=clock.now()), context)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            reason = storage_failure(error)  # disk full, media dir not writable: say so
            if reason is None:
                log.exception("provider crashed", extra=context)
            else:
                log.error("media storage failed", extra={**context, "error": str(error)})
            finished = await self._write_outcome(lambda: store.retry(
                task.id, token, reason or INTERNAL_FAILURE, now=clock.now(),
                delay=self._settings.retry_delay_seconds,
            ), context)
        else:
            if isinstance(result, HandedOff):
                handed = result
                finished = await self._write_outcome(lambda: self._relay.hand_off(
                    task.id, token, handed.channel, handed.upstream_id, now=clock.now()
                ), context)
                if finished is not None:
                    log.info("task handed to upstream",
                             extra={**context, "channel": result.channel})
                    return
            else:
                done = result
                finished = await self._write_outcome(
                    lambda: store.succeed(task.id, token, done, now=clock.now()), context)
        if finished is None:
            self._metrics.lease_lost.inc()
            log.warning("finish refused: the lease was lost", extra=context)
            return
        self._metrics.finished.labels(finished.action.value, finished.status.value).inc()
        log.info("task left worker", extra={**context, "status": finished.status.value})

    async def _write_outcome(
        self, write: Callable[[], Awaitable[Task | None]], context: dict[str, object]
    ) -> Task | None:
        """A run's final write, tried again in place while the database is unreachable.

        Without this a blip at the wrong moment would leave the task to the reaper, which
        runs it again and spends an attempt on a result already in hand. The lease guards
        each try; tries stop once a lease's length has passed since the first failure (the
        lease has lapsed by then unless heartbeats renewed it), and the error is raised.
        """
        delay = OUTCOME_RETRY_FIRST_DELAY
        gave_up_at: float | None = None
        while True:
            try:
                return await write()
            except ServiceUnavailable as error:
                now = time.monotonic()
                if gave_up_at is None:
                    gave_up_at = now + self._settings.lease_seconds
                if now + delay > gave_up_at:
                    raise
                log.warning("writing the outcome failed; trying again",
                            extra={**context, "error": type(error.__cause__ or error).__name__,
                                   "retry_in": delay})
            await asyncio.sleep(delay)
            delay = min(delay * 2, OUTCOME_RETRY_MAX_DELAY)

    async def _beat(self) -> int:
        now = self._clock.now()
        runs = list(self._runs.values())
        if not runs:
            return 0
        held = await self._store.heartbeats(  # every lease this worker holds, at once
            {run.task.id: run.lease_token for run in runs}, now=now,
            lease_seconds=self._settings.lease_seconds,
        )
        for run in runs:
            if run.task.id not in held and not run.finishing:
                self._metrics.lease_lost.inc()
                log.warning("lease lost; cancelling run", extra={"task_id": run.task.id})
                run.job.cancel()
        return len(self._runs)

    async def reap(self) -> int:
        """Sweep expired leases and deadlines, if this node holds the cluster's reaper lease."""
        if self._leases is not None:
            ttl = max(3 * self._settings.reaper_interval_seconds, self._settings.lease_seconds)
            self.is_reaper = await self._leases.acquire(
                REAPER_LEASE, self.id, now=self._clock.now(), ttl=ttl
            )
            if not self.is_reaper:
                return 0
        report = await self._store.reap(
            now=self._clock.now(), retry_delay=self._settings.retry_delay_seconds
        )
        for outcome, ids in (("requeued", report.requeued), ("failed", report.failed),
                             ("timed_out", report.timed_out)):
            if ids:
                self._metrics.reaped.labels(outcome).inc(len(ids))
                log.warning("reaper " + outcome, extra={"task_ids": ids})
        return report.total

    async def _hand_over(self) -> int:
        """Give up the reaper lease so another node takes it without waiting for expiry."""
        assert self._leases is not None
        await self._leases.release(REAPER_LEASE, self.id)
        self.is_reaper = False
        return 1

    async def _drain(self) -> None:
        """Let in-flight runs finish within the grace period; give the rest back to the queue."""
        runs = list(self._runs.values())
        if not runs:
            return
        log.info("draining", extra={"worker": self.id, "in_flight": len(runs)})
        await asyncio.wait([r.job for r in runs], timeout=self._settings.shutdown_grace_seconds)
        for run in runs:
            if run.job.done():
                continue
            run.job.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await run.job
            released = await self._store.release(run.task.id, run.lease_token,
                                                 now=self._clock.now())
            log.info("task released", extra={"task_id": run.task.id,
                                             "released": released is not None})
