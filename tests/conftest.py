"""Shared fixtures: a real database (SQLite, and PostgreSQL when one is configured),
the services on it, an account with a token, and an HTTP client for the app."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.wiring import Services, stores_of
from tests.support.settings import scripted_settings

POSTGRES_URL = os.environ.get("SONGGATE_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("SONGGATE_TEST_REQUIRE_POSTGRES") == "1"


def _backends() -> list[object]:
    postgres = pytest.param("postgres", marks=pytest.mark.postgres)
    return ["sqlite", postgres]


@pytest.fixture(params=_backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of each kind for every test that asks."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'songgate.db'}"
        return
    async for url in _postgres_database():
        yield url


@pytest.fixture
async def postgres_database_url() -> AsyncIterator[str]:
    """A new database on the configured PostgreSQL server, dropped afterwards."""
    async for url in _postgres_database():
        yield url


async def _postgres_database() -> AsyncIterator[str]:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("SONGGATE_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        pytest.skip("no PostgreSQL configured (SONGGATE_TEST_POSTGRES_URL)")
    base = make_url(POSTGRES_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:  # a new connection: the server may have restarted in between
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(
        tmp_path, database_url, progress_write_interval_seconds=0, retry_delay_seconds=0,
        worker_concurrency=4,
    )


@pytest.fixture
async def services(settings: Settings, clock: ManualClock) -> AsyncIterator[Services]:
    built = Services.build(settings, clock)
    await built.migrate()
    yield built
    await built.close()


@pytest.fixture
async def account(services: Services, clock: ManualClock) -> Account:
    return await stores_of(services).accounts.create_account("alice", now=clock.now())


@pytest.fixture
async def token(services: Services, account: Account, clock: ManualClock) -> str:
    _, secret = await stores_of(services).accounts.create_token(account, name="test",
                                                                now=clock.now())
    return secret


@pytest.fixture
async def client(services: Services, token: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://songgate.test",
        headers={"Authorization": f"Bearer {token}"},
    ) as http:
        yield http
