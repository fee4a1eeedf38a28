"""songgate's operator commands (``songgate accounts``, ``songgate tokens``) run on a test
server's data folder, as an operator runs them beside the server."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.support.server import songgate_env


def songgate_cli(data_dir: Path, env: dict[str, str], *args: str) -> str:
    """What ``songgate ARGS`` prints, run on ``data_dir`` with the server's ``env``."""
    return subprocess.run([sys.executable, "-m", "songgate", *args], capture_output=True,
                          text=True, check=True, timeout=60,
                          env=songgate_env(data_dir, **env)).stdout


def other_token(data_dir: Path, env: dict[str, str]) -> str:
    """A token of a second account, "other" (made for it)."""
    return songgate_cli(data_dir, env, "tokens", "create", "--account", "other",
                        "--create-account").strip()


def balance(data_dir: Path, env: dict[str, str], account: str = "default") -> int:
    """The account's credits as ``songgate accounts show`` prints them."""
    shown = songgate_cli(data_dir, env, "accounts", "show", account)
    found = re.search(r"balance (-?\d+)", shown)
    assert found, shown
    return int(found.group(1))
