"""The deployment files: the Procfile's processes run a task for real, the systemd units
verify, and the deployment guide and example settings name only real settings."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from songgate.config import ENV_PREFIX, Settings, load_settings
from tests.support.server import free_port

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
PROCFILE = DEPLOY / "Procfile"
ENV_EXAMPLE = DEPLOY / "songgate.env.example"
UNITS = {
    "api": DEPLOY / "systemd" / "songgate-api@.service",
    "worker": DEPLOY / "systemd" / "songgate-worker@.service",
}
GUIDE = REPO / "docs" / "deploy.md"
# The venv's bin directory: `songgate` there is the installed entry point. Not resolved:
# the venv's python is a symlink to the base interpreter.
BIN_DIR = Path(sys.executable).parent
# Where the units expect songgate to be installed.
INSTALLED_SONGGATE = "/opt/songgate/.venv/bin/songgate"

PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
SETTING_NAME = re.compile(r"\bSONGGATE_[A-Z0-9_]+")  # SONGGATE_S3_* is caught as SONGGATE_S3_
NGINX_BODY_LIMIT = re.compile(r"client_max_body_size\s+(\d+)([kKmM]?)\s*;")


def read_procfile(path: Path) -> dict[str, str]:
    """``name: command`` lines; anything else (comments, blank lines) is not a process."""
    processes: dict[str, str] = {}
    for line in path.read_text().splitlines():
        found = PROCFILE_LINE.match(line.strip())
        if found:
            assert found.group(1) not in processes, f"{found.group(1)} declared twice"
            processes[found.group(1)] = found.group(2).strip()
    return processes


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd's EnvironmentFile= reads them (no quoting used)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=value: {line!r}"
        values[key.strip()] = value.strip()
    return values


def setting_names() -> set[str]:
    return {ENV_PREFIX + field.upper() for field in Settings.model_fields}


def write_test_env_file(tmp_path: Path, public_url: str) -> Path:
    """The example settings, adapted to one machine: SQLite and media in a temp data dir."""
    values = read_env_file(ENV_EXAMPLE)
    del values["SONGGATE_DATABASE_URL"]  # unset: SQLite in SONGGATE_DATA_DIR
    for key in [key for key in values if key.startswith("SONGGATE_S3_")]:
        del values[key]
    values.update(
        SONGGATE_DATA_DIR=str(tmp_path / "data"),
        SONGGATE_PUBLIC_URL=public_url,
        SONGGATE_MEDIA_BACKEND="local",
    )
    path = tmp_path / "songgate.env"
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


def process_env(env_file: Path, **extra: str) -> dict[str, str]:
    """This environment without any SONGGATE_* of its own, the venv first on PATH,
    then the settings file."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(ENV_PREFIX)}
    env["PATH"] = os.pathsep.join([str(BIN_DIR), env.get("PATH", "")])
    env.update(read_env_file(env_file))
    env.update(extra)
    return env


@dataclass
class Running:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            raise AssertionError(
                f"{self.name} did not stop on SIGTERM:\n{self.log_text()}"
            ) from None


def start_procfile_process(name: str, command: str, env: dict[str, str], cwd: Path) -> Running:
    """Run a Procfile line the way a Procfile runner does: the shell expands ${VAR:-default},
    and exec leaves songgate itself as the process that gets the signals."""
    log_path = cwd / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            ["bash", "-c", f"exec {command}"], stdout=log, stderr=subprocess.STDOUT,
            env=env, cwd=cwd,
        )
    return Running(name, popen, log_path)


def wait_ready(url: str, processes: list[Running], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.popen.poll() is not None:
                raise AssertionError(f"{process.name} exited early:\n{process.log_text()}")
        try:
            response = httpx.get(url + "/readyz", timeout=2)
            if response.status_code == 200:
                assert response.json() == {
                    "code": "success", "message": "", "data": {"status": "ready"}
                }
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"/readyz did not answer 200:\n{processes[0].log_text()}")


def wait_finished(url: str, token: str, task_id: str, timeout: float = 60) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = httpx.get(f"{url}/suno/fetch/{task_id}", headers=headers, timeout=5)
        assert response.status_code == 200, response.text
        task: dict[str, Any] = response.json()["data"]
        if task["status"] in ("SUCCESS", "FAILURE"):
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not finish in time")


def expand(command: str, env: dict[str, str]) -> list[str]:
    """The words bash makes of a Procfile command."""
    done = subprocess.run(
        ["bash", "-c", f"printf '%s\\n' {command}"], env=env, capture_output=True, text=True,
        check=True, timeout=10,
    )
    return done.stdout.splitlines()


def test_the_procfile_declares_an_api_and_a_worker() -> None:
    processes = read_procfile(PROCFILE)
    assert set(processes) == {"api", "worker"}
    env = {key: value for key, value in os.environ.items() if key != "PORT"}
    api = expand(processes["api"], env)
    assert api[:2] == ["songgate", "api"]
    assert api[api.index("--port") + 1] == "8000"
    assert expand(processes["api"], {**env, "PORT": "9123"})[api.index("--port") + 1] == "9123"
    assert expand(processes["worker"], env) == ["songgate", "worker"]


