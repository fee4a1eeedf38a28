"""A database that cannot be reached gives 503 with Retry-After, never a 500 or a hang."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from songgate.api.app import create_app
from songgate.config import Settings
from songgate.wiring import Services
from tests.support.server import free_port


@pytest.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[Services]:
    url = f"postgresql+asyncpg://songgate@127.0.0.1:{free_port()}/songgate"  # nobody listens
    services = Services.build(Settings(data_dir=tmp_path, database_url=url,
                                       db_connect_timeout_seconds=1))
    yield services
    await services.close()


async def test_requests_get_503_not_500(unreachable: Services) -> None:
    transport = httpx.ASGITransport(app=create_app(unreachable), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        async with asyncio.timeout(60):  # a guard against a hang, not a figure
            response = await client.post("/suno/fetch", json={"ids": []},
                                         headers={"Authorization": "Bearer sk-" + "a" * 40})
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"code": "service_unavailable",
                               "message": "the database is not reachable; try again",
                               "data": None}
    assert ready.status_code == 503
