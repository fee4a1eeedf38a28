"""The current model names with their limits, and the knobs (singer, weights), over HTTP."""

from __future__ import annotations

import httpx
import pytest

from songgate.wiring import Services, stores_of
from tests.api.test_tasks_api import fetch, submit


@pytest.mark.parametrize(("mv", "name", "version"), [
    ("chirp-fenix", "chirp-fenix", "v5.5"), ("chirp-auk-turbo", "chirp-auk-turbo", "v4.5-all"),
])
async def test_current_models_take_the_v45_limits(
    client: httpx.AsyncClient, mv: str, name: str, version: str
) -> None:
    task_id = await submit(client, prompt="la " * 1666, tags="t" * 1000, title="x" * 100, mv=mv)
    [task] = await fetch(client, ids=[task_id])
    for clip in task["data"]:  # type: ignore[union-attr]
        assert clip["model_name"] == name and clip["major_model_version"] == version
    for field, size in (("prompt", 5001), ("tags", 1001), ("title", 101)):
        body = {"prompt": "la", mv: mv, "mv": mv, field: "x" * size}
        refused = await client.post("/suno/submit/music", json=body)
        assert refused.status_code == 400 and field in refused.json()["message"]


async def test_knobs_are_kept_with_the_task(
    client: httpx.AsyncClient, services: Services
) -> None:
    task_id = await submit(client, prompt="[Verse]\nla", vocal_gender="m", style_weight=0.9,
                           weirdness_constraint=0, audio_weight=1)
    task = await stores_of(services).tasks.get(task_id)
    assert task is not None
    spec = task.music_spec()
    assert (spec.vocal_gender, spec.style_weight, spec.weirdness_constraint,
            spec.audio_weight) == ("m", 0.9, 0.0, 1.0)
    plain = await stores_of(services).tasks.get(await submit(client, prompt="la"))
    assert plain is not None
    assert (plain.music_spec().vocal_gender, plain.music_spec().style_weight) == ("", None)


@pytest.mark.parametrize(("body", "message"), [
    ({"vocal_gender": "x"}, "vocal_gender must be 'm' or 'f'"),
    ({"vocal_gender": "male"}, "vocal_gender must be 'm' or 'f'"),
    ({"vocal_gender": 1}, "vocal_gender must be 'm' or 'f'"),
    ({"style_weight": 1.5}, "style_weight must be between 0 and 1"),
    ({"weirdness_constraint": -0.1}, "weirdness_constraint must be between 0 and 1"),
    ({"audio_weight": "0.5"}, "audio_weight must be a number"),
    ({"style_weight": True}, "style_weight must be a number"),
])
async def test_bad_knobs_are_refused_and_nothing_is_made(
    client: httpx.AsyncClient, services: Services, body: dict[str, object], message: str
) -> None:
    response = await client.post("/suno/submit/music", json={"prompt": "la", **body})
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_request", "message": message, "data": None}


async def test_the_document_lists_the_models_and_knobs(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    text = str(document)
    for word in ("chirp-fenix", "chirp-auk-turbo", "vocal_gender", "style_weight",
                 "weirdness_constraint", "audio_weight"):
        assert word in text
