"""GET /songgate/tasks through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.wiring import Services, stores_of
from tests.api.test_errors import assert_error
from tests.support.settings import scripted_settings
from tests.support.tasks import add_task


async def page(client: httpx.AsyncClient, **params: object) -> dict[str, Any]:
    response = await client.get("/songgate/tasks", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    envelope = response.json()
    assert envelope["code"] == "success" and envelope["message"] == ""
    data: dict[str, Any] = envelope["data"]
    assert list(data) == ["tasks", "next"]
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [task["task_id"] for task in data["tasks"]]


async def test_lists_the_callers_tasks_newest_first_as_fetch_shows_them(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock
) -> None:
    other = await stores_of(services).accounts.create_account("bob", now=clock.now())
    mine = [await add_task(services, account, at=10.0 + n) for n in range(3)]
    theirs = await add_task(services, other, at=50.0)
    data = await page(client)
    assert ids(data) == mine[::-1] and data["next"] is None
    assert theirs not in ids(data)
    fetched = (await client.post("/suno/fetch", json={"ids": mine[::-1]})).json()["data"]
    assert data["tasks"] == fetched  # the same stored TaskDto bytes
    _, secret = await stores_of(services).accounts.create_token(other, name="b", now=clock.now())
    response = await client.get("/songgate/tasks",
                                headers={"Authorization": f"Bearer {secret}"})
    assert [t["task_id"] for t in response.json()["data"]["tasks"]] == [theirs]


async def test_pages_through_ties_with_the_next_cursor(
    client: httpx.AsyncClient, services: Services, account: Account
) -> None:
    made = [await add_task(services, account, at=500.0 + n // 3, task_id=f"id-{n:02d}")
            for n in range(11)]  # three tasks share each submit time
    seen: list[str] = []
    data = await page(client, limit=4)
    pages = 1
    while True:
        seen += ids(data)
        if data["next"] is None:
            break
        assert len(data["tasks"]) == 4
        data = await page(client, limit=4, before=data["next"])
        pages += 1
    assert pages == 3 and len(seen) == 11 and set(seen) == set(made)
    expected = sorted(made, key=lambda t: (500 + int(t[3:]) // 3, t), reverse=True)
    assert seen == expected


async def test_default_limit_is_twenty(
    client: httpx.AsyncClient, services: Services, account: Account
) -> None:
    for n in range(21):
        await add_task(services, account, at=float(n))
    data = await page(client)
    assert len(data["tasks"]) == 20 and data["next"]
    rest = await page(client, before=data["next"])
    assert len(rest["tasks"]) == 1 and rest["next"] is None


async def test_filters_by_status_and_action(
    client: httpx.AsyncClient, services: Services, account: Account
) -> None:
    done = await add_task(services, account, at=1.0, outcome="success")
    failed = await add_task(services, account, at=2.0, outcome="failure")
    lyrics = await add_task(services, account, at=3.0, action=Action.LYRICS, outcome="success")
    waiting = await add_task(services, account, at=4.0)
    assert ids(await page(client, status="SUCCESS")) == [lyrics, done]
    assert ids(await page(client, status="failure,submitted")) == [waiting, failed]
    assert ids(await page(client, action="LYRICS")) == [lyrics]
    assert ids(await page(client, action="music", status="SUCCESS")) == [done]
    [task] = (await page(client, status="FAILURE"))["tasks"]
    assert task["status"] == "FAILURE" and task["fail_reason"] == "the prompt was refused"


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("limit=0", "limit must be from 1 to 100"),
        ("limit=1000", "limit must be from 1 to 100"),
        ("limit=ten", "limit must be a whole number"),
        ("status=DONE", "status 'DONE' is not a task status"),
        ("action=VIDEO", "action must be MUSIC, LYRICS, CONCAT, UPLOAD, FILE or STEM"),
        ("before=abc", "before is not a cursor from a previous page"),
        ("status=SUCCESS&status=FAILURE", "status is given more than once"),
        ("page=2", "unknown parameter 'page'"),
        ("status=%00", "is not a task status"),
    ],
)
async def test_bad_parameters_are_400_with_a_reason(
    client: httpx.AsyncClient, query: str, text: str
) -> None:
    assert_error(await client.get(f"/songgate/tasks?{query}"), 400, "invalid_request", text)


async def test_needs_a_valid_token(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/songgate/tasks", headers={"Authorization": ""}), 401,
                 "unauthorized")
    wrong = {"Authorization": "Bearer sk-" + "x" * 40}
    response = await client.get("/songgate/tasks", headers=wrong)
    assert_error(response, 401, "unauthorized", "the token is not valid")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error(await client.post("/songgate/tasks"), 405, "method_not_allowed")


@pytest.fixture
def limited_settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(tmp_path, database_url, rate_limit_requests_per_minute=2)


async def test_counts_against_the_tokens_request_limit(
    limited_settings: Settings, clock: ManualClock
) -> None:
    services = Services.build(limited_settings, clock)
    await services.migrate()
    try:
        account = await stores_of(services).accounts.create_account("carol", now=clock.now())
        _, secret = await stores_of(services).accounts.create_token(account, name="t",
                                                                    now=clock.now())
        clock.advance((30 - clock.now() % 60) % 60)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(services)),
            base_url="http://songgate.test", headers={"Authorization": f"Bearer {secret}"},
        ) as client:
            assert (await client.get("/songgate/tasks")).status_code == 200
            assert (await client.post("/suno/fetch", json={"ids": []})).status_code == 200
            limited = await client.get("/songgate/tasks")
            assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
            assert limited.headers["retry-after"] == "31"
    finally:
        await services.close()
