"""Headers of every answer: the declared type, nosniff, and CORS only when configured."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from songgate.api.app import create_app
from songgate.config import ConfigError, Settings, load_settings
from songgate.wiring import Services
from tests.security.helpers import http

JSON = "application/json"
CLIP = str(uuid.uuid4())
APP_ORIGIN = "https://app.example.com"
PREFLIGHT = {"Origin": APP_ORIGIN, "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type"}


@pytest.fixture
def media_file(services: Services) -> None:
    root = services.media.root
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{CLIP}.mp3").write_bytes(b"ID3" + bytes(100))
    (root / f"image_{CLIP}.jpeg").write_bytes(b"\xff\xd8" + bytes(100))


ANSWERS = [
    ("GET", "/healthz", {}, 200, JSON),
    ("GET", "/readyz", {}, 200, JSON),
    ("POST", "/suno/fetch", {"json": {"ids": []}}, 200, JSON),
    ("POST", "/suno/fetch", {"content": b"{"}, 400, JSON),
    ("POST", "/suno/submit/lyrics", {"json": {"prompt": "rain"}}, 200, JSON),
    ("GET", "/suno/fetch/nothing", {}, 404, JSON),
    ("GET", "/songgate/tasks", {}, 200, JSON),
    ("GET", "/songgate/tasks?limit=0", {}, 400, JSON),
    ("GET", "/nowhere", {}, 404, JSON),
    ("PUT", "/suno/fetch", {}, 405, JSON),
    ("OPTIONS", "/suno/fetch", {}, 405, JSON),
    ("GET", "/suno/fetch/x", {"headers": {"Authorization": "Bearer wrong"}}, 401, JSON),
    ("GET", f"/media/{CLIP}.mp3", {}, 200, "audio/mpeg"),
    ("GET", f"/media/image_{CLIP}.jpeg", {}, 200, "image/jpeg"),
    ("GET", f"/media/{CLIP}.mp4", {}, 404, JSON),
    ("GET", "/", {}, 200, "text/html; charset=utf-8"),
    ("GET", "/dashboard/app.js", {}, 200, "text/javascript; charset=utf-8"),
    ("GET", "/dashboard/nothing.js", {}, 404, JSON),
]


@pytest.mark.parametrize(("method", "path", "extra", "status", "content_type"), ANSWERS)
async def test_every_answer_declares_its_type_and_forbids_sniffing(
    client: httpx.AsyncClient, media_file: None, method: str, path: str,
    extra: dict[str, object], status: int, content_type: str,
) -> None:
    response = await client.request(method, path, **extra)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == content_type
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert "server" not in response.headers
    assert not any(name.startswith("access-control-") for name in response.headers)


async def test_cors_is_off_by_default(client: httpx.AsyncClient, settings: Settings) -> None:
    assert settings.cors_allowed_origins == ()
    preflight = await client.options("/suno/fetch", headers=PREFLIGHT)
    assert preflight.status_code == 405 and preflight.headers["content-type"] == JSON
    answer = await client.post("/suno/fetch", json={"ids": []}, headers={"Origin": APP_ORIGIN})
    assert answer.status_code == 200
    for response in (preflight, answer):
        assert not any(name.startswith("access-control-") for name in response.headers)
        assert "origin" not in response.headers.get("vary", "").lower()


@pytest.fixture
def cors_app(services: Services, settings: Settings) -> FastAPI:
    services.settings = settings.model_copy(
        update={"cors_allowed_origins": (APP_ORIGIN, "http://localhost:5173")})
    return create_app(services)


async def test_cors_answers_listed_origins_only(cors_app: FastAPI, token: str) -> None:
    async with http(cors_app, token) as client:
        preflight = await client.options("/suno/fetch", headers=PREFLIGHT)
        assert preflight.status_code == 204 and preflight.content == b""
        assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
        assert preflight.headers["access-control-allow-methods"] == "GET, HEAD, POST"
        assert preflight.headers["access-control-allow-headers"] == "authorization, content-type"
        assert "access-control-allow-credentials" not in preflight.headers
        assert "Origin" in preflight.headers["vary"]

        answer = await client.post("/suno/fetch", json={"ids": []},
                                   headers={"Origin": APP_ORIGIN})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "retry-after" in answer.headers["access-control-expose-headers"]
        assert "access-control-allow-credentials" not in answer.headers
        assert "Origin" in answer.headers["vary"]
        other_port = await client.get("/healthz", headers={"Origin": "http://localhost:5173"})
        assert other_port.headers["access-control-allow-origin"] == "http://localhost:5173"

        refused = [
            {**PREFLIGHT, "Origin": "https://evil.example.com"},
            {**PREFLIGHT, "Origin": APP_ORIGIN + ".evil.example.com"},
            {**PREFLIGHT, "Origin": "http://app.example.com"},  # another scheme
            {**PREFLIGHT, "Origin": "null"},
            {**PREFLIGHT, "Access-Control-Request-Method": "DELETE"},
            {**PREFLIGHT, "Access-Control-Request-Headers": "authorization, x-custom"},
            {**PREFLIGHT, "Access-Control-Request-Headers": "cookie"},
        ]
        for headers in refused:
            response = await client.options("/suno/fetch", headers=headers)
            assert response.status_code == 405, headers
            assert response.headers["content-type"] == JSON
            assert not any(name.startswith("access-control-") for name in response.headers)
        stranger = await client.post("/suno/fetch", json={"ids": []},
                                     headers={"Origin": "https://evil.example.com"})
        assert stranger.status_code == 200
        assert not any(name.startswith("access-control-") for name in stranger.headers)
        assert "Origin" in stranger.headers["vary"]  # caches keep the two apart


async def test_cors_for_any_origin_when_asked(services: Services, settings: Settings) -> None:
    services.settings = settings.model_copy(update={"cors_allowed_origins": ("*",)})
    async with http(create_app(services)) as client:
        preflight = await client.options(
            "/suno/fetch", headers={**PREFLIGHT, "Origin": "https://anyone.example"})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in preflight.headers


def test_cors_origins_are_read_and_checked(tmp_path: Path) -> None:
    settings = load_settings({"SONGGATE_CORS_ALLOWED_ORIGINS":
                              " https://App.example.com , http://127.0.0.1:3000,"})
    assert settings.cors_allowed_origins == ("https://app.example.com", "http://127.0.0.1:3000")
    assert load_settings({}).cors_allowed_origins == ()
    for wrong in ("https://app.example.com/", "app.example.com", "https://a.example/path",
                  "ftp://a.example"):
        with pytest.raises(ConfigError, match="CORS_ALLOWED_ORIGINS"):
            load_settings({"SONGGATE_CORS_ALLOWED_ORIGINS": wrong})
    proxies = load_settings({"SONGGATE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1"})
    assert proxies.trusted_proxies == ("127.0.0.1", "10.0.0.0/8", "::1")
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        load_settings({"SONGGATE_TRUSTED_PROXIES": "proxy.internal"})
