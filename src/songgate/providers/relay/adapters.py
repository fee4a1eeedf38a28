"""One protocol adapter per channel, rebuilt when the channel's address or key changes."""

from __future__ import annotations

from dataclasses import dataclass

from songgate.domain.channels import Channel
from songgate.providers.relay.http import JsonClient
from songgate.providers.relay.protocol import UpstreamAdapter
from songgate.providers.relay.suno_task import SunoTaskAdapter
from songgate.providers.relay.sunoapi_v1 import SunoApiV1Adapter


@dataclass(frozen=True, slots=True)
class HttpLimits:
    timeout: float
    max_bytes: int
    batch_size: int


def build_adapter(channel: Channel, limits: HttpLimits) -> UpstreamAdapter:
    client = JsonClient(channel.base_url, channel.key, timeout=limits.timeout,
                        max_bytes=limits.max_bytes, name=f"channel {channel.name}")
    if channel.protocol == "suno-task":
        return SunoTaskAdapter(client, batch_size=limits.batch_size)
    if channel.protocol == "sunoapi-v1":
        return SunoApiV1Adapter(client)
    raise ValueError(f"channel {channel.name}: {channel.protocol} is not relayed")


class AdapterPool:
    def __init__(self, limits: HttpLimits) -> None:
        self._limits = limits
        self._adapters: dict[str, tuple[tuple[str, str, str], UpstreamAdapter]] = {}

    async def get(self, channel: Channel) -> UpstreamAdapter:
        identity = (channel.protocol, channel.base_url, channel.key)
        held = self._adapters.get(channel.name)
        if held is not None and held[0] == identity:
            return held[1]
        if held is not None:
            await held[1].close()
        adapter = build_adapter(channel, self._limits)
        self._adapters[channel.name] = (identity, adapter)
        return adapter

    async def close(self) -> None:
        for _, adapter in self._adapters.values():
            await adapter.close()
        self._adapters.clear()
