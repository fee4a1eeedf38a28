"""PersonaStore: an account's personas (and the public ones others may sing with)."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
from sqlalchemy import or_, select

from songgate.domain.personas import Persona, PersonaVoice
from songgate.store.database import Database
from songgate.store.tables import personas


def _row_to_persona(row: Any) -> Persona:
    return Persona(
        id=row.id, account_id=row.account_id, name=row.name, description=row.description,
        root_clip_id=row.root_clip_id, clips=tuple(orjson.loads(row.clips)),
        is_public=bool(row.is_public), created_at=float(row.created_at),
        voice=PersonaVoice(**orjson.loads(row.voice)),
    )


class PersonaStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def insert(self, persona: Persona) -> None:
        async with self._db.write() as conn:
            await conn.execute(personas.insert().values(
                id=persona.id, account_id=persona.account_id, name=persona.name,
                description=persona.description, root_clip_id=persona.root_clip_id,
                clips=orjson.dumps(list(persona.clips)).decode(), is_public=persona.is_public,
                created_at=persona.created_at,
                voice=orjson.dumps(dataclasses.asdict(persona.voice)).decode(),
            ))

    async def of_account(self, account_id: str, limit: int) -> list[Persona]:
        """The account's own personas, newest first, at most ``limit``."""
        query = (select(personas).where(personas.c.account_id == account_id)
                 .order_by(personas.c.created_at.desc(), personas.c.id.desc()).limit(limit))
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [_row_to_persona(row) for row in rows]

    async def usable(self, account_id: str, persona_id: str) -> Persona | None:
        """The persona if it is the account's own or public; None otherwise."""
        query = select(personas).where(
            personas.c.id == persona_id,
            or_(personas.c.account_id == account_id, personas.c.is_public.is_(True)),
        )
        async with self._db.read() as conn:
            row = (await conn.execute(query)).first()
        return _row_to_persona(row) if row else None
