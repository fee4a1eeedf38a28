"""Every input is bounded: body, lists, each string, query, headers, URL and path.

Each bound is met exactly (accepted) and passed by one (refused with an envelope that
says which), through the real app; no error message grows with the input.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from songgate.config import Settings
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.submit import ID_MAX_LENGTH, LYRICS_PROMPT_MAX
from tests.api.test_errors import assert_error

HUGE = "x" * 100_000
MESSAGE_MAX = 200  # no error message echoes what it refuses


def assert_refused(response: httpx.Response, status: int, code: str, text: str = "") -> None:
    assert response.headers["content-type"] == "application/json"
    assert_error(response, status, code, text)
    assert len(response.json()["message"]) <= MESSAGE_MAX


def limits(mv: str) -> dict[str, int]:
    model = MODEL_VERSIONS[mv]
    return {"prompt": model.prompt_max, "tags": model.tags_max,
            "negative_tags": model.negative_tags_max, "title": model.title_max,
            "gpt_description_prompt": model.description_max}


@pytest.mark.parametrize("mv", list(MODEL_VERSIONS))
async def test_music_text_fields_follow_each_models_limits(
    client: httpx.AsyncClient, mv: str
) -> None:
    for field, limit in limits(mv).items():
        base: dict[str, Any] = {"mv": mv}
        if field != "gpt_description_prompt":
            base["prompt"] = "[Verse]\nla"
        exact = await client.post("/suno/submit/music", json={**base, field: "é" * limit})
        assert exact.status_code == 200, (field, exact.text)  # characters, not bytes
        over = await client.post("/suno/submit/music", json={**base, field: "é" * (limit + 1)})
        assert_refused(over, 400, "invalid_request",
                       f"{field} is {limit + 1} characters long; the limit is {limit}")


async def test_lyrics_prompt_hook_and_clip_id_are_bounded(client: httpx.AsyncClient) -> None:
    ok = await client.post("/suno/submit/lyrics", json={"prompt": "r" * LYRICS_PROMPT_MAX})
    assert ok.status_code == 200
    assert_refused(
        await client.post("/suno/submit/lyrics", json={"prompt": "r" * (LYRICS_PROMPT_MAX + 1)}),
        400, "invalid_request", f"the limit is {LYRICS_PROMPT_MAX}")
    base = "https://hooks.example.com/"
    at_limit = base + "h" * (2048 - len(base))
    ok = await client.post("/suno/submit/lyrics", json={"prompt": "r", "notify_hook": at_limit})
    assert ok.status_code == 200, ok.text
    assert_refused(
        await client.post("/suno/submit/lyrics",
                          json={"prompt": "r", "notify_hook": at_limit + "h"}),
        400, "invalid_request", "notify_hook is 2049 characters long; the limit is 2048")
    assert_refused(
        await client.post("/suno/submit/music", json={
            "prompt": "la", "continue_clip_id": "c" * (ID_MAX_LENGTH + 1), "continue_at": 1}),
        400, "invalid_request", f"continue_clip_id is {ID_MAX_LENGTH + 1} characters long")


@pytest.mark.parametrize(
    "field", ["prompt", "tags", "title", "negative_tags", "mv", "gpt_description_prompt",
              "continue_clip_id", "notify_hook", "make_instrumental", "continue_at"],
)
async def test_huge_values_get_short_answers(client: httpx.AsyncClient, field: str) -> None:
    response = await client.post("/suno/submit/music", json={field: HUGE})
    assert_refused(response, 400, response.json()["code"])
    assert response.json()["code"] in ("invalid_request", "invalid_model_version",
                                       "prompt_empty")


async def test_fetch_ids_are_bounded_in_number_and_length(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    most = [f"id-{n}" for n in range(settings.fetch_max_ids)]
    assert (await client.post("/suno/fetch", json={"ids": most})).status_code == 200
    assert_refused(await client.post("/suno/fetch", json={"ids": [*most, "one-more"]}),
                   400, "invalid_request", f"the limit is {settings.fetch_max_ids}")
    longest = "i" * ID_MAX_LENGTH
    assert (await client.post("/suno/fetch", json={"ids": [longest]})).json()["data"] == []
    assert_refused(await client.post("/suno/fetch", json={"ids": ["ok", longest + "i"]}),
                   400, "invalid_request", f"ids[1] is longer than {ID_MAX_LENGTH} characters")
    assert_refused(await client.post("/suno/fetch", json={"ids": [HUGE]}),
                   400, "invalid_request", "ids[0] is longer")


async def test_task_id_in_the_path_is_bounded(client: httpx.AsyncClient) -> None:
    unknown = await client.get("/suno/fetch/" + "t" * ID_MAX_LENGTH)
    assert_refused(unknown, 404, "task_not_exist")
    for too_long in ("t" * (ID_MAX_LENGTH + 1), "t" * 8000):
        response = await client.get("/suno/fetch/" + too_long)
        assert response.json() == unknown.json()  # named no task; the store is not asked


async def test_listing_query_is_bounded(client: httpx.AsyncClient) -> None:
    statuses = "SUCCESS,FAILURE,QUEUED"
    assert (await client.get("/songgate/tasks", params={"status": statuses})).status_code == 200
    cases = [
        ({"status": ",".join(["SUCCESS"] * 40)}, "status is longer than 256 characters"),
        ({"status": HUGE[:8000]}, "status is longer than 256 characters"),
        ({"limit": "101"}, "limit must be from 1 to 100"),
        ({"limit": "9" * 5000}, "limit must be from 1 to 100"),
        ({"before": "b" * 5000}, "before is not a cursor"),
        ({"action": "a" * 5000}, "action must be MUSIC, LYRICS, CONCAT, UPLOAD, FILE or STEM"),
        ({"x" * 5000: "1"}, "unknown parameter"),
    ]
    for params, text in cases:
        response = await client.get("/songgate/tasks", params=params)
        assert_refused(response, 400, "invalid_request", text)
    repeated = await client.get("/songgate/tasks?limit=1&limit=2")
    assert_refused(repeated, 400, "invalid_request", "limit is given more than once")


async def test_json_nesting_is_bounded(client: httpx.AsyncClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert_refused(await client.post("/suno/fetch", content=deep), 400, "invalid_request",
                   "not valid JSON")
    response = await client.post("/suno/fetch", content=_dumps_deep(2000))
    assert response.status_code in (200, 400) and response.json()["code"] != "internal_error"


def _dumps_deep(depth: int) -> bytes:
    return b'{"ids": [], "x": ' * depth + b"{}" + b"}" * depth


async def test_declared_bodies_are_bounded_on_every_route(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    limit = settings.max_body_bytes
    too_big = {"Content-Length": str(limit + 1)}
    for method, path in [("POST", "/suno/fetch"), ("GET", "/suno/fetch/abc"),
                         ("GET", "/healthz"), ("GET", "/songgate/tasks")]:
        response = await client.request(method, path, headers=too_big, content=b"x" * (limit + 1))
        assert_refused(response, 413, "request_too_large", f"larger than {limit} bytes")
    huge_number = {"Content-Length": "9" * 5000}
    assert_refused(await client.post("/suno/fetch", headers=huge_number, content=b"{}"),
                   413, "request_too_large")
    exactly = orjson.dumps({"ids": [], "pad": "p" * (limit - 19)})
    assert len(exactly) == limit
    assert (await client.post("/suno/fetch", content=exactly)).status_code == 200


async def test_headers_are_bounded(client: httpx.AsyncClient, settings: Settings) -> None:
    long_token = await client.get("/songgate/tasks", headers={
        "Authorization": "Bearer sk-" + "a" * 2000})
    assert_refused(long_token, 401, "unauthorized", "malformed token")
    huge = {"Authorization": "Bearer sk-" + "a" * settings.max_header_bytes}
    assert_refused(await client.get("/songgate/tasks", headers=huge), 431,
                   "headers_too_large", f"larger than {settings.max_header_bytes} bytes")
    many = {f"X-Extra-{n}": "1" for n in range(101)}
    assert_refused(await client.get("/healthz", headers=many), 431, "headers_too_large",
                   "more than 100 headers")
    some = {f"X-Extra-{n}": "1" for n in range(90)}
    assert (await client.get("/healthz", headers=some)).status_code == 200
    request_id = await client.get("/healthz", headers={"X-Request-ID": "r" * 65})
    assert request_id.headers["x-request-id"] != "r" * 65


async def test_urls_are_bounded(client: httpx.AsyncClient) -> None:
    assert_refused(await client.get("/suno/fetch/" + "t" * 9000), 414, "url_too_long")
    assert_refused(await client.get("/healthz", params={"q": "q" * 9000}), 414, "url_too_long")
    assert (await client.get("/healthz", params={"q": "q" * 7000})).status_code == 200


async def test_chunked_bodies_are_bounded_while_they_arrive(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += 10_000
            yield b"x" * 10_000

    response = await client.post("/suno/fetch", content=chunks())
    assert_refused(response, 413, "request_too_large")
    assert sent <= settings.max_body_bytes + 20_000  # reading stopped at the bound
