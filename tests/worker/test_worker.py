"""The worker against a real database and the scripted provider, in real (short) time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from songgate.clock import SystemClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action, TaskStatus
from songgate.domain.task import Task
from songgate.wiring import Services, stores_of, worker_settings
from songgate.worker.runner import Worker

FAST = {
    "poll_interval_seconds": 0.02, "heartbeat_seconds": 0.05, "lease_seconds": 1.0,
    "reaper_interval_seconds": 0.05, "shutdown_grace_seconds": 0.2, "retry_delay_seconds": 0,
}


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[Services]:
    built = Services.build(settings.model_copy(update=FAST), SystemClock())
    await built.migrate()
    yield built
    await built.close()


@pytest.fixture
async def owner(live: Services) -> Account:
    return await stores_of(live).accounts.create_account("alice", now=live.clock.now())


@contextlib.asynccontextmanager
async def running_worker(
    services: Services, *, cluster: bool = False, **changes: Any
) -> AsyncIterator[Worker]:
    settings = services.settings.model_copy(update=changes)
    registry = services.provider_registry()
    worker = Worker(stores_of(services).tasks, registry, worker_settings(settings), services.clock,
                    services.metrics, leases=stores_of(services).leases if cluster else None)
    stop = asyncio.Event()
    job = asyncio.create_task(worker.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        await job
        await registry.close()


async def submit(services: Services, account: Account, action: Action, **body: str) -> str:
    return await services.task_service.submit(account, action, body)


async def wait_for(services: Services, task_id: str, *statuses: TaskStatus,
                   timeout: float = 10) -> Task:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        task = await stores_of(services).tasks.get(task_id)
        assert task is not None
        if task.status in statuses:
            return task
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"task stayed {task.status}: {task.fail_reason}")
        await asyncio.sleep(0.02)


async def test_task_moves_through_real_progress(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.MUSIC, prompt="la", title="Song script:sleep=1")
    seen: set[tuple[TaskStatus, int]] = set()
    async with running_worker(live):
        while True:
            task = await stores_of(live).tasks.get(task_id)
            assert task is not None
            seen.add((task.status, task.progress))
            if task.is_terminal:
                break
            await asyncio.sleep(0.01)
    assert task.status is TaskStatus.SUCCESS and task.progress == 100
    assert task.start_time >= task.submit_time and task.finish_time >= task.start_time
    middle = {p for s, p in seen if s is TaskStatus.IN_PROGRESS and 0 < p < 100}
    assert len(middle) >= 3, seen
    assert {c["status"] for c in task.data} == {"complete"}
    assert task.data[0]["title"] == "Song"
    assert live.metrics.finished.labels("MUSIC", "SUCCESS")._value.get() == 1


async def test_lyrics_task(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.LYRICS, prompt="summer by the sea")
    async with running_worker(live):
        task = await wait_for(live, task_id, TaskStatus.SUCCESS)
    assert task.data["status"] == "complete" and task.data["title"] == "Happy Weekend"


async def test_retryable_failure_runs_again(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.LYRICS,
                           prompt="script:fail=retryable;fail_until=1")
    async with running_worker(live):
        task = await wait_for(live, task_id, TaskStatus.SUCCESS, TaskStatus.FAILURE)
    assert task.status is TaskStatus.SUCCESS and task.attempts == 2
    assert "attempt 2" in task.data["text"]


async def test_final_failure_keeps_the_reason(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.MUSIC, prompt="la", title="script:fail=final")
    async with running_worker(live):
        task = await wait_for(live, task_id, TaskStatus.FAILURE)
    assert task.fail_reason == "the prompt was refused" and task.attempts == 1
    assert {c["status"] for c in task.data} == {"error"}


async def test_crashing_provider_gives_up_without_leaking(
    live: Services, owner: Account
) -> None:
    task_id = await submit(live, owner, Action.LYRICS, prompt="script:fail=crash")
    async with running_worker(live):
        task = await wait_for(live, task_id, TaskStatus.FAILURE)
    assert task.attempts == 3
    assert task.fail_reason == "the provider failed unexpectedly (gave up after 3 attempts)"


async def test_shutdown_returns_in_flight_tasks(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.LYRICS, prompt="script:hang=1")
    async with running_worker(live) as worker:
        await wait_for(live, task_id, TaskStatus.IN_PROGRESS)
        assert worker.in_flight == 1
    task = await stores_of(live).tasks.get(task_id)
    assert task is not None and task.status is TaskStatus.SUBMITTED
    assert task.attempts == 0 and task.lease_token is None


async def test_shutdown_lets_short_runs_finish(live: Services, owner: Account) -> None:
    task_id = await submit(live, owner, Action.LYRICS, prompt="script:sleep=0.3")
    async with running_worker(live, shutdown_grace_seconds=5):
        await wait_for(live, task_id, TaskStatus.IN_PROGRESS)
    task = await stores_of(live).tasks.get(task_id)
    assert task is not None and task.status is TaskStatus.SUCCESS


async def test_lost_lease_cancels_the_run_and_its_finish(
    live: Services, owner: Account
) -> None:
    task_id = await submit(live, owner, Action.LYRICS, prompt="script:sleep=0.6")
    async with running_worker(live, reaper_interval_seconds=60) as worker:
        running = await wait_for(live, task_id, TaskStatus.IN_PROGRESS)
        # Another node's reaper decides the lease expired and requeues the task.
        report = await stores_of(live).tasks.reap(now=running.lease_expires_at + 1,  # type: ignore[operator]
                                       retry_delay=60)
        assert report.requeued == [task_id]
        for _ in range(100):
            if worker.in_flight == 0:
                break
            await asyncio.sleep(0.02)
        assert worker.in_flight == 0
    task = await stores_of(live).tasks.get(task_id)
    assert task is not None and task.status is TaskStatus.SUBMITTED
    assert live.metrics.lease_lost._value.get() >= 1


async def test_deadline_fails_a_hanging_task(live: Services, owner: Account) -> None:
    # The deadline is fixed at submission, by the settings of the API that took it.
    impatient = Services.build(
        live.settings.model_copy(update={"task_timeout_seconds": 0.3}), SystemClock())
    task_id = await submit(impatient, owner, Action.LYRICS, prompt="script:hang=1")
    await impatient.close()
    async with running_worker(live):
        task = await wait_for(live, task_id, TaskStatus.FAILURE)
    assert task.fail_reason == "timed out: not finished within 0.3 s of submission"


async def test_one_worker_of_a_cluster_reaps_and_hands_over_when_it_stops(
    live: Services,
) -> None:
    async with running_worker(live, cluster=True, reaper_interval_seconds=1.0) as stays:
        async with running_worker(live, cluster=True, reaper_interval_seconds=0.05) as leaves:
            await asyncio.sleep(1.3)  # both have asked; the quicker one holds the lease
            assert leaves.is_reaper and not stays.is_reaper
        assert not leaves.is_reaper  # released at shutdown, not left to expire
        for _ in range(30):
            if stays.is_reaper:
                break
            await asyncio.sleep(0.1)
        assert stays.is_reaper


async def test_a_new_task_wakes_a_sleeping_worker(live: Services, owner: Account) -> None:
    async with running_worker(live, poll_interval_seconds=30):
        await asyncio.sleep(0.3)  # nothing to do: asleep for the next 30 s
        task_id = await submit(live, owner, Action.LYRICS, prompt="wake up")
        # done long before the next poll: the insert woke the worker
        await wait_for(live, task_id, TaskStatus.SUCCESS, timeout=5)


async def test_a_task_from_another_process_wakes_it_through_postgres(
    live: Services, owner: Account
) -> None:
    if stores_of(live).database.is_sqlite:
        pytest.skip("across processes SQLite workers poll; NOTIFY is PostgreSQL's")
    elsewhere = Services.build(live.settings, SystemClock())  # another API process's store
    try:
        async with running_worker(live, poll_interval_seconds=30):
            await asyncio.sleep(0.5)  # listening, and asleep
            task_id = await submit(elsewhere, owner, Action.LYRICS, prompt="hello there")
            # done long before the next poll: NOTIFY woke the worker
            await wait_for(live, task_id, TaskStatus.SUCCESS, timeout=5)
    finally:
        await elsewhere.close()


async def test_a_finishing_run_is_not_taken_for_a_lost_lease(
    live: Services, owner: Account
) -> None:
    ids = [await submit(live, owner, Action.LYRICS, prompt=f"quick {i}") for i in range(150)]
    async with running_worker(live, heartbeat_seconds=0.002, worker_concurrency=8):
        for task_id in ids:
            await wait_for(live, task_id, TaskStatus.SUCCESS)
    assert live.metrics.lease_lost._value.get() == 0
