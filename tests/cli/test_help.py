"""The command line's help names every option in full on an 80-column terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from songgate.cli.main import app

WHOLE_OPTION_NAMES = {
    ("tokens", "create"): ["--account", "--expires-in-days", "--create-account",
                           "--no-create-account"],
    ("channels", "add"): ["--protocol", "--base-url", "--key-stdin", "--no-key-stdin",
                          "--max-in-flight"],
    ("submit", "music"): ["--description", "--instrumental", "--no-instrumental", "--download"],
}


@pytest.mark.parametrize("command", sorted(WHOLE_OPTION_NAMES), ids=" ".join)
def test_help_shows_whole_option_names_at_80_columns(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    words = result.output.split()
    for name in WHOLE_OPTION_NAMES[command]:
        assert name in words, f"{name} is not shown whole:\n{result.output}"
