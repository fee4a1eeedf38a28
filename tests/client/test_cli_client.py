"""``songgate submit | fetch | wait`` as a user runs them, against a real songgate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.support.client_cli import run
from tests.support.server import Process, free_port, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    with serving(tmp_path_factory.mktemp("cli-client")) as process:
        yield process


def test_submit_lyrics_and_wait(server: Process) -> None:
    done = run(server, "submit", "lyrics", "a weekend song", "--wait")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Happy Weekend") and "[Verse]" in done.stdout
    as_json = run(server, "submit", "lyrics", "again", "--wait", "--json")
    [task] = orjson.loads(as_json.stdout)
    assert task["status"] == "SUCCESS" and task["action"] == "LYRICS"


def test_submit_music_from_stdin_wait_and_download(server: Process, tmp_path: Path) -> None:
    done = run(server, "submit", "music", "--lyrics", "-", "--tags", "pop",
               "--title", "Song script:files=1", "--download", str(tmp_path), "--json",
               stdin="[Verse]\nla la")
    assert done.returncode == 0, done.stderr
    [task] = orjson.loads(done.stdout)
    assert task["data"][0]["metadata"]["prompt"] == "[Verse]\nla la"
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved == sorted(f"{clip['id']}.mp3" for clip in task["data"])
    assert all((tmp_path / name).read_bytes().startswith(b"ID3") for name in saved)


def test_submit_fetch_and_wait_by_id(server: Process) -> None:
    task_id = run(server, "submit", "music", "--tags", "rock", "--description",
                  "a song about trains").stdout.strip()
    waited = run(server, "wait", task_id, "--json")
    assert waited.returncode == 0 and orjson.loads(waited.stdout)[0]["status"] == "SUCCESS"
    table = run(server, "fetch", task_id)
    assert table.returncode == 0 and "SUCCESS" in table.stdout
    missing = run(server, "fetch", task_id, "no-such-task", "--json")
    assert missing.returncode == 1 and len(orjson.loads(missing.stdout)) == 1


def test_exit_codes(server: Process) -> None:
    failed = run(server, "submit", "lyrics", "script:fail=final", "--wait")
    assert failed.returncode == 1 and "FAILURE" in failed.stdout
    refused = run(server, "submit", "lyrics", "x", token="sk-" + "z" * 30)
    assert refused.returncode == 2 and "unauthorized" in refused.stderr
    empty = run(server, "submit", "lyrics", "")
    assert empty.returncode == 2 and "prompt_empty" in empty.stderr
    nowhere = run(server, "fetch", "x", url=f"http://127.0.0.1:{free_port()}")
    assert nowhere.returncode == 3 and "could not reach" in nowhere.stderr
    stuck = run(server, "submit", "lyrics", "script:hang=1").stdout.strip()
    timed_out = run(server, "wait", stuck, "--timeout", "1")
    assert timed_out.returncode == 4 and "still running" in timed_out.stderr
    no_token = run(server, "fetch", "x", token="")
    assert no_token.returncode == 2 and "no token" in no_token.stderr
    unreadable = run(server, "submit", "music", "--lyrics", "/no/such/file")
    assert unreadable.returncode == 2 and "cannot read" in unreadable.stderr
