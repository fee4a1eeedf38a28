"""The hot routes (songgate.api.hot) answer exactly as the app's own routes would: the same
status, body and head, with or without CORS, the same request log and metrics."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from songgate.api.app import SonggateApp, create_app
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.status import Action
from songgate.wiring import Services

ORIGIN = "https://app.example.com"


def head(response: httpx.Response) -> list[tuple[str, str]]:
    """The answer's headers in order, the request id's value left out (it is new each time)."""
    return [(name, "…" if name == "x-request-id" else value)
            for name, value in response.headers.multi_items()]


async def both(services: Services, token: str, method: str, path: str,
               **extra: Any) -> tuple[httpx.Response, httpx.Response]:
    """The answers of the app with its hot routes, then of the app's own routes."""
    answers = []
    for hot in (True, False):
        app = create_app(services)
        assert isinstance(app, SonggateApp) and app.hot is not None
        if not hot:
            app.hot = None
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://songgate.test",
                                     headers={"Authorization": f"Bearer {token}"}) as client:
            answers.append(await client.request(method, path, **extra))
    return answers[0], answers[1]


@pytest.mark.parametrize("cors", [False, True])
async def test_hot_routes_answer_as_the_app_does(
    services: Services, settings: Settings, account: Account, token: str, cors: bool,
) -> None:
    if cors:
        services.settings = settings.model_copy(update={"cors_allowed_origins": (ORIGIN,)})
    task_id = await services.task_service.submit(account, Action.LYRICS, {"prompt": "rain"})
    origin = {"Origin": ORIGIN}
    asked: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/healthz", {}),
        ("GET", "/healthz", {"headers": origin}),
        ("POST", "/suno/fetch", {"json": {"ids": [task_id, "nothing"]}, "headers": origin}),
        ("POST", "/suno/fetch", {"json": {"ids": [task_id], "action": "MUSIC"}}),
        ("POST", "/suno/fetch", {"content": b"{"}),
        ("POST", "/suno/fetch", {"json": {"ids": [7]}}),
        ("GET", f"/suno/fetch/{task_id}", {"headers": origin}),
        ("GET", "/suno/fetch/nothing", {}),
        ("GET", "/suno/fetch/x", {"headers": {"Authorization": "Bearer wrong"}}),
        ("POST", "/suno/submit/lyrics", {"json": {}}),
        ("POST", "/suno/submit/nothing", {"json": {"prompt": "x"}, "headers": origin}),
    ]
    for method, path, extra in asked:
        hot, app = await both(services, token, method, path, **extra)
        assert (hot.status_code, hot.content, head(hot)) == (
            app.status_code, app.content, head(app)), (method, path, extra)
        assert hot.headers["x-content-type-options"] == "nosniff"
        assert ("access-control-allow-origin" in hot.headers) == (
            cors and "Origin" in extra.get("headers", {}))
    submitted, submitted_by_app = await both(services, token, "POST", "/suno/submit/lyrics",
                                             json={"prompt": "sun"})
    assert submitted.status_code == submitted_by_app.status_code == 200
    assert head(submitted) == head(submitted_by_app)


async def test_a_hot_route_is_logged_and_counted_once(
    services: Services, token: str, caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(services)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://songgate.test",
                                 headers={"Authorization": f"Bearer {token}",
                                          "X-Request-Id": "poll-1"}) as client:
        with caplog.at_level(logging.INFO, logger="songgate.request"):
            answer = await client.post("/suno/fetch", json={"ids": []})
    assert answer.headers["x-request-id"] == "poll-1"
    [line] = [record for record in caplog.records if record.name == "songgate.request"]
    assert (line.method, line.path, line.route, line.status) == (  # type: ignore[attr-defined]
        "POST", "/suno/fetch", "/suno/fetch", 200)
    counted = services.metrics.registry.get_sample_value(
        "songgate_http_requests_total",
        {"method": "POST", "route": "/suno/fetch", "status": "200"})
    assert counted == 1
