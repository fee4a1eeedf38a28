"""Every bad input gets the envelope with a specific code and status, never a 500."""

from __future__ import annotations

import httpx
import pytest

from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.wiring import Services, stores_of


def assert_error(response: httpx.Response, status: int, code: str, text: str = "") -> None:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code and body["data"] is None, body
    assert text in body["message"]


@pytest.mark.parametrize(
    ("content", "code", "text"),
    [
        (b"", "invalid_request", "empty"),
        (b"not json", "invalid_request", "not valid JSON"),
        (b"[1,2]", "invalid_request", "JSON object"),
        (b'{"ids": "x"}', "invalid_request", "ids must be an array"),
        (b'{"ids": [1]}', "invalid_request", "ids[0] must be a string"),
        (b'{"action": "MUSIC"}', "invalid_request", "ids is required"),
    ],
)
async def test_bad_fetch_bodies(
    client: httpx.AsyncClient, content: bytes, code: str, text: str
) -> None:
    assert_error(await client.post("/suno/fetch", content=content), 400, code, text)


async def test_too_many_ids(client: httpx.AsyncClient) -> None:
    ids = [f"id-{i}" for i in range(1001)]
    assert_error(await client.post("/suno/fetch", json={"ids": ids}), 400, "invalid_request",
                 "ids has 1001 entries; the limit is 1000")


async def test_oversize_body(client: httpx.AsyncClient) -> None:
    huge = b'{"prompt": "' + b"x" * 300_000 + b'"}'
    assert_error(await client.post("/suno/submit/music", content=huge), 413,
                 "request_too_large")


async def test_oversize_body_without_content_length(client: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"x" * 10_000

    response = await client.post("/suno/submit/music", content=chunks())
    assert_error(response, 413, "request_too_large")


async def test_unknown_action_and_route(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/suno/submit/video", json={"prompt": "x"}), 400,
                 "action_not_supported", "music, lyrics")
    assert_error(await client.get("/suno/nothing"), 404, "not_found")
    refused = await client.get("/suno/fetch")
    assert_error(refused, 405, "method_not_allowed")
    assert refused.headers["allow"] == "POST"  # RFC 9110: a 405 names the allowed methods


async def test_empty_prompts(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/suno/submit/music", json={"prompt": ""}), 400,
                 "prompt_empty")
    assert_error(await client.post("/suno/submit/lyrics", json={}), 400, "prompt_empty")


async def test_unknown_mv(client: httpx.AsyncClient) -> None:
    response = await client.post("/suno/submit/music", json={"prompt": "a", "mv": "v9"})
    assert_error(response, 400, "invalid_model_version", "chirp-v3-5, chirp-v4, chirp-auk")


@pytest.mark.parametrize(
    ("header", "code", "text"),
    [
        (None, "unauthorized", "missing Authorization"),
        ("Basic abc", "unauthorized", "expected Bearer"),
        ("Bearer ", "unauthorized", "expected Bearer"),
        ("Bearer not-a-token", "unauthorized", "malformed token"),
        ("Bearer sk-" + "a" * 48, "unauthorized", "not valid"),
    ],
)
async def test_bad_tokens(
    services: Services, header: str | None, code: str, text: str
) -> None:
    from songgate.api.app import create_app

    headers = {"Authorization": header} if header is not None else {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(services)), base_url="http://t"
    ) as anonymous:
        response = await anonymous.post("/suno/fetch", json={"ids": []}, headers=headers)
    assert_error(response, 401, code, text)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_revoked_expired_and_disabled(
    services: Services, client: httpx.AsyncClient, account: Account, clock: ManualClock
) -> None:
    record, secret = await stores_of(services).accounts.create_token(
        account, name="x", now=clock.now(), expires_at=clock.now() + 10)
    auth = {"Authorization": f"Bearer {secret}"}
    assert (await client.post("/suno/fetch", json={"ids": []}, headers=auth)).status_code == 200
    clock.advance(11)
    assert_error(await client.post("/suno/fetch", json={"ids": []}, headers=auth), 401,
                 "token_expired")
    await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
    assert_error(await client.post("/suno/fetch", json={"ids": []}, headers=auth), 401,
                 "token_revoked")
    await stores_of(services).accounts.set_account_disabled(account.name, True)
    assert_error(await client.post("/suno/fetch", json={"ids": []}), 403, "account_disabled")


async def test_no_channel_for_action(services: Services, client: httpx.AsyncClient) -> None:
    from songgate.config import Settings
    from songgate.wiring import Services as Built

    bare = Built.build(Settings(**{**services.settings.model_dump(), "routes": {}}))
    from songgate.api.app import create_app

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(bare)), base_url="http://t",
        headers=client.headers,
    ) as http:
        response = await http.post("/suno/submit/music", json={"prompt": "la"})
    await bare.close()
    assert_error(response, 503, "no_available_channel", "MUSIC")


async def test_internal_errors_say_nothing_internal(
    services: Services, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import text

    from songgate.api.app import create_app

    async with stores_of(services).database.write() as conn:  # break the database for real
        await conn.execute(text("ALTER TABLE tasks RENAME TO tasks_moved_away"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(services), raise_app_exceptions=False),
        base_url="http://t", headers=client.headers,
    ) as http:
        response = await http.post("/suno/fetch", json={"ids": ["a"]})
    assert_error(response, 500, "internal_error")
    for leak in ("tasks", "SELECT", "sqlalchemy", "Traceback", "sqlite", "asyncpg"):
        assert leak not in response.text


async def test_text_the_database_cannot_store_is_refused(client: httpx.AsyncClient) -> None:
    nul = await client.post("/suno/submit/music", json={"prompt": "la\u0000la"})
    assert_error(nul, 400, "invalid_request", "prompt must not contain NUL")
    surrogate = await client.post("/suno/submit/lyrics",
                                  content=b'{"prompt": "bad \\ud800 half"}')
    assert surrogate.status_code == 400
    ids = await client.post("/suno/fetch", json={"ids": ["a\u0000"]})
    assert_error(ids, 400, "invalid_request", "ids[0] must not contain NUL")
    path = await client.get("/suno/fetch/a%00b")
    assert_error(path, 404, "task_not_exist")


async def test_trailing_slashes_get_an_envelope_not_a_redirect(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/suno/fetch/", json={"ids": []}), 404, "not_found")
    assert_error(await client.get("/suno/fetch//"), 404, "not_found")
