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
