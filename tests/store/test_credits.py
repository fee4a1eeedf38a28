"""Credits on SQLite and PostgreSQL: charge exactly once, refund exactly once, never negative."""

from __future__ import annotations

import asyncio
import random
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain import task as rules
from songgate.domain.accounts import Account
from songgate.domain.credits import LedgerEntry, Prices, Reason
from songgate.domain.results import LyricsResult, MusicResult
from songgate.domain.status import Action, TaskStatus
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.errors import ConfigError, QuotaNotEnough
from songgate.store.tables import ledger
from songgate.wiring import Services, stores_of
from tests.store.test_task_store import LEASE

PRICE = 10


def new_task(account: Account, now: float, *, timeout: float = 600) -> rules.Task:
    return rules.new_music_task(
        task_id=str(uuid.uuid4()), account_id=account.id, owner=account.owner,
        spec=parse_music({"prompt": "la"}), clip_ids=[str(uuid.uuid4()) for _ in "ab"],
        provider="scripted", now=now, max_attempts=2, timeout_seconds=timeout,
    )


async def ledger_sum(services: Services, account_id: str) -> int:
    """What the account's ledger adds up to, read straight from the table."""
    async with stores_of(services).database.read() as conn:
        value = (await conn.execute(
            select(func.coalesce(func.sum(ledger.c.amount), 0))
            .where(ledger.c.account_id == account_id)
        )).scalar_one()
    return int(value)


async def entries_for_task(services: Services, task_id: str) -> list[LedgerEntry]:
    """Every ledger row a task caused, read straight from the table."""
    async with stores_of(services).database.read() as conn:
        rows = await conn.execute(select(ledger).where(ledger.c.task_id == task_id))
        return [LedgerEntry(id=row.id, account_id=row.account_id, task_id=row.task_id,
                            amount=row.amount, reason=Reason(row.reason), note=row.note,
                            created_at=row.created_at) for row in rows]


async def assert_books_balance(services: Services, account: Account) -> int:
    balance = await stores_of(services).credits.balance(account.id)
    assert balance >= 0
    assert balance == await ledger_sum(services, account.id)
    return balance


async def test_a_submit_is_charged_with_its_task_or_not_at_all(
    services: Services, account: Account, clock: ManualClock
) -> None:
    assert await stores_of(services).credits.topup(account.id, 25, "welcome", now=clock.now()) == 25
    first = new_task(account, clock.now())
    await stores_of(services).tasks.insert(first, charge=PRICE)
    await stores_of(services).tasks.insert(new_task(account, clock.now()), charge=PRICE)
    broke = new_task(account, clock.now())
    with pytest.raises(QuotaNotEnough, match="costs 10 credits; the balance is 5"):
        await stores_of(services).tasks.insert(broke, charge=PRICE)
    assert await stores_of(services).tasks.get(broke.id) is None
    assert await entries_for_task(services, broke.id) == []
    assert await assert_books_balance(services, account) == 5
    [entry] = await entries_for_task(services, first.id)
    assert (entry.amount, entry.reason) == (-PRICE, Reason.CHARGE)


async def test_an_account_without_credits_cannot_submit_when_charging(
    services: Services, account: Account, clock: ManualClock
) -> None:
    with pytest.raises(QuotaNotEnough):
        await stores_of(services).tasks.insert(new_task(account, clock.now()), charge=1)
    # free: allowed
    await stores_of(services).tasks.insert(new_task(account, clock.now()), charge=0)


async def test_a_failure_is_refunded_once_by_whatever_path(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await stores_of(services).credits.topup(account.id, 30, "", now=clock.now())
    failing, expiring, late = (new_task(account, clock.now()) for _ in range(3))
    for task in (failing, expiring, late):
        await stores_of(services).tasks.insert(task, charge=PRICE)
    assert await assert_books_balance(services, account) == 0
    claimed = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=2)
    by_id = {t.id: t for t in claimed}
    held = by_id[failing.id]
    assert held.lease_token is not None
    await stores_of(services).tasks.fail(failing.id, held.lease_token, "boom", now=clock.now())
    # the same failure again, as a confused worker might: refused, and no second refund
    assert await stores_of(services).tasks.fail(failing.id, held.lease_token, "boom",
                                                now=clock.now()) is None
    clock.advance(LEASE + 1)  # expiring's lease runs out: requeued (attempt 1 of 2), not failed
    await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert await assert_books_balance(services, account) == PRICE
    clock.advance(700)  # past every deadline: the reaper fails the rest
    for _ in range(3):  # repeated sweeps change nothing more
        await stores_of(services).tasks.reap(now=clock.now(), retry_delay=0)
    assert await assert_books_balance(services, account) == 3 * PRICE
    for task in (failing, expiring, late):
        reasons = sorted(e.reason.value for e in await entries_for_task(services, task.id))
        assert reasons == ["charge", "refund"]


