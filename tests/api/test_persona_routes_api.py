"""Reading personas over HTTP: one by id (the account's own or a public one) and the
account's list; creating one is priced by ``ACT/persona``."""

from __future__ import annotations

import httpx

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.wiring import Services, stores_of
from tests.api.test_personas_api import create, finished_clip


async def test_a_persona_is_read_by_id_and_listed_newest_first(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    made = []
    for name in ("first", "second", "third"):
        clock.advance(1)
        answer = await create(client, root_clip_id=clip_id, name=name)
        assert answer.status_code == 200, answer.text
        made.append(answer.json()["data"])
    one = await client.get(f"/suno/persona/{made[0]['id']}")
    assert one.status_code == 200 and one.json()["data"] == made[0]
    listed = await client.get("/suno/persona")
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["data"]] == ["third", "second", "first"]
    limited = await client.get("/suno/persona", params={"limit": "2"})
    assert [p["name"] for p in limited.json()["data"]] == ["third", "second"]
    for bad in ("0", "101", "x", "-1", "1" * 40):
        refused = await client.get("/suno/persona", params={"limit": bad})
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_request"

    missing = await client.get("/suno/persona/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing.json()["code"] == "persona_not_exist"
    long = await client.get("/suno/persona/" + "a" * 5000)
    assert long.status_code == 404


async def test_another_account_reads_only_public_personas_and_lists_its_own(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    private = (await create(client, root_clip_id=clip_id, name="mine")).json()["data"]
    public = (await create(client, root_clip_id=clip_id, name="ours",
                           is_public=True)).json()["data"]
    bob = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(bob, name="t", now=clock.now())
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await client.get(f"/suno/persona/{private['id']}", headers=headers)
            ).status_code == 404
    shared = await client.get(f"/suno/persona/{public['id']}", headers=headers)
    assert shared.status_code == 200 and shared.json()["data"]["name"] == "ours"
    assert (await client.get("/suno/persona", headers=headers)).json()["data"] == []
