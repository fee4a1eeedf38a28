"""Listing an account's tasks by keyset, on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.domain.listing import Cursor, ListQuery
from songgate.domain.status import Action, TaskStatus
from songgate.wiring import Services, stores_of
from tests.support.tasks import add_task


def query(limit: int = 20, *, before: Cursor | None = None, action: Action | None = None,
          statuses: frozenset[TaskStatus] = frozenset()) -> ListQuery:
    return ListQuery(statuses=statuses, action=action, before=before, limit=limit)


async def test_newest_first_ties_by_id_and_only_the_accounts_own(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    older = await add_task(services, account, at=100.0)
    tied = [await add_task(services, account, at=200.5, task_id=f"tie-{n}") for n in "cab"]
    await add_task(services, other, at=300.0)
    rows = await stores_of(services).listing.page(account.id, query())
    assert [row.task_id for row in rows] == [*sorted(tied, reverse=True), older]
    assert [row.submit_time for row in rows] == [200.5, 200.5, 200.5, 100.0]
    assert orjson.loads(rows[0].dto)["task_id"] == "tie-c"


async def test_keyset_pages_cross_ties_without_gaps_or_repeats(
    services: Services, account: Account
) -> None:
    made = [await add_task(services, account, at=1000.0 + n // 4, task_id=f"t{n:02d}")
            for n in range(10)]  # four tasks per submit time
    store = stores_of(services).listing
    seen: list[str] = []
    cursor: Cursor | None = None
    while True:
        rows = await store.page(account.id, query(3, before=cursor))
        seen += [row.task_id for row in rows[:3]]
        if len(rows) <= 3:
            break
        cursor = Cursor(rows[2].submit_time, rows[2].task_id)
    expected = sorted(made, key=lambda t: (1000.0 + int(t[1:]) // 4, t), reverse=True)
    assert seen == expected


async def test_filters_by_status_and_action(services: Services, account: Account) -> None:
    done = await add_task(services, account, at=1.0, outcome="success")
    failed = await add_task(services, account, at=2.0, outcome="failure")
    lyrics = await add_task(services, account, at=3.0, action=Action.LYRICS, outcome="success")
    waiting = await add_task(services, account, at=4.0)
    store = stores_of(services).listing

    async def ids(**filters: object) -> list[str]:
        return [row.task_id for row in await store.page(account.id, query(**filters))]  # type: ignore[arg-type]

    assert await ids(statuses=frozenset({TaskStatus.SUCCESS})) == [lyrics, done]
    assert await ids(statuses=frozenset({TaskStatus.FAILURE, TaskStatus.SUBMITTED})) == [
        waiting, failed]
    assert await ids(action=Action.LYRICS) == [lyrics]
    assert await ids(action=Action.MUSIC, statuses=frozenset({TaskStatus.SUCCESS})) == [done]
    assert await ids(statuses=frozenset({TaskStatus.IN_PROGRESS})) == []
