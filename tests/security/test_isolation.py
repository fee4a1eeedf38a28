"""Account isolation, as a property: over random pairs of accounts and their tasks, one
account's token never reads, lists or extends the other's tasks, and every answer about
a foreign id is the answer about an id that does not exist. Real app, real database
(SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.domain.listing import Cursor
from songgate.domain.status import Action
from songgate.wiring import Services, stores_of
from tests.security.helpers import http
from tests.support.tasks import add_task

OUTCOMES = ["", "success", "failure"]  # still waiting, succeeded, failed
task_plans = st.lists(
    st.tuples(st.sampled_from([Action.MUSIC, Action.LYRICS]), st.sampled_from(OUTCOMES)),
    min_size=1, max_size=4,
)
SHARED_APP = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@dataclass
class Side:
    """One account of a pair: its token's client, its tasks and their clips."""

    account: Account
    client: httpx.AsyncClient
    task_ids: list[str]
    submit_times: dict[str, float]
    actions: dict[str, str]
    clip_ids: list[str]


async def make_side(
    services: Services, app: FastAPI, clock: ManualClock, plan: list[tuple[Action, str]]
) -> Side:
    account = await stores_of(services).accounts.create_account(f"a{uuid.uuid4().hex[:12]}",
                                                     now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(account, name="t", now=clock.now())
    side = Side(account, http(app, secret), [], {}, {}, [])
    for action, outcome in plan:
        clock.advance(0.5)
        task_id = await add_task(services, account, at=clock.now(), action=action,
                                 outcome=outcome)
        side.task_ids.append(task_id)
        side.submit_times[task_id] = clock.now()
        side.actions[task_id] = action.value
        task = await stores_of(services).tasks.get(task_id)
        assert task is not None
        data = task.data
        side.clip_ids += [clip["id"] for clip in data] if isinstance(data, list) else [data["id"]]
    return side


async def fetch(client: httpx.AsyncClient, ids: list[str], action: str | None = None
                ) -> list[dict[str, Any]]:
    response = await client.post("/suno/fetch", json={"ids": ids, "action": action})
    assert response.status_code == 200, response.text
    tasks: list[dict[str, Any]] = response.json()["data"]
    return tasks


async def listed(client: httpx.AsyncClient, limit: int, action: str | None,
                 before: str | None = None) -> list[str]:
    """Every task id the listing shows, following ``next`` to the end."""
    seen: list[str] = []
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if action:
            params["action"] = action
        if before:
            params["before"] = before
        response = await client.get("/songgate/tasks", params=params)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        seen += [task["task_id"] for task in data["tasks"]]
        if data["next"] is None:
            return seen
        before = data["next"]


def answer(response: httpx.Response) -> tuple[int, str, Any]:
    return response.status_code, response.headers["content-type"], response.json()


async def check_isolated(
    me: Side, them: Side, data: st.DataObject, action: str | None, limit: int
) -> None:
    unknown = [str(uuid.uuid4()) for _ in range(data.draw(st.integers(0, 3), "unknown"))]
    asked = data.draw(st.permutations(me.task_ids + them.task_ids + unknown), "order")
    wanted = [task_id for task_id in asked if task_id in me.actions
              and action in (None, me.actions[task_id])]
    got = await fetch(me.client, asked, action)
    assert [task["task_id"] for task in got] == wanted
    assert await fetch(me.client, them.task_ids) == []

    nowhere = str(uuid.uuid4())
    missing = answer(await me.client.get(f"/suno/fetch/{nowhere}"))
    assert missing[0] == 404
    for task_id in them.task_ids:
        assert answer(await me.client.get(f"/suno/fetch/{task_id}")) == missing

    everything = await listed(me.client, limit, action)
    assert sorted(everything) == sorted(t for t in me.task_ids
                                        if action in (None, me.actions[t]))
    for task_id in them.task_ids:  # a cursor forged from a foreign task is only a position
        forged = Cursor(them.submit_times[task_id], task_id).encode()
        assert set(await listed(me.client, limit, action, forged)) <= set(me.task_ids)

    def extend(clip_id: str) -> dict[str, Any]:
        return {"prompt": "[Verse]\nmine now", "continue_clip_id": clip_id, "continue_at": 1}

    refused = answer(await me.client.post("/suno/submit/music", json=extend(nowhere)))
    assert refused[0] == 400
    for clip_id in them.clip_ids:
        assert answer(await me.client.post("/suno/submit/music", json=extend(clip_id))) == refused


@settings(max_examples=20, deadline=None, suppress_health_check=SHARED_APP)
@given(first=task_plans, second=task_plans, warm=st.booleans(),
       action=st.sampled_from([None, "MUSIC", "LYRICS"]), limit=st.integers(1, 5),
       data=st.data())
async def test_a_token_never_reaches_another_accounts_tasks(
    services: Services, clock: ManualClock, first: list[tuple[Action, str]],
    second: list[tuple[Action, str]], warm: bool, action: str | None, limit: int,
    data: st.DataObject,
) -> None:
    app = create_app(services)
    one = await make_side(services, app, clock, first)
    two = await make_side(services, app, clock, second)
    try:
        if warm:  # finished tasks now sit in the fetch cache, with their owner recorded
            await fetch(two.client, two.task_ids)
            await fetch(one.client, one.task_ids)
        await check_isolated(one, two, data, action, limit)
        await check_isolated(two, one, data, action, limit)
    finally:
        await one.client.aclose()
        await two.client.aclose()
