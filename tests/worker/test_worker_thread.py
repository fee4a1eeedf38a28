"""``serve``'s worker on its own thread: it finishes tasks while the API's loop is busy,
is woken by the API's submits, drains on stop, and its failure reaches the API side."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from songgate.clock import SystemClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.runtime import work
from songgate.wiring import Services, stores_of
from songgate.worker_thread import SERVE_CONCURRENCY, WorkerThread, serve_settings
from tests.support.settings import scripted_settings

# Polling is the fallback for a missed wake; an hour makes a missed one visible.
SETTINGS = {
    "poll_interval_seconds": 3600, "heartbeat_seconds": 0.05, "lease_seconds": 5.0,
    "reaper_interval_seconds": 3600, "shutdown_grace_seconds": 0.2, "retry_delay_seconds": 0,
    "progress_write_interval_seconds": 0,
}
PATIENCE = 30.0  # how long a check waits for what must happen


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return scripted_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}",
                             **SETTINGS)


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Services]:
    built = Services.build(settings, SystemClock())
    await built.migrate()
    yield built
    await built.close()


@pytest.fixture
async def owner(api: Services) -> Account:
    return await stores_of(api).accounts.create_account("alice", now=api.clock.now())


def status_in_file(database: Path, task_id: str) -> str:
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT status FROM tasks WHERE id = ?", (task_id,)).fetchone()
    return str(row[0])


def wait_blocking(database: Path, task_id: str, status: str) -> str:
    """Hold this thread (and the event loop running on it) until the task has ``status``."""
    deadline = time.monotonic() + PATIENCE
    seen = status_in_file(database, task_id)
    while seen != status and time.monotonic() < deadline:
        time.sleep(0.02)
        seen = status_in_file(database, task_id)
    return seen


async def test_a_task_finishes_while_the_api_loop_never_yields(
    api: Services, owner: Account, settings: Settings
) -> None:
    stop = asyncio.Event()
    side = asyncio.create_task(WorkerThread(settings, api, work).run(stop))
    try:
        await asyncio.sleep(0)  # the thread starts; its worker then sleeps for an hour
        task_id = await api.task_service.submit(owner, Action.LYRICS, {"prompt": "a song"})
        # The API's loop is held from here on: only a worker elsewhere can finish the task,
        # and only the submit's wake (not polling) can have told it.
        assert wait_blocking(settings.data_dir / "songgate.db", task_id, "SUCCESS") == "SUCCESS"
    finally:
        stop.set()
        await side
    finished = api.metrics.registry.get_sample_value(
        "songgate_tasks_finished_total", {"action": "LYRICS", "status": "SUCCESS"})
    assert finished == 1.0  # the worker reports into the API's metrics


async def test_stopping_drains_the_thread_and_gives_back_a_running_task(
    api: Services, owner: Account, settings: Settings
) -> None:
    stop = asyncio.Event()
    side = asyncio.create_task(WorkerThread(settings, api, work).run(stop))
    task_id = await api.task_service.submit(owner, Action.LYRICS,
                                            {"prompt": "script:hang=1"})
    database = settings.data_dir / "songgate.db"
    assert await asyncio.to_thread(wait_blocking, database, task_id, "IN_PROGRESS") \
        == "IN_PROGRESS"
    stop.set()
    await asyncio.wait_for(side, PATIENCE)
    assert status_in_file(database, task_id) == "SUBMITTED"  # released, not lost


async def test_a_failing_worker_side_fails_the_api_side(
    api: Services, settings: Settings
) -> None:
    async def broken(_: Services, __: asyncio.Event) -> None:
        raise RuntimeError("the worker side broke")

    with pytest.raises(RuntimeError, match="the worker side broke"):
        await asyncio.wait_for(WorkerThread(settings, api, broken).run(asyncio.Event()),
                               PATIENCE)


def test_serve_runs_many_tasks_at_once_unless_told_otherwise(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}"
    unset = scripted_settings(tmp_path, url)
    assert serve_settings(unset).worker_concurrency == max(SERVE_CONCURRENCY,
                                                           unset.worker_concurrency)
    told = scripted_settings(tmp_path, url, worker_concurrency=3)
    assert serve_settings(told).worker_concurrency == 3
