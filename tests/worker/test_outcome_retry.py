"""A run's final write that meets a database it cannot write to is tried again in place:
the task finishes on its first attempt instead of being run again by the reaper."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from songgate.clock import SystemClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.results import LyricsResult, TaskResult
from songgate.domain.status import Action, TaskStatus
from songgate.providers.base import ProgressSink, ProviderContext, ProviderTask
from songgate.wiring import Services, stores_of, worker_settings
from songgate.worker.runner import Worker
from tests.support.settings import scripted_settings

HELD_SECONDS = 1.0  # how long the write lock is held after the provider returns
PATIENCE = 30.0


class LockingProvider:
    """Returns its result while another connection holds the database's write lock, so the
    worker's final write cannot get through until the lock is let go."""

    database: Path | None = None  # set by the test
    runs = 0

    def __init__(self, _: ProviderContext) -> None:
        pass

    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult:
        type(self).runs += 1
        assert self.database is not None
        holder = sqlite3.connect(self.database, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")

        def let_go() -> None:
            holder.execute("COMMIT")
            holder.close()

        threading.Timer(HELD_SECONDS, let_go).start()
        return LyricsResult(title="Held", text="[Verse]\nheld")

    async def close(self) -> None:
        pass


def locking(context: ProviderContext) -> LockingProvider:
    return LockingProvider(context)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return scripted_settings(
        tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}",
        providers={"locking": f"{__name__}:locking"}, routes={"LYRICS": "locking"},
        sqlite_busy_timeout_seconds=0.1, lease_seconds=20, heartbeat_seconds=5,
        poll_interval_seconds=0.05, max_attempts=3,
    )


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[Services]:
    built = Services.build(settings, SystemClock())
    await built.migrate()
    yield built
    await built.close()


async def test_a_final_write_that_fails_is_retried_and_the_task_finishes_first_time(
    live: Services, settings: Settings
) -> None:
    LockingProvider.database = settings.data_dir / "songgate.db"
    LockingProvider.runs = 0
    owner: Account = await stores_of(live).accounts.create_account("alice", now=time.time())
    task_id = await live.task_service.submit(owner, Action.LYRICS, {"prompt": "a song"})
    registry = live.provider_registry()
    worker = Worker(stores_of(live).tasks, registry, worker_settings(settings), live.clock,
                    live.metrics)
    stop = asyncio.Event()
    job = asyncio.create_task(worker.run(stop))
    try:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            task = await stores_of(live).tasks.get(task_id)
            if task is not None and task.status is TaskStatus.SUCCESS:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await job
        await registry.close()
    task = await stores_of(live).tasks.get(task_id)
    assert task is not None and task.status is TaskStatus.SUCCESS
    assert task.attempts == 1 and LockingProvider.runs == 1
