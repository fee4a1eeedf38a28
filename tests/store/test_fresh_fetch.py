"""Polling unfinished tasks on SQLite is served from memory between commits, yet a fetch
always shows every commit that finished before it began, whichever connection or process
made it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import orjson
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.errors import InvalidRequest
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


async def polled(services: Services, account: Account, ids: list[str],
                 asked_ns: int | None = None) -> bytes:
    """The answer to a poll's request body as a client sends it."""
    return await services.task_service.fetch_body(account, orjson.dumps({"ids": ids}),
                                                  asked_ns=asked_ns)


async def test_a_repeated_poll_is_answered_again_until_a_commit(
    services: Services, elsewhere: Services, account: Account, clock: ManualClock
) -> None:
    ids = [await services.task_service.submit(account, Action.LYRICS, {"prompt": f"s {i}"})
           for i in range(2)]
    reader = stores_of(services).database.sqlite_reader
    assert reader is not None
    asked: list[str] = []
    reader._connect().set_trace_callback(asked.append)
    first = await polled(services, account, ids)
    asked.clear()
    assert await polled(services, account, ids) == first
    assert asked == ["PRAGMA data_version"]  # the version, and nothing looked up again
    await stores_of(elsewhere).tasks.claim(now=clock.now(), lease_seconds=60, limit=1)
    statuses_now = [task["status"] for task in
                    orjson.loads(await polled(services, account, ids))["data"]]
    assert statuses_now == ["QUEUED", "SUBMITTED"]
    # another body (the same ids the other way round) is its own answer
    backwards = [task["status"] for task in
                 orjson.loads(await polled(services, account, ids[::-1]))["data"]]
    assert backwards == ["SUBMITTED", "QUEUED"]


async def test_a_repeated_poll_stays_scoped_to_the_account(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    mine = await services.task_service.submit(account, Action.LYRICS, {"prompt": "mine"})
    for _ in range(2):
        assert len(orjson.loads(await polled(services, account, [mine]))["data"]) == 1
        assert orjson.loads(await polled(services, other, [mine]))["data"] == []


async def test_a_bad_poll_is_refused_every_time(
    services: Services, account: Account
) -> None:
    for _ in range(2):
        with pytest.raises(InvalidRequest, match="ids must be an array"):
            await services.task_service.fetch_body(account, b'{"ids": "x"}')
        with pytest.raises(InvalidRequest, match="not valid JSON"):
            await services.task_service.fetch_body(account, b'{"ids": [')


async def test_polls_that_arrived_before_a_read_share_it_and_later_ones_read_again(
    services: Services, elsewhere: Services, account: Account, clock: ManualClock
) -> None:
    """A read of the version begun after a request arrived is fresh enough for it: every
    commit that finished before the request arrived finished before that read."""
    task_id = await services.task_service.submit(account, Action.LYRICS, {"prompt": "s"})
    reader = stores_of(services).database.sqlite_reader
    assert reader is not None
    asked: list[str] = []
    reader._connect().set_trace_callback(asked.append)
    arrived_early = time.monotonic_ns()
    await polled(services, account, [task_id])  # no arrival known: reads
    assert asked.count("PRAGMA data_version") == 1
    await stores_of(elsewhere).tasks.claim(now=clock.now(), lease_seconds=60, limit=1)
    # arrived before that read began (so before this commit): the read is shared
    early = orjson.loads(await polled(services, account, [task_id], arrived_early))
    assert early["data"][0]["status"] == "SUBMITTED"
    assert asked.count("PRAGMA data_version") == 1
    # arrived after the commit: reads again, and sees it
    late = orjson.loads(await polled(services, account, [task_id], time.monotonic_ns()))
    assert late["data"][0]["status"] == "QUEUED"
    assert asked.count("PRAGMA data_version") == 2
    one = orjson.loads(await services.task_service.fetch_one(
        account, task_id, asked_ns=time.monotonic_ns()))
    assert one["data"]["status"] == "QUEUED"
