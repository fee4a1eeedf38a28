"""Per-token rate limits through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.wiring import Services, stores_of
from tests.support.settings import scripted_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(
        tmp_path, database_url, rate_limit_requests_per_minute=3, rate_limit_tasks_in_flight=2,
    )


async def client_for(services: Services, account: Account, clock: ManualClock,
                     name: str) -> httpx.AsyncClient:
    _, secret = await stores_of(services).accounts.create_token(account, name=name, now=clock.now())
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services)),
                             base_url="http://songgate.test",
                             headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
async def clients(services: Services, account: Account,
                  clock: ManualClock) -> AsyncIterator[list[httpx.AsyncClient]]:
    made = [await client_for(services, account, clock, f"t{n}") for n in range(2)]
    yield made
    for client in made:
        await client.aclose()


async def test_requests_per_minute_per_token(
    clients: list[httpx.AsyncClient], clock: ManualClock
) -> None:
    first, second = clients
    clock.advance((30 - clock.now() % 60) % 60)  # half a minute into a window
    for _ in range(3):
        assert (await first.post("/suno/fetch", json={"ids": []})).status_code == 200
    limited = await first.post("/suno/fetch", json={"ids": []})
    assert limited.status_code == 429
    body = limited.json()
    assert body["code"] == "rate_limited" and body["data"] == {"retry_after": 31}
    assert limited.headers["retry-after"] == "31"
    assert (await second.post("/suno/fetch", json={"ids": []})).status_code == 200  # own count
    clock.advance(31)  # a new window
    assert (await first.post("/suno/fetch", json={"ids": []})).status_code == 200


async def test_tasks_in_flight_per_token_hold_under_races(
    clients: list[httpx.AsyncClient], services: Services, account: Account
) -> None:
    first, second = clients
    await stores_of(services).limits.set_overrides(account.id, 100, None)
    answers = await asyncio.gather(*(first.post("/suno/submit/lyrics", json={"prompt": "x"})
                                     for _ in range(6)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 200, 429, 429, 429, 429]
    refused = next(a for a in answers if a.status_code == 429).json()
    assert refused["code"] == "rate_limited" and "2 unfinished tasks" in refused["message"]
    assert (await second.post("/suno/submit/lyrics", json={"prompt": "x"})).status_code == 200


async def test_per_account_overrides(
    clients: list[httpx.AsyncClient], services: Services, account: Account
) -> None:
    first, _ = clients
    await stores_of(services).limits.set_overrides(account.id, 0, 1)  # 0: no request limit
    services.limiter._overrides.clear()
    for _ in range(10):
        assert (await first.post("/suno/fetch", json={"ids": []})).status_code == 200
    assert (await first.post("/suno/submit/lyrics", json={"prompt": "x"})).status_code == 200
    assert (await first.post("/suno/submit/lyrics", json={"prompt": "x"})).status_code == 429
