"""Creating a persona costs its price (``ACT/persona``); a refused one costs nothing."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.credits import Prices
from songgate.errors import ConfigError
from songgate.wiring import Services, stores_of
from tests.api.test_personas_api import create, finished_clip
from tests.support.settings import scripted_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(tmp_path, database_url, prices={"ACT/persona": "4"})


async def test_creating_a_persona_costs_its_price_and_a_refused_one_nothing(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    credits = stores_of(services).credits
    await credits.topup(account.id, 5, "test", now=clock.now())
    assert (await create(client, root_clip_id=clip_id, name="paid")).status_code == 200
    assert await credits.balance(account.id) == 1
    foreign = await finished_clip(services, account, clock, engine=False)
    refused = await create(client, root_clip_id=foreign, name="not the engine's")
    assert refused.status_code == 400 and await credits.balance(account.id) == 1
    poor = await create(client, root_clip_id=clip_id, name="too dear")
    assert poor.status_code == 403 and poor.json()["code"] == "quota_not_enough"
    assert (await client.get("/suno/persona")).json()["data"][0]["name"] == "paid"
    assert Prices({"act/Persona": "2"}).act_price("persona") == 2
    with pytest.raises(ConfigError):
        Prices({"ACT/personas": "2"})
