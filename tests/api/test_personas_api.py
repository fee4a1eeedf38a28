"""Personas over HTTP: created from a finished engine clip, used by a later submit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.api.app import create_app
from songgate.client import AsyncSongClient
from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.providers.local import Words, song_job
from songgate.wiring import Services, stores_of
from tests.api.test_tasks_api import submit
from tests.support.tasks import add_task

# What the engine's provider writes beside a clip it made (providers/local.py)
SIDECAR = {"tags": "dreamy synthwave 96 bpm", "negative_tags": "metal", "style_seed": 4242,
           "seed": 4242, "singer": "m", "style_weight": 0.7, "weirdness": None}


async def finished_clip(services: Services, account: Account, clock: ManualClock,
                        *, engine: bool = True) -> str:
    task_id = await add_task(services, account, at=clock.now(), outcome="success")
    task = await stores_of(services).tasks.get(task_id)
    assert task is not None
    clip_id = task.clip_ids[0]
    if engine:
        await services.media.write_meta(clip_id, SIDECAR)
    return clip_id


async def create(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/suno/persona/create/", json=body)


async def test_a_persona_keeps_the_clips_singer_and_style_and_a_submit_uses_it(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    tmp_path: Path,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    other = await finished_clip(services, account, clock, engine=False)
    answer = await create(client, root_clip_id=clip_id, name="Night singer",
                          description="soft and late", clips=[other], is_public=False)
    assert answer.status_code == 200, answer.text
    persona = answer.json()["data"]
    assert persona["name"] == "Night singer" and persona["root_clip_id"] == clip_id
    assert persona["clips"] == [clip_id, other] and persona["is_public"] is False
    assert persona["user_id"] == account.id
    assert persona["persona_style"] == {"tags": "dreamy synthwave 96 bpm",
                                        "negative_tags": "metal", "vocal_gender": "m"}

    task_id = await submit(client, prompt="[Verse]\nnew words", tags="strings",
                           persona_id=persona["id"])
    task = await stores_of(services).tasks.get(task_id)
    assert task is not None
    spec = task.music_spec()
    assert spec.tags == "dreamy synthwave 96 bpm, strings" and spec.negative_tags == "metal"
    assert (spec.vocal_gender, spec.style_weight, spec.persona_style_seed) == ("m", 0.7, 4242)
    words = Words(spec.prompt, spec.tags, spec.title, False)
    for clip in task.clip_ids:  # both clips drawn in the persona's key and tempo, its singer
        song = song_job(spec, words, clip, tmp_path).song
        assert song.style_seed == 4242 and song.singer == "m" and song.style_weight == 0.7

    chosen = await stores_of(services).tasks.get(
        await submit(client, prompt="la", vocal_gender="f", persona_id=persona["id"]))
    assert chosen is not None and chosen.music_spec().vocal_gender == "f"  # the request's


async def test_personas_belong_to_their_account_unless_public(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    private = (await create(client, root_clip_id=clip_id, name="mine")).json()["data"]
    public = (await create(client, root_clip_id=clip_id, name="ours",
                           is_public=True)).json()["data"]
    bob = await stores_of(services).accounts.create_account("bob", now=clock.now())
    _, secret = await stores_of(services).accounts.create_token(bob, name="t", now=clock.now())
    headers = {"Authorization": f"Bearer {secret}"}
    refused = await client.post("/suno/submit/music", headers=headers,
                                json={"prompt": "la", "persona_id": private["id"]})
    assert refused.status_code == 404 and refused.json()["code"] == "persona_not_exist"
    allowed = await client.post("/suno/submit/music", headers=headers,
                                json={"prompt": "la", "persona_id": public["id"]})
    assert allowed.status_code == 200, allowed.text
    foreign = await client.post("/suno/persona/create", headers=headers,
                                json={"root_clip_id": clip_id, "name": "stolen"})
    assert foreign.status_code == 404 and foreign.json()["code"] == "clip_not_exist"


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"name": "x"}, 400, "root_clip_id is empty: name the clip the persona sings like"),
    ({"root_clip_id": "CLIP"}, 400, "name is empty: give the persona a name"),
    ({"root_clip_id": "CLIP", "name": "x", "clips": "a"}, 400,
     "clips must be a list of clip ids"),
    ({"root_clip_id": "CLIP", "name": "x", "clips": [1]}, 400,
     "clips must be a list of clip ids"),
    ({"root_clip_id": "CLIP", "name": "x", "is_public": "yes"}, 400,
     "is_public must be true or false"),
    ({"root_clip_id": "0b5a3e9c-0f5c-4a8e-9d0a-1c2b3d4e5f60", "name": "x"}, 404,
     "no clip '0b5a3e9c-0f5c-4a8e-9d0a-1c2b3d4e5f60' exists for this account"),
    ({"root_clip_id": "RELAYED", "name": "x"}, 400,
     "root_clip_id names a clip this server's engine did not make: a persona keeps the "
     "singer and style the engine sang it with"),
])
async def test_bad_persona_requests(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    body: dict[str, object], status: int, message: str,
) -> None:
    engine_clip = await finished_clip(services, account, clock)
    relayed = await finished_clip(services, account, clock, engine=False)
    named = {key: (engine_clip if value == "CLIP" else relayed if value == "RELAYED" else value)
             for key, value in body.items()}
    answer = await create(client, **named)
    assert answer.status_code == status
    assert answer.json() == {"code": answer.json()["code"], "message": message, "data": None}


async def test_an_unknown_persona_refuses_the_submit_and_charges_nothing(
    client: httpx.AsyncClient, services: Services, account: Account,
) -> None:
    answer = await client.post("/suno/submit/music",
                               json={"prompt": "la", "persona_id": "no-such-persona"})
    assert answer.status_code == 404 and answer.json()["code"] == "persona_not_exist"
    listed = (await client.get("/songgate/tasks")).json()["data"]
    assert listed["tasks"] == []


async def test_the_document_has_the_persona_route(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    operation = paths["/suno/persona/create/"]["post"]
    assert operation["operationId"] == "create_persona"
    assert paths["/suno/persona/create"]["post"]["operationId"] == "create_persona_unslashed"


async def test_the_client_creates_and_sings_with_a_persona(
    services: Services, account: Account, clock: ManualClock, token: str,
) -> None:
    clip_id = await finished_clip(services, account, clock)
    transport = httpx.ASGITransport(app=create_app(services))
    async with AsyncSongClient("http://songgate.test", token, transport=transport) as client:
        persona = await client.create_persona(clip_id, "Night singer", description="soft")
        assert persona.id and persona.root_clip_id == clip_id and persona.clips == (clip_id,)
        task_id = await client.submit_music(prompt="[Verse]\nla", persona_id=persona.id,
                                            vocal_gender="f", style_weight=0.2)
    task = await stores_of(services).tasks.get(task_id)
    assert task is not None
    spec = task.music_spec()
    assert (spec.persona_style_seed, spec.vocal_gender, spec.style_weight) == (4242, "f", 0.2)


def _body_fields(schema: dict[str, Any]) -> set[str]:
    """Every field a request body's schema names, in any of its alternatives."""
    names = set(schema.get("properties", {}))
    for alternative in schema.get("anyOf", []) + schema.get("oneOf", []):
        names |= _body_fields(alternative)
    return names


