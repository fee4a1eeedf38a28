"""What relaying needs in a process that runs tasks: channels, jobs, adapters, settings."""

from __future__ import annotations

from dataclasses import dataclass

from songgate.clock import Clock
from songgate.providers.relay.adapters import AdapterPool
from songgate.providers.relay.catalog import ChannelCatalog
from songgate.store.channels import ChannelStore
from songgate.store.relay import RelayStore


@dataclass(frozen=True, slots=True)
class RelaySettings:
    """How upstream channels are followed, and when a failing one is left alone."""

    poll_interval_seconds: float  # one status round per channel this often
    batch_size: int  # upstream ids asked for in one status request, at most
    missing_polls: int  # rounds an id may be left out of the answer before its task fails
    breaker_failures: int  # failures in a row that open a channel's breaker
    breaker_cooldown_seconds: float  # an open breaker lets a task through again after this
    backoff_max_seconds: float  # the longest wait before asking an erring channel again


@dataclass
class RelayContext:
    catalog: ChannelCatalog
    jobs: RelayStore
    adapters: AdapterPool
    settings: RelaySettings
    clock: Clock

    @property
    def channels(self) -> ChannelStore:
        return self.catalog.store

    async def record_failure(self, channel: str, reason: str, retry_after: float = 0.0) -> None:
        settings = self.settings
        await self.channels.record_failure(
            channel, reason, now=self.clock.now(), threshold=settings.breaker_failures,
            cooldown=settings.breaker_cooldown_seconds, retry_after=retry_after,
        )
        self.catalog.forget()

    async def close(self) -> None:
        await self.adapters.close()
