"""PostgreSQL sessions are bounded: a lock another session holds makes a request fail within
``lock_timeout`` (answered 503, try again), and a statement cannot run past
``statement_timeout``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.errors import ServiceUnavailable
from songgate.wiring import Services, stores_of
from tests.support.settings import scripted_settings

pytestmark = pytest.mark.postgres

LOCK_TIMEOUT = 0.3
PATIENCE = 10.0  # far beyond the lock timeout; without it the request would wait forever


@pytest.fixture
def settings(tmp_path: Path, postgres_database_url: str) -> Settings:
    return scripted_settings(tmp_path, postgres_database_url, prices={"MUSIC": "1"},
                             db_lock_timeout_seconds=LOCK_TIMEOUT,
                             db_statement_timeout_seconds=1.0)


@pytest.fixture
async def live(settings: Settings, clock: ManualClock) -> AsyncIterator[Services]:
    built = Services.build(settings, clock)
    await built.migrate()
    yield built
    await built.close()


async def test_a_held_lock_answers_503_within_the_lock_timeout(
    live: Services, settings: Settings, clock: ManualClock
) -> None:
    stores = stores_of(live)
    account = await stores.accounts.create_account("alice", now=clock.now())
    _, secret = await stores.accounts.create_token(account, name="t", now=clock.now())
    await stores.credits.topup(account.id, 100, "", now=clock.now())
    dsn = make_url(settings.resolved_database_url).set(drivername="postgresql")
    other = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    transport = httpx.ASGITransport(app=create_app(live))
    try:
        async with other.transaction(), httpx.AsyncClient(
            transport=transport, base_url="http://songgate.test",
            headers={"Authorization": f"Bearer {secret}"}, timeout=PATIENCE,
        ) as client:
            # Another session holds the balance row, as a long transaction would.
            await other.execute("SELECT balance FROM balances WHERE account_id = $1 FOR UPDATE",
                                account.id)
            started = time.monotonic()
            reply = await client.post("/suno/submit/music", json={"prompt": "la"})
            waited = time.monotonic() - started
        assert reply.status_code == 503
        assert reply.json()["code"] == "service_unavailable"
        assert reply.headers["retry-after"]
        assert waited < PATIENCE
    finally:
        await other.close()
    assert await stores.credits.balance(account.id) == 100  # nothing was charged


async def test_a_statement_cannot_run_past_the_statement_timeout(live: Services) -> None:
    with pytest.raises(ServiceUnavailable):
        async with stores_of(live).database.read() as conn:
            await conn.execute(text("SELECT pg_sleep(5)"))


async def test_migrations_run_to_their_end_whatever_the_statement_timeout(
    tmp_path: Path, postgres_database_url: str, clock: ManualClock
) -> None:
    # A millisecond bounds every request's statement; building the schema takes longer.
    tight = scripted_settings(tmp_path, postgres_database_url, db_statement_timeout_seconds=0.001,
                              db_lock_timeout_seconds=0.001)
    built = Services.build(tight, clock)
    try:
        await built.migrate()
    finally:
        await built.close()
    # the schema is whole: a server with the usual bounds writes to it (under a millisecond's
    # bound even a small insert may be cancelled on a busy machine)
    usual = Services.build(scripted_settings(tmp_path, postgres_database_url), clock)
    try:
        account = await stores_of(usual).accounts.create_account("bob", now=clock.now())
        assert account.name == "bob"
    finally:
        await usual.close()