async def test_success_keeps_the_charge(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await stores_of(services).credits.topup(account.id, PRICE, "", now=clock.now())
    task = rules.new_lyrics_task(
        task_id=str(uuid.uuid4()), lyrics_id="l", account_id=account.id,
        spec=parse_lyrics({"prompt": "x"}),
        provider="scripted", now=clock.now(), max_attempts=1, timeout_seconds=60,
    )
    await stores_of(services).tasks.insert(task, charge=PRICE)
    [held] = await stores_of(services).tasks.claim(now=clock.now(), lease_seconds=LEASE, limit=1)
    assert held.lease_token is not None
    await stores_of(services).tasks.succeed(task.id, held.lease_token, LyricsResult("t", "x"),
                                 now=clock.now())
    assert await assert_books_balance(services, account) == 0


async def test_racing_submits_never_overdraw(
    services: Services, account: Account, clock: ManualClock
) -> None:
    await stores_of(services).credits.topup(account.id, 5 * PRICE, "", now=clock.now())

    async def submit() -> bool:
        try:
            await stores_of(services).tasks.insert(new_task(account, clock.now()), charge=PRICE)
            return True
        except QuotaNotEnough:
            return False

    results = await asyncio.gather(*(submit() for _ in range(20)))
    assert results.count(True) == 5
    assert await assert_books_balance(services, account) == 0


async def test_topups_and_corrections(
    services: Services, account: Account, clock: ManualClock
) -> None:
    assert await stores_of(services).credits.topup(account.id, 10, "grant", now=clock.now()) == 10
    clock.advance(1)
    assert await stores_of(services).credits.topup(account.id, -4, "correction",
                                                   now=clock.now()) == 6
    with pytest.raises(QuotaNotEnough, match="below 0"):
        await stores_of(services).credits.topup(account.id, -7, "too much", now=clock.now())
    entries = await stores_of(services).credits.entries(account.id)
    assert [e.amount for e in entries] == [-4, 10]
    assert await assert_books_balance(services, account) == 6


def test_prices_are_read_most_specific_first() -> None:
    prices = Prices({"MUSIC": "10", "MUSIC/chirp-auk": "15", "lyrics": "1"})
    assert prices.price(Action.MUSIC, "chirp-v4") == 10
    assert prices.price(Action.MUSIC, "chirp-auk") == 15
    assert prices.price(Action.LYRICS) == 1
    assert Prices({}).price(Action.MUSIC) == 0
    for bad in ({"VIDEO": "1"}, {"MUSIC": "ten"}, {"MUSIC": "-1"}):
        with pytest.raises(ConfigError):
            Prices(bad)


# -- property: any interleaving of submits, failures, sweeps and restarts --------------

OPERATIONS = st.lists(
    st.sampled_from(["submit", "claim", "fail", "retry", "succeed", "sweep", "expire",
                     "restart", "topup"]),
    min_size=5, max_size=40,
)


@hypothesis_settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS, st.integers(0, 2**16))
def test_no_interleaving_charges_or_refunds_twice(operations: list[str], seed: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(_interleave(Path(directory), operations, random.Random(seed)))


async def _interleave(directory: Path, operations: list[str], rng: random.Random) -> None:
    clock = ManualClock()
    settings = Settings(data_dir=directory, routes={"MUSIC": "local", "LYRICS": "local"})
    services = Services.build(settings, clock)
    await services.migrate()
    account = await stores_of(services).accounts.create_account("prop", now=clock.now())
    await stores_of(services).credits.topup(account.id, 35, "", now=clock.now())
    created: list[str] = []
    try:
        for operation in operations:
            now = clock.now()
            held = [t for t in [await stores_of(services).tasks.get(i) for i in created]
                    if t is not None and t.lease_token is not None]
            if operation == "submit":
                task = new_task(account, now, timeout=rng.choice([5, 600]))
                try:
                    await stores_of(services).tasks.insert(task, charge=PRICE)
                    created.append(task.id)
                except QuotaNotEnough:
                    pass
            elif operation == "claim":
                await stores_of(services).tasks.claim(now=now, lease_seconds=LEASE, limit=2)
            elif operation in ("fail", "retry", "succeed") and held:
                task = rng.choice(held)
                token = task.lease_token
                assert token is not None
                if operation == "fail":
                    await stores_of(services).tasks.fail(task.id, token, "no", now=now)
                elif operation == "retry":
                    await stores_of(services).tasks.retry(task.id, token, "again", now=now, delay=0)
                else:
                    await stores_of(services).tasks.succeed(task.id, token, MusicResult(()),
                                                            now=now)
            elif operation == "sweep":
                await stores_of(services).tasks.reap(now=now, retry_delay=0)
            elif operation == "expire":
                clock.advance(rng.choice([LEASE + 1, 10]))
            elif operation == "restart":
                await services.close()
                services = Services.build(settings, clock)
            elif operation == "topup":
                await stores_of(services).credits.topup(account.id, rng.randint(1, 20), "", now=now)
            await assert_books_balance(services, account)
        for task_id in created:
            found = await stores_of(services).tasks.get(task_id)
            assert found is not None
            reasons = [e.reason for e in await entries_for_task(services, task_id)]
            assert reasons.count(Reason.CHARGE) == 1
            assert reasons.count(Reason.REFUND) == (1 if found.status is TaskStatus.FAILURE
                                                    else 0)
    finally:
        await services.close()
