"""Repeated bad tokens from one address are refused for a while; everyone else is not.

Through the real app and database: failures counted per client address, 429 with
Retry-After once the allowance is used, good tokens from other addresses untouched,
X-Forwarded-For read only from trusted proxies, memory bounded.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.domain.bad_tokens import BadTokenRule, FailureWindow
from songgate.domain.client_address import client_key, trusted_networks
from songgate.wiring import Services, stores_of
from tests.security.helpers import http
from tests.support.settings import scripted_settings

MAX_FAILURES = 5
WINDOW = 60.0
ATTACKER = "198.51.100.23"
NEIGHBOUR = "198.51.100.99"
PROXY = "10.0.0.5"
UNKNOWN_TOKEN = "sk-" + "x" * 40


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return scripted_settings(
        tmp_path, database_url,
        bad_token_max_failures=MAX_FAILURES, bad_token_window_seconds=WINDOW,
        bad_token_max_addresses=50, trusted_proxies=(PROXY, "fd00::/8"),
        admin_token="admin-" + "a" * 30,
    )


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services)


async def fetch(client: httpx.AsyncClient, token: str | None = None,
                **headers: str) -> httpx.Response:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await client.post("/suno/fetch", json={"ids": []}, headers=headers)


def assert_limited(response: httpx.Response, retry_after: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["retry-after"] == str(retry_after)
    assert response.json() == {
        "code": "rate_limited",
        "message": "too many requests with invalid tokens from this address",
        "data": {"retry_after": retry_after},
    }


async def test_an_address_that_keeps_failing_waits_and_others_carry_on(
    app: FastAPI, token: str, clock: ManualClock
) -> None:
    async with http(app, peer=ATTACKER) as attacker, http(app, peer=NEIGHBOUR) as neighbour:
        for _ in range(MAX_FAILURES):
            assert (await fetch(attacker, UNKNOWN_TOKEN)).status_code == 401
        clock.advance(20)
        assert_limited(await fetch(attacker, UNKNOWN_TOKEN), 40)
        # the good token too: a refusal must not tell a right guess from a wrong one
        assert_limited(await fetch(attacker, token), 40)
        assert_limited(await attacker.get("/songgate/tasks", headers={
            "Authorization": f"Bearer {token}"}), 40)
        assert (await fetch(neighbour, token)).status_code == 200
        assert (await fetch(neighbour, UNKNOWN_TOKEN)).status_code == 401  # counts its own
        # what needs no token is still served to the attacker
        assert (await attacker.get("/healthz")).status_code == 200
        assert (await attacker.get("/")).status_code == 200
        clock.advance(40)  # the window is over
        assert (await fetch(attacker, token)).status_code == 200
        assert (await fetch(attacker, UNKNOWN_TOKEN)).status_code == 401


@pytest.mark.parametrize("kind", ["unknown", "malformed", "revoked", "expired", "scheme"])
async def test_every_kind_of_bad_token_counts(
    app: FastAPI, services: Services, account: Account, token: str, clock: ManualClock,
    kind: str,
) -> None:
    record, secret = await stores_of(services).accounts.create_token(
        account, name="bad", now=clock.now(), expires_at=clock.now() + 1)
    if kind == "revoked":
        assert await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
    clock.advance(2)  # the token with expires_at is now expired
    header = {"unknown": f"Bearer {UNKNOWN_TOKEN}", "malformed": "Bearer not-a-token",
              "revoked": f"Bearer {secret}", "expired": f"Bearer {secret}",
              "scheme": f"Basic {secret}"}[kind]
    async with http(app, peer=ATTACKER) as attacker:
        for _ in range(MAX_FAILURES):
            response = await attacker.get("/songgate/tasks", headers={"Authorization": header})
            assert response.status_code == 401
        assert_limited(await fetch(attacker, token), 60)


async def test_requests_without_credentials_are_not_counted(
    app: FastAPI, token: str
) -> None:
    async with http(app, peer=ATTACKER) as anonymous:
        for _ in range(MAX_FAILURES * 3):
            assert (await anonymous.post("/suno/fetch", json={"ids": []})).status_code == 401
        assert (await fetch(anonymous, token)).status_code == 200


async def test_admin_token_guesses_count_too(app: FastAPI, token: str) -> None:
    async with http(app, peer=ATTACKER) as attacker:
        for _ in range(MAX_FAILURES):
            response = await attacker.get("/admin/accounts",
                                          headers={"Authorization": "Bearer guess"})
            assert response.status_code == 401
        right = {"Authorization": "Bearer admin-" + "a" * 30}
        assert_limited(await attacker.get("/admin/accounts", headers=right), 60)
        assert_limited(await fetch(attacker, token), 60)


async def test_forwarded_for_is_ignored_from_untrusted_peers(
    app: FastAPI, token: str
) -> None:
    async with http(app, peer=ATTACKER) as attacker:
        for n in range(MAX_FAILURES):  # a new made-up address on every request
            response = await fetch(attacker, UNKNOWN_TOKEN, **{"X-Forwarded-For": f"192.0.2.{n}"})
            assert response.status_code == 401
        assert_limited(await fetch(attacker, token, **{"X-Forwarded-For": "192.0.2.200"}), 60)


async def test_a_trusted_proxy_names_its_clients(app: FastAPI, token: str) -> None:
    async with http(app, peer=PROXY) as proxy:
        for _ in range(MAX_FAILURES):
            # the client wrote the first address itself; the proxy appended the second
            forwarded = {"X-Forwarded-For": f"1.2.3.4, {ATTACKER}"}
            assert (await fetch(proxy, UNKNOWN_TOKEN, **forwarded)).status_code == 401
        assert_limited(await fetch(proxy, token, **{"X-Forwarded-For": ATTACKER}), 60)
        assert (await fetch(proxy, token, **{"X-Forwarded-For": NEIGHBOUR})).status_code == 200
        assert (await fetch(proxy, token)).status_code == 200  # the proxy itself is fine


async def test_memory_is_bounded_by_forgetting_the_oldest(
    app: FastAPI, token: str, clock: ManualClock
) -> None:
    limiter = app.state.bad_tokens
    async with http(app, peer=ATTACKER) as attacker:
        for _ in range(MAX_FAILURES):
            assert (await fetch(attacker, UNKNOWN_TOKEN)).status_code == 401
        assert_limited(await fetch(attacker, token), 60)
    for n in range(200):
        async with http(app, peer=f"192.0.2.{n}") as client:
            assert (await fetch(client, UNKNOWN_TOKEN)).status_code == 401
        assert len(limiter) <= 50
    async with http(app, peer=ATTACKER) as attacker:  # long forgotten
        assert (await fetch(attacker, token)).status_code == 200


async def test_off_when_set_to_zero(
    services: Services, settings: Settings, token: str
) -> None:
    services.settings = settings.model_copy(update={"bad_token_max_failures": 0})
    app = create_app(services)
    async with http(app, peer=ATTACKER) as attacker:
        for _ in range(MAX_FAILURES * 2):
            assert (await fetch(attacker, UNKNOWN_TOKEN)).status_code == 401
        assert (await fetch(attacker, token)).status_code == 200
    assert len(app.state.bad_tokens) == 0


def test_the_rule_counts_within_one_window() -> None:
    rule = BadTokenRule(max_failures=3, window_seconds=10)
    window = None
    for moment in (100.0, 101.0):
        window = rule.failed(window, moment)
        assert rule.retry_after(window, moment) is None
    window = rule.failed(window, 109.5)
    assert window == FailureWindow(started=100.0, failures=3)
    assert rule.retry_after(window, 109.5) == 1 and rule.retry_after(window, 105) == 5
    assert rule.retry_after(window, 110.0) is None  # over: a new window starts
    assert rule.failed(window, 110.0) == FailureWindow(started=110.0, failures=1)
    assert rule.retry_after(window, 99.0) is None  # a clock that went back forgets
    assert BadTokenRule(0, 10).retry_after(FailureWindow(0, 99), 1) is None


@pytest.mark.parametrize(
    ("peer", "forwarded", "key"),
    [
        ("198.51.100.1", [], "198.51.100.1"),
        ("198.51.100.1", ["1.1.1.1"], "198.51.100.1"),  # not a trusted peer
        ("10.0.0.5", ["1.1.1.1"], "1.1.1.1"),
        ("10.0.0.5", ["6.6.6.6, 1.1.1.1"], "1.1.1.1"),  # the client's own entry is not read
        ("10.0.0.5", ["6.6.6.6", "1.1.1.1, 10.0.0.9"], "1.1.1.1"),  # two trusted hops
        ("10.0.0.5", ["garbage, 1.1.1.1"], "1.1.1.1"),
        ("10.0.0.5", ["1.1.1.1, garbage"], "10.0.0.5"),  # unreadable: the proxy it came from
        ("10.0.0.5", [], "10.0.0.5"),
        ("2001:db8:1:2:3:4:5:6", [], "2001:db8:1:2::/64"),  # IPv6 clients by their /64
        ("::ffff:198.51.100.1", [], "198.51.100.1"),
        (None, [], "unknown"),
    ],
)
def test_client_addresses(peer: str | None, forwarded: list[str], key: str) -> None:
    trusted = trusted_networks(["10.0.0.0/8"])
    assert client_key(peer, forwarded, trusted) == key
