"""Readiness and the metrics' task counts through HealthService, and webhook admin lookups."""

from __future__ import annotations

from pathlib import Path

import pytest

from songgate.config import Settings
from songgate.errors import AccountNotFound, ServiceUnavailable
from songgate.wiring import Services
from tests.support.server import free_port


async def test_a_reachable_database_is_ready(services: Services) -> None:
    await services.health.check_ready()
    counts = await services.health.task_counts()
    assert counts is not None and sum(counts.values()) == 0


async def test_an_unreachable_database_is_not_ready(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://songgate@127.0.0.1:{free_port()}/songgate"  # nobody listens
    services = Services.build(Settings(data_dir=tmp_path, database_url=url,
                                       db_connect_timeout_seconds=1))
    try:
        with pytest.raises(ServiceUnavailable) as raised:
            await services.health.check_ready()
        assert isinstance(raised.value.__cause__, OSError)  # the driver's error, kept
        assert await services.health.task_counts() is None
    finally:
        await services.close()


async def test_a_signing_secret_needs_an_account(services: Services) -> None:
    with pytest.raises(AccountNotFound):
        await services.webhooks.signing_secret("nobody")
    await services.accounts.create("amy")
    secret = await services.webhooks.signing_secret("amy")
    assert await services.webhooks.signing_secret("amy") == secret
    assert await services.webhooks.signing_secret("amy", rotate=True) != secret
    assert await services.webhooks.deliveries("no-such-task") == []
