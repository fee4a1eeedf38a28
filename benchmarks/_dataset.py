"""A SQLite database full of realistic tasks, written in bulk.

Tasks go through the real domain rules (submitted, claimed, finished) and
the store's own column mapping, so their rendered TaskDtos are exactly what
the service would have stored; only the writes are batched, many tasks per
transaction, because one transaction per task is far too slow for 100k.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from songgate.config import Settings
from songgate.domain import task as task_rules
from songgate.domain.accounts import Account
from songgate.domain.ids import time_ordered_id
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.domain.task import Task
from songgate.store.tables import clips, tasks
from songgate.store.tasks import _all_columns
from songgate.wiring import Services, stores_of

ACCOUNT = "bench"
BATCH = 2_000
PROVIDER = "scripted"
MEDIA_URL = "http://127.0.0.1:8000/media"
LYRICS = "[Verse]\nCity lights are calling out my name\n[Chorus]\nWe run, we run, we run\n"
MUSIC_SPEC = parse_music(
    {"prompt": LYRICS * 2, "tags": "synthwave, upbeat, female vocals", "title": "Night Drive",
     "mv": "chirp-v4"}
)
LYRICS_SPEC = parse_lyrics({"prompt": "a song about a night drive through the city"})


@dataclass(frozen=True, slots=True)
class Dataset:
    account: str
    token: str
    task_ids: list[str]


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        providers={PROVIDER: "tests.support.providers:scripted"},
        routes={"MUSIC": PROVIDER, "LYRICS": PROVIDER},
        sqlite_synchronous="OFF",  # population only; the server runs with the default
    )


def _music_result(task: Task) -> MusicResult:
    return MusicResult(
        tuple(
            ClipOutput(
                id=clip_id,
                audio_url=f"{MEDIA_URL}/{clip_id}.mp3",
                image_url=f"{MEDIA_URL}/image_{clip_id}.jpeg",
                image_large_url=f"{MEDIA_URL}/image_large_{clip_id}.jpeg",
                video_url=f"{MEDIA_URL}/{clip_id}.mp4",
                duration=128.92,
                title="Night Drive",
            )
            for clip_id in task.clip_ids
        )
    )


def make_task(index: int, account: Account, submitted_at: float) -> Task:
    """Task number ``index``: per 20, 2 lyrics, 1 failed, 1 running, 16 finished songs."""
    common: dict[str, Any] = {
        "task_id": time_ordered_id(submitted_at), "account_id": account.id, "provider": PROVIDER,
        "now": submitted_at, "max_attempts": 3, "timeout_seconds": 1800.0,
    }
    kind = index % 20
    if kind < 2:
        task = task_rules.new_lyrics_task(
            lyrics_id=str(uuid.uuid4()), spec=LYRICS_SPEC, **common
        )
    else:
        task = task_rules.new_music_task(
            owner=account.owner, spec=MUSIC_SPEC,
            clip_ids=[str(uuid.uuid4()) for _ in range(task_rules.MUSIC_CLIPS_PER_TASK)],
            **common,
        )
    task = task_rules.claimed(
        task, lease_token=uuid.uuid4().hex, now=submitted_at + 1, lease_seconds=30
    )
    finished_at = submitted_at + 75
    if kind < 2:
        lyrics = LyricsResult(title="Night Drive", text=LYRICS)
        return task_rules.succeeded(task, lyrics, now=finished_at)
    if kind == 2:
        return task_rules.failed(task, "the prompt was refused", now=finished_at)
    if kind == 3:
        return task_rules.progressed(task, 0.4)
    return task_rules.succeeded(task, _music_result(task), now=finished_at)


def _batches(count: int, account: Account, now: float) -> Iterator[list[Task]]:
    spacing = 30 * 86400 / max(count, 1)  # spread over the last 30 days
    for first in range(0, count, BATCH):
        yield [
            make_task(index, account, now - (count - index) * spacing)
            for index in range(first, min(first + BATCH, count))
        ]


async def _insert(services: Services, batch: list[Task]) -> None:
    clip_rows = [
        {"id": clip_id, "task_id": task.id, "account_id": task.account_id}
        for task in batch
        for clip_id in task.clip_ids
    ]
    async with stores_of(services).database.write() as conn:
        await conn.execute(tasks.insert(), [_all_columns(task) for task in batch])
        if clip_rows:
            await conn.execute(clips.insert(), clip_rows)


async def populate(data_dir: Path, count: int) -> Dataset:
    """A migrated database in ``data_dir`` with one account, a token and ``count`` tasks."""
    services = Services.build(_settings(data_dir))
    try:
        await services.migrate()
        now = time.time()
        account = await stores_of(services).accounts.create_account(ACCOUNT, now=now)
        _, token = await stores_of(services).accounts.create_token(account, name="bench", now=now)
        task_ids: list[str] = []
        for batch in _batches(count, account, now):
            await _insert(services, batch)
            task_ids.extend(task.id for task in batch)
    finally:
        await services.close()
    _checkpoint(data_dir / "songgate.db")
    return Dataset(account=ACCOUNT, token=token, task_ids=task_ids)


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the database so the server starts from a clean file."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
