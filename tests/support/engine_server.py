"""The environment of a real ``songgate serve`` whose MUSIC tasks render on the offline
engine, on SQLite or on PostgreSQL (``server.serving`` runs it for a test)."""

from __future__ import annotations

import os

import pytest

from tests.support.server import REPO

# A fixture's params: each test runs on SQLite, and on PostgreSQL where one is available.
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# A render takes minutes on a CPU, so most tests that render do it on SQLite alone: the same
# kinds of task (stems, covers, extensions) run on both databases through the relay tests
# (a fake upstream, tests/providers) and the store tests, and test_clip_files_e2e renders on
# both.
RENDER_BACKENDS = ["sqlite"]
LOCAL_MUSIC = "MUSIC=local"
# An engine server whose tasks' progress is written often enough to be watched over HTTP.
WATCHED_ENGINE = {"SONGGATE_ROUTES": LOCAL_MUSIC, "SONGGATE_PROGRESS_WRITE_INTERVAL_SECONDS": "0.5"}


def checkout_path() -> str:
    """PYTHONPATH for this checkout's code in every child process (server and renders),
    wherever the package is installed from."""
    return os.pathsep.join((str(REPO / "src"), str(REPO)))


def database_env(backend: pytest.FixtureRequest) -> dict[str, str]:
    """The database of ``backend.param`` (a fixture's, of BACKENDS): SQLite in the data
    folder by default, the test PostgreSQL's URL for "postgres"."""
    if backend.param == "postgres":
        return {"SONGGATE_DATABASE_URL": backend.getfixturevalue("postgres_database_url")}
    return {}


def engine_env(backend: pytest.FixtureRequest, **extra: str) -> dict[str, str]:
    """The server's environment: MUSIC on the engine, this checkout's code, the database
    of ``backend``, then ``extra``."""
    return {"SONGGATE_ROUTES": LOCAL_MUSIC, "PYTHONPATH": checkout_path(), **extra,
            **database_env(backend)}
