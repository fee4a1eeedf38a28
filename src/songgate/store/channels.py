"""ChannelStore: the channels operators configure, and their circuit breakers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from songgate.domain.channels import (
    Channel,
    Health,
    after_failure,
    parse_actions,
    parse_models,
)
from songgate.store.database import Database
from songgate.store.tables import channels, relay_jobs

POLLING = "polling"
SUBMITTING = "submitting"


def _row_to_channel(row: Any) -> Channel:
    return Channel(
        name=row.name, protocol=row.protocol, base_url=row.base_url, key=row.api_key,
        priority=row.priority, weight=row.weight, enabled=row.enabled,
        actions=parse_actions(row.actions), models=parse_models(row.models),
        max_in_flight=row.max_in_flight, media=row.media, trusted=bool(row.trusted),
        health=Health(failures=row.failures, open_until=row.open_until,
                      last_error=row.last_error, last_error_at=row.last_error_at),
    )


def _definition(channel: Channel) -> dict[str, Any]:
    return {
        "protocol": channel.protocol, "base_url": channel.base_url, "api_key": channel.key,
        "priority": channel.priority, "weight": channel.weight, "enabled": channel.enabled,
        "actions": ",".join(sorted(a.value for a in channel.actions)),
        "models": ",".join(sorted(channel.models)),
        "max_in_flight": channel.max_in_flight, "media": channel.media,
        "trusted": channel.trusted,
    }


def _health(health: Health) -> dict[str, Any]:
    return {"failures": health.failures, "open_until": health.open_until,
            "last_error": health.last_error, "last_error_at": health.last_error_at}


class ChannelStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def all(self) -> list[Channel]:
        async with self._db.read() as conn:
            rows = await conn.execute(select(channels).order_by(channels.c.name))
            return [_row_to_channel(row) for row in rows]

    async def get(self, name: str) -> Channel | None:
        async with self._db.read() as conn:
            row = (await conn.execute(select(channels).where(channels.c.name == name))).first()
        return _row_to_channel(row) if row else None

    async def save(self, channel: Channel, *, now: float) -> bool:
        """Add the channel or replace its definition (its breaker state stays); True if new."""
        async with self._db.write() as conn:
            exists = (
                await conn.execute(select(channels.c.name).where(channels.c.name == channel.name))
            ).first()
            if exists:
                await conn.execute(
                    update(channels).where(channels.c.name == channel.name)
                    .values(**_definition(channel), updated_at=now)
                )
                return False
            await conn.execute(channels.insert().values(
                name=channel.name, **_definition(channel), **_health(channel.health),
                updated_at=now,
            ))
            return True

    async def set_enabled(self, name: str, enabled: bool, *, now: float) -> bool:
        async with self._db.write() as conn:
            result = await conn.execute(
                update(channels).where(channels.c.name == name)
                .values(enabled=enabled, updated_at=now)
            )
        return result.rowcount == 1

    async def remove(self, name: str) -> bool:
        async with self._db.write() as conn:
            result = await conn.execute(channels.delete().where(channels.c.name == name))
        return result.rowcount == 1

    async def record_failure(
        self, name: str, reason: str, *, now: float, threshold: int, cooldown: float,
        retry_after: float = 0.0,
    ) -> Health | None:
        return await self._change_health(name, lambda health: after_failure(
            health, reason, now=now, threshold=threshold, cooldown=cooldown,
            retry_after=retry_after,
        ))

    async def record_success(self, name: str) -> None:
        """Close the breaker; writes only when there was something to forget."""
        async with self._db.write() as conn:
            await conn.execute(
                update(channels)
                .where(channels.c.name == name,
                       (channels.c.failures > 0) | (channels.c.open_until > 0))
                .values(failures=0, open_until=0.0)
            )

    async def in_flight(self) -> dict[str, int]:
        """Relayed tasks each channel holds now (sent or being sent)."""
        async with self._db.read() as conn:
            rows = await conn.execute(
                select(relay_jobs.c.channel, func.count())
                .where(relay_jobs.c.state.in_([POLLING, SUBMITTING]))
                .group_by(relay_jobs.c.channel)
            )
            return {row[0]: row[1] for row in rows}

    async def _change_health(self, name: str, change: Callable[[Health], Health]) -> Health | None:
        async with self._db.write() as conn:
            row = (
                await conn.execute(
                    select(channels).where(channels.c.name == name).with_for_update()
                )
            ).first()
            if row is None:
                return None
            health = change(_row_to_channel(row).health)
            await conn.execute(
                update(channels).where(channels.c.name == name).values(**_health(health))
            )
        return health
