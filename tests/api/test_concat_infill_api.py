"""``is_infill`` on a concat: accepted (the engine's extensions are never infills, so it
changes nothing), and refused when it is not a boolean; ``songgate concat`` sends it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from songgate.cli.main import app
from songgate.clock import ManualClock
from songgate.domain.accounts import Account
from songgate.wiring import Services
from tests.api.test_concat_api import engine_files, finished
from tests.api.test_tasks_api import fetch
from tests.support.server import api_data, free_port, songgate_env, start, wait_task


async def test_is_infill_is_accepted_and_must_be_a_boolean(
    client: httpx.AsyncClient, services: Services, account: Account, clock: ManualClock,
    tmp_path: Path,
) -> None:
    first = await finished(services, account, clock, {"prompt": "la", "title": "Neon"})
    last = await finished(services, account, clock, {"prompt": "la la", "title": "Neon",
                                                     "continue_clip_id": first,
                                                     "continue_at": 6})
    await engine_files(services, last, tmp_path)
    answers = {}
    for infill in (True, False):
        answer = await client.post("/suno/submit/concat",
                                   json={"clip_id": last, "is_infill": infill})
        assert answer.status_code == 200, answer.text
        [task] = await fetch(client, ids=[answer.json()["data"]])
        answers[infill] = task["data"][0]["metadata"]["concat_history"]  # type: ignore[index]
    assert answers[True] == answers[False]  # the same parts, none an infill
    assert all(part["infill"] is False for part in answers[True])
    for bad in ("yes", 1, None, [True]):
        refused = await client.post("/suno/submit/concat",
                                    json={"clip_id": last, "is_infill": bad})
        if bad is None:  # null is the default, as for every optional field
            assert refused.status_code == 200, refused.text
            continue
        assert refused.status_code == 400, (bad, refused.text)
        assert "is_infill" in refused.json()["message"]


def test_songgate_concat_submits_and_says_why_it_was_refused() -> None:
    shown = CliRunner().invoke(app, ["concat", "--help"], env={"COLUMNS": "80"})
    assert shown.exit_code == 0 and "--infill" in shown.output.split()
    unreachable = CliRunner().invoke(
        app, ["concat", "c1", "--url", "http://127.0.0.1:9", "--token", "sk-x", "--infill"])
    assert unreachable.exit_code == 3  # the service could not be reached
    no_token = CliRunner().invoke(app, ["concat", "c1"], env={"SONGGATE_TOKEN": ""})
    assert no_token.exit_code == 2


def test_songgate_concat_against_a_server(tmp_path: Path) -> None:
    server = start("serve", tmp_path, port=free_port())
    try:
        task = wait_task(server, api_data(server, "POST", "/suno/submit/music",
                                          {"prompt": "la", "title": "One"}), timeout=60)
        clip_id = task["data"][0]["id"]
        refused = subprocess.run(
            [sys.executable, "-m", "songgate", "concat", clip_id, "--url", server.url,
             "--token", server.token, "--infill"], capture_output=True, text=True,
            timeout=60, env=songgate_env(tmp_path))
        assert refused.returncode == 2 and "not an extension" in refused.stderr
    finally:
        server.stop()
