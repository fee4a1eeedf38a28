"""PostgreSQL restarted under load: 503s during the outage, then everyone reconnects and
every task finishes exactly once."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.e2e.test_processes import WORKER_ENV, call, finishes, make_token, wait_all_terminal
from tests.support.server import free_port, start

STOP = os.environ.get("SONGGATE_TEST_PG_STOP", "")
START = os.environ.get("SONGGATE_TEST_PG_START", "")


@pytest.mark.postgres
def test_processes_ride_out_a_database_restart(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if not (STOP and START):
        if os.environ.get("SONGGATE_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail("SONGGATE_TEST_PG_STOP/START are not set")
        pytest.skip("no way to restart the test PostgreSQL (SONGGATE_TEST_PG_STOP/START)")
    env = {**WORKER_ENV, "SONGGATE_DATABASE_URL": request.getfixturevalue("postgres_database_url"),
           "SONGGATE_DB_CONNECT_TIMEOUT_SECONDS": "1", "SONGGATE_LEASE_SECONDS": "10"}
    token = make_token(tmp_path, **env)
    api = start("api", tmp_path, port=free_port(), **env)
    worker = start("worker", tmp_path, **env)
    ids = [call(api, token, "/suno/submit/lyrics", {"prompt": f"a{i} script:sleep=0.3"})
           for i in range(8)]
    for _ in range(200):  # the worker is up and working before the outage begins
        if any(t["status"] != "SUBMITTED" for t in call(api, token, "/suno/fetch", {"ids": ids})):
            break
        time.sleep(0.05)
    try:
        subprocess.run(STOP, shell=True, check=True, timeout=60)
        try:
            statuses = []
            for _ in range(6):  # the outage: quick 503s, never a 500 or a hang
                response = requests.post(f"{api.url}/suno/fetch", json={"ids": ids},
                                         headers={"Authorization": f"Bearer {token}"},
                                         timeout=10)  # a hang raises
                statuses.append(response.status_code)
                time.sleep(0.3)
        finally:
            subprocess.run(START, shell=True, check=True, timeout=60)
        assert set(statuses) <= {503, 200} and 503 in statuses, statuses
        ids += [call(api, token, "/suno/submit/lyrics", {"prompt": f"b{i} script:sleep=0.1"})
                for i in range(8)]
        try:
            tasks = wait_all_terminal(api, token, ids, timeout=60)
        except AssertionError:
            raise AssertionError(worker.log_text()[-3000:]) from None
    finally:
        worker.stop()
        api.stop()
    assert {task["status"] for task in tasks} == {"SUCCESS"}
    assert all(count == 1 for count in finishes(worker).values())
    assert set(finishes(worker)) == set(ids)
