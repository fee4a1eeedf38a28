"""Polling unfinished tasks on SQLite is served from memory between commits, yet a fetch
always shows every commit that finished before it began, whichever connection or process
made it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.wiring import Services, stores_of
from tests.support.settings import scripted_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return scripted_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}")


@pytest.fixture
async def elsewhere(settings: Settings, clock: ManualClock) -> AsyncIterator[Services]:
    """Another process's view of the same database: its own connections."""
    built = Services.build(settings, clock)
    yield built
    await built.close()


async def statuses(services: Services, account: Account, ids: list[str]) -> list[str]:
    body = await services.task_service.fetch_many(account, {"ids": ids})
    return [task["status"] for task in orjson.loads(body)["data"]]


async def test_a_poll_sees_each_commit_made_before_it(
    services: Services, elsewhere: Services, account: Account, clock: ManualClock
) -> None:
    ids = [await services.task_service.submit(account, Action.LYRICS, {"prompt": f"s {i}"})
           for i in range(3)]
    assert await statuses(services, account, ids) == ["SUBMITTED"] * 3
    assert await statuses(services, account, ids) == ["SUBMITTED"] * 3  # from memory
    # Claimed through other connections, as another worker process would.
    [claimed] = await stores_of(elsewhere).tasks.claim(now=clock.now(), lease_seconds=60,
                                                       limit=1)
    assert await statuses(services, account, ids) == ["QUEUED", "SUBMITTED", "SUBMITTED"]
    await stores_of(elsewhere).tasks.progress(claimed.id, claimed.lease_token or "", 0.5)
    assert await statuses(services, account, ids) == ["IN_PROGRESS", "SUBMITTED", "SUBMITTED"]
    # And through this process's own writer.
    await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=60, limit=5)
    assert await statuses(services, account, ids) == ["IN_PROGRESS", "QUEUED", "QUEUED"]


async def test_a_poll_from_memory_stays_scoped_to_the_account(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    mine = await services.task_service.submit(account, Action.LYRICS, {"prompt": "mine"})
    theirs = await services.task_service.submit(other, Action.MUSIC, {"prompt": "theirs"})
    for _ in range(2):  # read, then from memory
        assert await statuses(services, account, [mine, theirs]) == ["SUBMITTED"]
        assert await statuses(services, other, [mine, theirs]) == ["SUBMITTED"]
        lyrics_only = await services.task_service.fetch_many(
            other, {"ids": [theirs], "action": "LYRICS"})
        assert orjson.loads(lyrics_only)["data"] == []


async def ended_task(services: Services, account: Account, clock: ManualClock) -> str:
    """A new task, claimed and failed at once (no other task may be waiting)."""
    task_id = await services.task_service.submit(account, Action.LYRICS, {"prompt": "end"})
    store = stores_of(services).tasks
    [held] = await store.claim(now=clock.now(), lease_seconds=60, limit=1)
    assert held.id == task_id
    await store.fail(task_id, held.lease_token or "", "stopped", now=clock.now())
    return task_id


@pytest.mark.parametrize("finished_first", [True, False])
async def test_a_poll_that_begins_with_finished_tasks_still_sees_each_commit(
    services: Services, elsewhere: Services, account: Account, clock: ManualClock,
    finished_first: bool,
) -> None:
    """Finished tasks come from memory without asking the database its version; the
    version is read at the first other id, wherever it is in the list."""
    done = await ended_task(services, account, clock)
    running = [await services.task_service.submit(account, Action.LYRICS, {"prompt": f"r {i}"})
               for i in range(2)]
    ids = [done, *running] if finished_first else [*running, done]
    shown = ["FAILURE", "SUBMITTED", "SUBMITTED"]
    for _ in range(2):  # read, then every one from memory
        assert await statuses(services, account, ids) == (
            shown if finished_first else [*shown[1:], shown[0]])
    [claimed] = await stores_of(elsewhere).tasks.claim(now=clock.now(), lease_seconds=60,
                                                       limit=1)
    assert claimed.id == running[0]
    shown = ["FAILURE", "QUEUED", "SUBMITTED"]
    for _ in range(2):
        assert await statuses(services, account, ids) == (
            shown if finished_first else [*shown[1:], shown[0]])
    await stores_of(elsewhere).tasks.progress(claimed.id, claimed.lease_token or "", 0.5)
    # one id alone, then the second unfinished one alone: the version is read for each
    assert await statuses(services, account, [running[0]]) == ["IN_PROGRESS"]
    assert await statuses(services, account, [done, running[1]]) == ["FAILURE", "SUBMITTED"]
    await stores_of(elsewhere).tasks.claim(now=clock.now(), lease_seconds=60, limit=1)
    assert await statuses(services, account, [done, running[1]]) == ["FAILURE", "QUEUED"]
    assert await statuses(services, account, ids) == (
        ["FAILURE", "IN_PROGRESS", "QUEUED"] if finished_first
        else ["IN_PROGRESS", "QUEUED", "FAILURE"])


async def test_a_poll_of_finished_tasks_asks_nothing_of_the_database(
    services: Services, account: Account, clock: ManualClock
) -> None:
    ids = [await ended_task(services, account, clock) for _ in range(2)]
    reader = stores_of(services).database.sqlite_reader
    assert reader is not None
    asked: list[str] = []
    reader._connect().set_trace_callback(asked.append)  # the statements it runs
    assert await statuses(services, account, ids) == ["FAILURE"] * 2
    assert asked  # read once, from the table
    asked.clear()
    assert await statuses(services, account, ids) == ["FAILURE"] * 2
    assert await statuses(services, account, ids[:1]) == ["FAILURE"]
    assert asked == []
    running = await services.task_service.submit(account, Action.LYRICS, {"prompt": "r"})
    assert await statuses(services, account, [*ids, running]) == ["FAILURE", "FAILURE",
                                                                  "SUBMITTED"]
    assert asked[0] == "PRAGMA data_version"
