"""The channels a process routes to, re-read from the database every few seconds.

With no channel configured, the offline engine is the one channel, so a fresh
install works with no set-up.
"""

from __future__ import annotations

import asyncio

from songgate.clock import Clock
from songgate.domain.channels import LOCAL_CHANNEL, Channel, any_channel_for
from songgate.domain.status import Action
from songgate.errors import NoAvailableChannel
from songgate.store.channels import ChannelStore


class ChannelCatalog:
    def __init__(self, store: ChannelStore, clock: Clock, *, ttl: float = 2.0) -> None:
        self.store = store
        self._clock = clock
        self._ttl = ttl
        self._channels: list[Channel] = []
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    async def channels(self) -> list[Channel]:
        now = self._clock.now()
        if now - self._loaded_at >= self._ttl:
            async with self._lock:
                if now - self._loaded_at >= self._ttl:
                    self._channels = await self.store.all() or [LOCAL_CHANNEL]
                    self._loaded_at = now
        return self._channels

    async def get(self, name: str) -> Channel | None:
        return next((c for c in await self.channels() if c.name == name), None)

    def forget(self) -> None:
        """Re-read on next use (after this process changed a channel)."""
        self._loaded_at = float("-inf")

    async def require(self, action: Action, mv: str) -> None:
        """Refuse a submit no channel could ever run (503 ``no_available_channel``)."""
        if not any_channel_for(await self.channels(), action, mv):
            shown = f" with mv {mv}" if mv and action is Action.MUSIC else ""
            raise NoAvailableChannel(f"no enabled channel accepts {action.value} tasks{shown}")