async def test_every_route_that_takes_a_persona_documents_the_unknown_ones_answer(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    taking = {
        path: operation for path, operations in document["paths"].items()
        for operation in operations.values()
        if _body_fields(operation.get("requestBody", {}).get("content", {})
                        .get("application/json", {}).get("schema", {}))
        & {"persona_id", "personaId"}
    }
    assert {"/suno/submit/music", "/api/v1/generate", "/api/v1/generate/extend",
            "/api/v1/generate/upload-cover"} <= set(taking)
    undocumented = sorted(path for path, operation in taking.items()
                          if "404" not in operation["responses"])
    assert undocumented == []


@pytest.mark.parametrize("path", ["/api/v1/generate", "/api/v1/generate/extend"])
async def test_an_unknown_persona_in_the_sunoapi_dialect_is_its_404(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    path: str,
) -> None:
    clip = await finished_clip(services, account, clock)
    body = {"prompt": "la", "customMode": False, "personaId": "no-such-persona"}
    if path.endswith("/extend"):
        body |= {"audioId": clip, "defaultParamFlag": False}
    before = (await client.get("/songgate/tasks")).json()["data"]["tasks"]
    answer = await client.post(path, json=body)
    assert answer.status_code == 404
    assert answer.json() == {
        "code": 404, "data": None,
        "msg": "personaId names no persona of this account (nor a public one)"}
    assert (await client.get("/songgate/tasks")).json()["data"]["tasks"] == before
