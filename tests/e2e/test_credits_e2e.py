"""Credits through real HTTP: charging at submit, refunds of failures, the admin API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server import Process, free_port, start, wait_task

ADMIN = "admin-secret-token-for-tests"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Process]:
    process = start("serve", tmp_path, port=free_port(),
                    SONGGATE_PRICES="MUSIC=10,LYRICS=10,MUSIC/chirp-auk=15",
                    SONGGATE_ADMIN_TOKEN=ADMIN, SONGGATE_RETRY_DELAY_SECONDS="0")
    yield process
    process.stop()


def call(server: Process, method: str, path: str, body: Any = None,
         token: str | None = None) -> httpx.Response:
    return httpx.request(method, server.url + path, json=body, timeout=30,
                         headers={"Authorization": f"Bearer {token or server.token}"})


def balance(server: Process) -> int:
    answer = call(server, "GET", "/admin/accounts/default", token=ADMIN).json()["data"]
    assert answer["balance"] == sum(entry["amount"] for entry in answer["ledger"])
    return int(answer["balance"])


def test_charge_refund_and_quota(server: Process) -> None:
    music = {"prompt": "[Verse]\nla", "tags": "pop", "mv": "chirp-v4"}
    refused = call(server, "POST", "/suno/submit/music", music)
    assert refused.status_code == 403
    assert refused.json()["code"] == "quota_not_enough"
    assert "costs 10 credits; the balance is 0" in refused.json()["message"]

    topped = call(server, "POST", "/admin/accounts/default/topup",
                  {"amount": 25, "note": "welcome"}, token=ADMIN)
    assert topped.status_code == 200 and topped.json()["data"]["balance"] == 25

    failing = call(server, "POST", "/suno/submit/lyrics",
                   {"prompt": "script:fail=final"}).json()["data"]
    assert wait_task(server, failing, timeout=30)["status"] == "FAILURE"
    assert balance(server) == 25  # charged 10, refunded 10

    for _ in range(2):
        task_id = call(server, "POST", "/suno/submit/music", music).json()["data"]
        assert wait_task(server, task_id, timeout=30)["status"] == "SUCCESS"
    assert balance(server) == 5
    assert call(server, "POST", "/suno/submit/music", {**music, "mv": "chirp-auk"}
                ).json()["code"] == "quota_not_enough"
    reasons = [e["reason"] for e in
               call(server, "GET", "/admin/accounts/default", token=ADMIN).json()["data"]["ledger"]]
    assert sorted(reasons) == ["charge", "charge", "charge", "refund", "topup"]


def test_admin_api_guards(server: Process) -> None:
    for token in (server.token, "wrong", ""):
        answer = call(server, "GET", "/admin/accounts", token=token or "x")
        assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"
    listed = call(server, "GET", "/admin/accounts", token=ADMIN).json()["data"]
    assert [a["name"] for a in listed] == ["default"] and listed[0]["balance"] == 0
    missing = call(server, "GET", "/admin/accounts/nobody", token=ADMIN)
    assert missing.status_code == 404 and missing.json()["code"] == "account_not_found"
    for body in ({"amount": "5"}, {"amount": 0}, {"amount": 10**12}, [1], {"amount": 1.5},
                 {"amount": 1, "note": "x" * 500}):
        bad = call(server, "POST", "/admin/accounts/default/topup", body, token=ADMIN)
        assert bad.status_code == 400, body
    below = call(server, "POST", "/admin/accounts/default/topup", {"amount": -1}, token=ADMIN)
    assert below.status_code == 403 and below.json()["code"] == "quota_not_enough"


def test_admin_api_is_absent_without_a_token(tmp_path: Path) -> None:
    process = start("serve", tmp_path, port=free_port())
    try:
        answer = call(process, "GET", "/admin/accounts", token="anything")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
        # without prices, submitting is free
        assert call(process, "POST", "/suno/submit/lyrics", {"prompt": "x"}).status_code == 200
    finally:
        process.stop()
