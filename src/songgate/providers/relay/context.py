"""What relaying needs in a process that runs tasks: channels, jobs, adapters, limits."""

from __future__ import annotations

from dataclasses import dataclass

from songgate.clock import Clock
from songgate.config import Settings
from songgate.providers.relay.adapters import AdapterPool, HttpLimits
from songgate.providers.relay.catalog import ChannelCatalog
from songgate.store.channels import ChannelStore
from songgate.store.relay import RelayStore


@dataclass
class RelayContext:
    catalog: ChannelCatalog
    jobs: RelayStore
    adapters: AdapterPool
    settings: Settings
    clock: Clock

    @property
    def channels(self) -> ChannelStore:
        return self.catalog.store

    async def record_failure(self, channel: str, reason: str, retry_after: float = 0.0) -> None:
        settings = self.settings
        await self.channels.record_failure(
            channel, reason, now=self.clock.now(), threshold=settings.relay_breaker_failures,
            cooldown=settings.relay_breaker_cooldown_seconds, retry_after=retry_after,
        )
        self.catalog.forget()

    async def close(self) -> None:
        await self.adapters.close()


def http_limits(settings: Settings) -> HttpLimits:
    return HttpLimits(timeout=settings.relay_timeout_seconds,
                      max_bytes=settings.relay_max_response_bytes,
                      batch_size=settings.relay_batch_size)
