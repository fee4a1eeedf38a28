"""The cluster lease on SQLite and PostgreSQL: one holder at a time, taken over on expiry."""

from __future__ import annotations

import asyncio

from songgate.clock import ManualClock
from songgate.wiring import Services, stores_of


async def test_one_holder_until_it_expires(services: Services, clock: ManualClock) -> None:
    leases = stores_of(services).leases
    assert await leases.acquire("reaper", "a", now=clock.now(), ttl=10)
    assert not await leases.acquire("reaper", "b", now=clock.now(), ttl=10)
    clock.advance(8)
    assert await leases.acquire("reaper", "a", now=clock.now(), ttl=10)  # renewed
    clock.advance(8)
    assert not await leases.acquire("reaper", "b", now=clock.now(), ttl=10)
    assert await leases.holder("reaper", now=clock.now()) == "a"
    clock.advance(11)  # a stopped renewing
    assert await leases.holder("reaper", now=clock.now()) is None
    assert await leases.acquire("reaper", "b", now=clock.now(), ttl=10)
    assert not await leases.acquire("reaper", "a", now=clock.now(), ttl=10)


async def test_release_hands_over_at_once(services: Services, clock: ManualClock) -> None:
    leases = stores_of(services).leases
    assert await leases.acquire("reaper", "a", now=clock.now(), ttl=10)
    await leases.release("reaper", "b")  # not b's to release
    assert not await leases.acquire("reaper", "b", now=clock.now(), ttl=10)
    await leases.release("reaper", "a")
    assert await leases.acquire("reaper", "b", now=clock.now(), ttl=10)


async def test_racing_nodes_get_one_winner(services: Services, clock: ManualClock) -> None:
    results = await asyncio.gather(*[
        stores_of(services).leases.acquire("sweep", f"node-{i}", now=clock.now(), ttl=10)
        for i in range(8)
    ])
    assert results.count(True) == 1
