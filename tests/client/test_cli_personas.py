"""``songgate persona create | get | list`` as a user runs them, against a real songgate."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from songgate.client import SongClient
from tests.client.test_client_clip_actions import ROUTES, _engine_clip
from tests.support.server import REPO, Process, free_port, songgate_env, start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Process, Path]]:
    data_dir = tmp_path_factory.mktemp("cli_personas")
    process = start("serve", data_dir, port=free_port(), SONGGATE_ROUTES=ROUTES)
    yield process, data_dir
    process.stop()


def persona(server: Process, *args: str) -> subprocess.CompletedProcess[str]:
    env = songgate_env(Path("/nonexistent"))
    env["SONGGATE_URL"], env["SONGGATE_TOKEN"] = server.url, server.token
    return subprocess.run([sys.executable, "-m", "songgate", "persona", *args], text=True,
                          capture_output=True, env=env, cwd=REPO, timeout=120, check=False)


def test_personas_are_made_read_and_listed_from_the_command_line(
    server: tuple[Process, Path]
) -> None:
    process, data_dir = server
    with SongClient(process.url, process.token) as client:
        clip_id = _engine_clip(client, data_dir)
    made = []
    for name in ("first", "second"):
        done = persona(process, "create", clip_id, "--name", name, "--description", "warm")
        assert done.returncode == 0, done.stderr
        made.append(orjson.loads(done.stdout))
    got = persona(process, "get", made[0]["id"])
    assert got.returncode == 0, got.stderr
    assert orjson.loads(got.stdout) == made[0]
    listed = persona(process, "list")
    assert listed.returncode == 0, listed.stderr
    assert [p["id"] for p in orjson.loads(listed.stdout)][:2] == [made[1]["id"], made[0]["id"]]
    one = persona(process, "list", "--limit", "1")
    assert [p["name"] for p in orjson.loads(one.stdout)] == ["second"]
    missing = persona(process, "get", "00000000-0000-4000-8000-000000000000")
    assert missing.returncode != 0 and "persona_not_exist" in missing.stderr
    assert missing.stdout == ""
    bad = persona(process, "list", "--limit", "0")
    assert bad.returncode == 2 and "limit" in bad.stderr
