"""Group commit on SQLite and PostgreSQL: submits that arrive together share one commit,
yet each is checked (limits, balance) as if it were alone, and a bad one fails alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.submit import parse_music
from songgate.errors import QuotaNotEnough, RateLimited
from songgate.store.tables import clips, ledger, tasks
from songgate.wiring import Services, stores_of
from tests.store.test_credits import assert_books_balance

PRICE = 10


def new_task(account: Account, now: float, task_id: str = "") -> rules.Task:
    return rules.new_music_task(
        task_id=task_id or str(uuid.uuid4()), account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la"}), clip_ids=[str(uuid.uuid4()) for _ in "ab"],
        provider="scripted", now=now, max_attempts=2, timeout_seconds=600,
    )


@contextmanager
def counting_commits(services: Services) -> Iterator[list[int]]:
    """How many transactions the store committed while the block ran: those ended by a
    ``COMMIT`` and the statements that committed by themselves."""
    commits = [0]

    def committed(_: Any) -> None:
        commits[0] += 1

    def executed(conn: Any, *_: Any) -> None:
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            commits[0] += 1

    engines = stores_of(services).database.write_engines
    for engine in engines:
        event.listen(engine, "commit", committed)
        event.listen(engine, "before_cursor_execute", executed)
    try:
        yield commits
    finally:
        for engine in engines:
            event.remove(engine, "commit", committed)
            event.remove(engine, "before_cursor_execute", executed)


async def stored(services: Services, table: Any, account: Account) -> int:
    async with stores_of(services).database.read() as conn:
        return int((await conn.execute(
            select(func.count()).select_from(table).where(table.c.account_id == account.id)
        )).scalar_one())


async def test_submits_that_arrive_together_share_one_commit(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    batch = [new_task(account, clock.now()) for _ in range(20)]
    with counting_commits(services) as commits:
        await asyncio.gather(*(store.insert(task) for task in batch))
    assert commits == [1]
    assert await stored(services, tasks, account) == 20
    assert await stored(services, clips, account) == 40
    for task in batch:
        found = await store.get(task.id)
        assert found is not None and found.clip_ids == task.clip_ids


async def test_each_submit_of_a_group_is_charged_until_the_balance_runs_out(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await stores_of(services).credits.topup(account.id, 7 * PRICE + 5, "", now=clock.now())
    store = stores_of(services).tasks
    batch = [new_task(account, clock.now()) for _ in range(12)]
    outcomes = await asyncio.gather(*(store.insert(task, charge=PRICE) for task in batch),
                                    return_exceptions=True)
    # In arrival order, exactly as one by one: the first seven paid, the rest are refused.
    assert [outcome is None for outcome in outcomes] == [True] * 7 + [False] * 5
    refusals = [outcome for outcome in outcomes if outcome is not None]
    assert all(isinstance(refusal, QuotaNotEnough) for refusal in refusals)
    assert str(refusals[0]) == f"this task costs {PRICE} credits; the balance is 5"
    assert await stores_of(services).credits.balance(account.id) == 5
    assert await stored(services, ledger, account) == 1 + 7  # the topup, seven charges
    assert await stored(services, tasks, account) == 7
    assert await assert_books_balance(services, account) == 5
    for task, outcome in zip(batch, outcomes, strict=True):
        assert (await store.get(task.id) is None) == (outcome is not None)


async def test_a_tokens_places_in_flight_are_held_across_a_group(
    services: Services, account: Account, clock: ManualClock
) -> None:
    record, _ = await stores_of(services).accounts.create_token(account, name="t",
                                                                now=clock.now())
    other, _ = await stores_of(services).accounts.create_token(account, name="u",
                                                               now=clock.now())
    store = stores_of(services).tasks
    await store.insert(new_task(account, clock.now()), token_id=record.id, in_flight_limit=3)
    mine = [store.insert(new_task(account, clock.now()), token_id=record.id, in_flight_limit=3)
            for _ in range(5)]
    theirs = [store.insert(new_task(account, clock.now()), token_id=other.id,
                           in_flight_limit=3) for _ in range(2)]
    outcomes = await asyncio.gather(*mine, *theirs, return_exceptions=True)
    assert [outcome is None for outcome in outcomes] == [True, True, False, False, False,
                                                         True, True]
    refused = outcomes[2]
    assert isinstance(refused, RateLimited)
    assert str(refused) == "this token has 3 unfinished tasks, the most it may have"


async def test_a_submit_that_breaks_its_group_fails_alone(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await stores_of(services).credits.topup(account.id, 100 * PRICE, "", now=clock.now())
    store = stores_of(services).tasks
    taken = new_task(account, clock.now())
    await store.insert(taken)
    batch = [new_task(account, clock.now()) for _ in range(3)]
    twin = new_task(account, clock.now(), task_id=taken.id)  # its id is taken: it cannot go in
    outcomes = await asyncio.gather(
        *(store.insert(task, charge=PRICE) for task in [batch[0], twin, *batch[1:]]),
        return_exceptions=True,
    )
    assert outcomes[0] is None and outcomes[2] is None and outcomes[3] is None
    assert isinstance(outcomes[1], Exception)
    assert await stored(services, tasks, account) == 4
    # The failed submit's charge went away with it: three charges, no more.
    assert await assert_books_balance(services, account) == 100 * PRICE - 3 * PRICE


async def test_a_caller_gone_before_its_turn_leaves_nothing_behind(
    services: Services, account: Account, clock: ManualClock
) -> None:
    store = stores_of(services).tasks
    kept, dropped = new_task(account, clock.now()), new_task(account, clock.now())
    waiting = asyncio.create_task(store.insert(kept))
    gone = asyncio.create_task(store.insert(dropped))
    await asyncio.sleep(0)  # both wait for the writer, which has not run yet
    gone.cancel()
    await waiting
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert await store.get(kept.id) is not None
    assert await store.get(dropped.id) is None


async def test_a_group_that_charges_many_accounts_shares_one_commit(
    services: Services, account: Account, clock: ManualClock
) -> None:
    accounts = stores_of(services).accounts
    other = await accounts.create_account("bob", now=clock.now())
    for payer in (account, other):
        await stores_of(services).credits.topup(payer.id, 10 * PRICE, "", now=clock.now())
    store = stores_of(services).tasks
    batch = [new_task(payer, clock.now()) for payer in [account, other] * 4]
    with counting_commits(services) as commits:
        await asyncio.gather(*(store.insert(task, charge=PRICE) for task in batch))
    assert commits == [1]
    for payer in (account, other):
        assert await stored(services, tasks, payer) == 4
        assert await assert_books_balance(services, payer) == 6 * PRICE


async def test_a_short_balance_refuses_only_its_own_accounts_submits(
    services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    await stores_of(services).credits.topup(account.id, 2 * PRICE, "", now=clock.now())
    await stores_of(services).credits.topup(other.id, 10 * PRICE, "", now=clock.now())
    store = stores_of(services).tasks
    batch = [new_task(payer, clock.now()) for payer in [account, other] * 4]
    outcomes = await asyncio.gather(*(store.insert(task, charge=PRICE) for task in batch),
                                    return_exceptions=True)
    assert [outcome is None for outcome in outcomes] == [True, True, True, True,
                                                         False, True, False, True]
    assert await assert_books_balance(services, account) == 0
    assert await assert_books_balance(services, other) == 6 * PRICE
    assert await stored(services, tasks, account) == 2


async def test_processes_charging_the_same_accounts_at_once_neither_wait_forever_nor_overspend(
    services: Services, settings: Settings, account: Account, clock: ManualClock
) -> None:
    """Two processes' groups lock the same balances in one order; together they never
    take more than a balance holds."""
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    await stores_of(services).credits.topup(account.id, 30 * PRICE, "", now=clock.now())
    await stores_of(services).credits.topup(other.id, 1000 * PRICE, "", now=clock.now())
    second = Services.build(settings, clock)
    try:
        submits = [  # each group names both accounts, first one then the other
            stores_of(built).tasks.insert(new_task(payer, clock.now()), charge=PRICE)
            for _ in range(10) for built in (services, second)
            for payer in (account, other, other, account)
        ]
        outcomes = await asyncio.gather(*submits, return_exceptions=True)
    finally:
        await second.close()
    failures = [o for o in outcomes if o is not None]
    assert all(isinstance(failure, QuotaNotEnough) for failure in failures), failures
    assert await assert_books_balance(services, account) == 0
    assert await stored(services, tasks, account) == 30
    assert await stored(services, tasks, other) == 40