def test_procfile_processes_finish_a_lyrics_task_and_drain_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = process_env(write_test_env_file(tmp_path, url), PORT=str(port))
    assert shutil.which("songgate", path=env["PATH"]) == str(BIN_DIR / "songgate")

    created = subprocess.run(
        ["songgate", "tokens", "create", "--account", "ops", "--create-account"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("sk-"), created.stdout

    processes = [
        start_procfile_process(name, command, env, tmp_path)
        for name, command in read_procfile(PROCFILE).items()
    ]
    api, worker = sorted(processes, key=lambda process: process.name)
    try:
        wait_ready(url, [api, worker])
        submitted = httpx.post(
            url + "/suno/submit/lyrics", json={"prompt": "a song about a happy weekend"},
            headers={"Authorization": f"Bearer {token}"}, timeout=10,
        )
        assert submitted.status_code == 200, submitted.text
        task_id = submitted.json()["data"]
        task = wait_finished(url, token, task_id)
    finally:
        codes = {process.name: process.stop() for process in processes}
    assert codes == {"api": 0, "worker": 0}, (api.log_text(), worker.log_text())
    assert task["status"] == "SUCCESS", task
    assert task["data"]["text"].strip()
    # The worker process ran it; the API process runs no worker.
    assert "task left worker" in worker.log_text() and task_id in worker.log_text()
    assert "worker started" not in api.log_text()
    assert "worker stopped" in worker.log_text()
    assert (tmp_path / "data" / "songgate.db").is_file()


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    with path.open() as text:
        unit.read_file(text, source=str(path))
    return unit


@pytest.mark.parametrize("kind", sorted(UNITS))
def test_the_systemd_units_parse_and_drain_within_their_stop_timeout(kind: str) -> None:
    unit = read_unit(UNITS[kind])
    assert unit.sections() == ["Unit", "Service", "Install"]
    service = unit["Service"]
    assert service["Type"] == "simple"
    assert service["KillSignal"] == "SIGTERM"
    assert service["KillMode"] == "mixed"  # SIGTERM to songgate alone, not its renders
    assert service["Restart"] == "on-failure"
    assert service["User"] not in ("", "root")
    assert service["WorkingDirectory"].startswith("/")
    assert service["EnvironmentFile"].startswith("/")
    command = service["ExecStart"].split()
    assert command[0] == INSTALLED_SONGGATE
    assert command[1] == kind
    if kind == "api":
        assert command[command.index("--port") + 1] == "%i"
    grace = float(read_env_file(ENV_EXAMPLE)["SONGGATE_SHUTDOWN_GRACE_SECONDS"])
    stop_timeout = float(service["TimeoutStopSec"])
    assert grace < stop_timeout <= grace + 60
    assert unit["Unit"]["Description"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_the_systemd_units_verify(tmp_path: Path) -> None:
    # systemd checks that ExecStart= is executable: point it at this venv's songgate.
    for path in UNITS.values():
        text = path.read_text()
        assert INSTALLED_SONGGATE in text
        (tmp_path / path.name).write_text(
            text.replace(INSTALLED_SONGGATE, str(BIN_DIR / "songgate"))
        )
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / path.name) for path in UNITS.values())],
        capture_output=True, text=True, timeout=60, check=False,
    )
    output = done.stdout + done.stderr
    # It warns about unknown keys and bad values but still exits 0: any word on our units fails.
    complaints = [line for line in output.splitlines() if "songgate" in line]
    assert done.returncode == 0 and not complaints, output


def test_the_example_settings_load() -> None:
    settings = load_settings(read_env_file(ENV_EXAMPLE))
    assert settings.database_url.startswith("postgresql+asyncpg://")
    assert settings.media_backend == "s3"
    assert settings.public_url.startswith("https://")


def test_the_guide_and_the_example_name_only_real_settings() -> None:
    known = setting_names()
    guide = set(SETTING_NAME.findall(GUIDE.read_text()))
    example = set(SETTING_NAME.findall(ENV_EXAMPLE.read_text()))  # commented-out ones too
    assert guide and example
    assert guide - known == set(), "docs/deploy.md names settings that do not exist"
    assert example - known == set(), "songgate.env.example names settings that do not exist"
    assert example <= guide, "settings in songgate.env.example that docs/deploy.md leaves out"


def test_the_proxy_body_limit_matches_the_api_limit() -> None:
    limits = NGINX_BODY_LIMIT.findall(GUIDE.read_text())
    assert limits, "no client_max_body_size in docs/deploy.md"
    unit = {"": 1, "k": 1024, "m": 1024 * 1024}
    expected = int(read_env_file(ENV_EXAMPLE)["SONGGATE_MAX_BODY_BYTES"])
    for number, suffix in limits:
        assert int(number) * unit[suffix.lower()] == expected
    assert str(expected) in GUIDE.read_text()
