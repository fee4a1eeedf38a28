"""songgate's client commands (``songgate upload``, ``songgate submit`` ...) run against a
test server by its URL and token, from no data folder, as a user's terminal runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.server import REPO, Process, songgate_env


def run(server: Process, *args: str, token: str | None = None, stdin: str = "",
        url: str | None = None) -> subprocess.CompletedProcess[str]:
    """``songgate ARGS`` against ``server`` (its first token unless ``token``); it may fail."""
    env = songgate_env(Path("/nonexistent"))
    env["SONGGATE_URL"] = url or server.url
    env["SONGGATE_TOKEN"] = server.token if token is None else token
    return subprocess.run([sys.executable, "-m", "songgate", *args], input=stdin, text=True,
                          capture_output=True, env=env, cwd=REPO, timeout=120, check=False)
