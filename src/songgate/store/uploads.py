"""UploadStore: file uploads begun, waiting for their bytes, and the clip each became."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select, update

from songgate.domain.uploads import RECEIVING, UPLOADED, WAITING, PendingUpload
from songgate.store.database import Database
from songgate.store.tables import uploads


def _row_to_upload(row: Any) -> PendingUpload:
    return PendingUpload(
        id=row.id, account_id=row.account_id, extension=row.extension, state=row.state,
        task_id=row.task_id, clip_id=row.clip_id, created_at=float(row.created_at),
        expires_at=float(row.expires_at),
    )


class UploadStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def insert(self, upload: PendingUpload) -> None:
        async with self._db.write() as conn:
            await conn.execute(uploads.insert().values(**dataclasses.asdict(upload)))

    async def get(self, upload_id: str) -> PendingUpload | None:
        async with self._db.read() as conn:
            row = (await conn.execute(select(uploads).where(uploads.c.id == upload_id))).first()
        return _row_to_upload(row) if row else None

    async def claim(self, upload_id: str, *, now: float) -> PendingUpload | None:
        """The upload, now receiving its bytes, if it was waiting and has not expired;
        None otherwise (unknown, expired, done, or another request is sending them).
        Its ``clip_id`` is the clip it will become, chosen when it began."""
        async with self._db.write() as conn:
            result = await conn.execute(
                update(uploads).where(uploads.c.id == upload_id, uploads.c.state == WAITING,
                                      uploads.c.expires_at > now)
                .values(state=RECEIVING))
            if not result.rowcount:
                return None
            row = (await conn.execute(select(uploads).where(uploads.c.id == upload_id))).one()
        return _row_to_upload(row)

    async def release(self, upload_id: str) -> None:
        """Waiting again: the bytes sent were refused, the client may send others."""
        await self._move(upload_id, RECEIVING, state=WAITING)

    async def mark_uploaded(self, upload_id: str, *, task_id: str, clip_id: str) -> None:
        """Done: its clip was committed (from any state: a crash may have left it receiving)."""
        async with self._db.write() as conn:
            await conn.execute(update(uploads).where(uploads.c.id == upload_id,
                                                     uploads.c.state != UPLOADED)
                               .values(state=UPLOADED, task_id=task_id, clip_id=clip_id))

    async def _move(self, upload_id: str, current: str, **values: Any) -> None:
        async with self._db.write() as conn:
            await conn.execute(update(uploads).where(uploads.c.id == upload_id,
                                                     uploads.c.state == current).values(**values))
