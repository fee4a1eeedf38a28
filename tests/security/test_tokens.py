"""Tokens are kept only as hashes and never show up where they could be read back.

A token is created and used through the real app on SQLite and PostgreSQL (good
requests, refused ones, after revocation); then no log line, answer, metric, table
row or (on SQLite) database file holds it or any long piece of it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text

from songgate.api.app import create_app
from songgate.clock import ManualClock
from songgate.config import Settings
from songgate.domain.accounts import Account
from songgate.logs import JsonFormatter
from songgate.wiring import Services, stores_of
from tests.security.helpers import http

PIECE = 16  # no run of this many characters of a token may appear anywhere
CLIENT_LOGGERS = {"httpx", "httpcore"}  # the test's own client logs what it sends


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.partition(".")[0] not in CLIENT_LOGGERS:
            self.lines.append(self.format(record))


@pytest.fixture
def logged() -> Iterator[Recorder]:
    recorder = Recorder()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    yield recorder
    root.removeHandler(recorder)
    root.setLevel(previous)


def pieces(secret: str) -> set[str]:
    return {secret[i:i + PIECE] for i in range(len(secret) - PIECE + 1)}


async def every_row(services: Services) -> str:
    """Every value of every table, as text."""
    async with stores_of(services).database.read() as conn:
        names = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
        assert "tokens" in names and "tasks" in names
        found = []
        for name in names:
            rows = await conn.execute(text(f'SELECT * FROM "{name}"'))
            found += [repr(tuple(row)) for row in rows]
    return "\n".join(found)


async def use_token(app_client: httpx.AsyncClient, secret: str) -> list[httpx.Response]:
    """The ordinary uses of a token and the ways a request with it can go wrong."""
    answers = [
        await app_client.post("/suno/submit/lyrics", json={"prompt": "rain"}),
        await app_client.post("/suno/submit/music", json={"prompt": "la", "mv": "nope"}),
        await app_client.post("/suno/fetch", json={"ids": ["x"]}),
        await app_client.post("/suno/fetch", content=b"{broken"),
        await app_client.get("/songgate/tasks"),
        await app_client.get("/songgate/tasks", params={"before": secret}),
        await app_client.get("/suno/fetch/missing"),
        await app_client.get("/songgate/tasks", headers={"Authorization": secret}),
        await app_client.get("/songgate/tasks", headers={"Authorization": f"Token {secret}"}),
        await app_client.get("/songgate/tasks",
                             headers={"Authorization": f"Bearer {secret[:-2]}!!"}),
        await app_client.get("/metrics"),
    ]
    assert answers[0].status_code == 200 and answers[4].status_code == 200
    return answers


async def test_a_token_is_stored_hashed_and_never_echoed(
    services: Services, account: Account, clock: ManualClock, settings: Settings,
    logged: Recorder,
) -> None:
    record, secret = await stores_of(services).accounts.create_token(account, name="t",
                                                                     now=clock.now())
    app = create_app(services)
    async with http(app, secret) as client:
        answers = await use_token(client, secret)
        assert await stores_of(services).accounts.revoke_token(record.id, now=clock.now())
        revoked = await client.get("/songgate/tasks")
        assert revoked.json()["code"] == "token_revoked"
        answers.append(revoked)

    rows = await every_row(services)
    assert hashlib.sha256(secret.encode()).hexdigest() in rows  # looked up by this
    assert record.hint == secret[:10]  # the start, to tell tokens apart in listings
    places = {"database rows": rows, "logs": "\n".join(logged.lines)}
    assert any('"route"' in line for line in logged.lines)  # requests were logged
    for n, answer in enumerate(answers):
        places[f"answer {n}"] = repr(answer.headers.raw) + answer.text
    if settings.resolved_database_url.startswith("sqlite"):
        files = sorted(Path(settings.data_dir).glob("songgate.db*"))
        assert files
        for path in files:
            places[path.name] = path.read_bytes().decode("latin-1")
    for where, content in places.items():
        assert not any(piece in content for piece in pieces(secret)), where
