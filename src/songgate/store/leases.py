"""LeaseStore: work that one node of a cluster does at a time.

A node holds a named lease until ``expires_at`` and renews it while it works;
a node that dies stops renewing, and another takes the lease once it expires.
One statement decides, on SQLite and PostgreSQL alike: insert the lease, or
take it over if it has expired or is already ours.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from songgate.store.database import Database, conflict_insert
from songgate.store.tables import leases


class LeaseStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def acquire(self, name: str, holder: str, *, now: float, ttl: float) -> bool:
        """Take or renew the lease; True while ``holder`` has it."""
        statement = conflict_insert(self._db.dialect, leases).values(
            name=name, holder=holder, expires_at=now + ttl
        )
        statement = statement.on_conflict_do_update(
            index_elements=[leases.c.name],
            set_={"holder": holder, "expires_at": now + ttl},
            where=or_(leases.c.expires_at < now, leases.c.holder == holder),
        )
        async with self._db.write() as conn:
            await conn.execute(statement)
            current = (
                await conn.execute(select(leases.c.holder).where(leases.c.name == name))
            ).scalar_one()
        return bool(current == holder)

    async def release(self, name: str, holder: str) -> None:
        """Let another node take over at once, as at a clean shutdown."""
        async with self._db.write() as conn:
            await conn.execute(
                leases.delete().where(leases.c.name == name, leases.c.holder == holder)
            )

    async def holder(self, name: str, *, now: float) -> str | None:
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(leases.c.holder).where(leases.c.name == name, leases.c.expires_at >= now)
                )
            ).first()
        return row[0] if row else None
