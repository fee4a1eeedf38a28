"""What a process loads at start: a client command does not load the service (database,
engine, lyrics), and an API process does not load the lyrics writers' word lists.

Each check runs a fresh interpreter, as a user's command would, and reads ``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SERVICE = ("songgate.wiring", "songgate.store.database", "sqlalchemy", "fastapi")
LYRICS = ("jieba", "lemminflect", "songgate.lyrics.english", "songgate.lyrics.chinese")


def loaded_after(statement: str, names: tuple[str, ...]) -> list[str]:
    probe = (f"{statement}\nimport sys\n"
             f"print(','.join(n for n in {names!r} if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120)
    return [name for name in out.stdout.strip().split(",") if name]


def test_the_command_line_loads_no_service_until_a_command_needs_it() -> None:
    assert loaded_after("import songgate.cli.main", SERVICE + LYRICS) == []


def test_an_api_process_loads_no_lyrics_writer() -> None:
    assert loaded_after("import songgate.runtime", LYRICS) == []


@pytest.mark.parametrize("language,description", [("english", "a train"), ("chinese", "海边")])
def test_writing_a_song_loads_its_languages_writer(language: str, description: str) -> None:
    loaded = loaded_after(
        f"from songgate.lyrics.writer import write_song\nwrite_song({description!r}, 0)",
        (f"songgate.lyrics.{language}",))
    assert loaded == [f"songgate.lyrics.{language}"]
