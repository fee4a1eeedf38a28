"""Managing channels: from a TOML file, from the command line, and checking one works."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from songgate.clock import Clock
from songgate.domain.channels import Channel, ChannelError, channel_from_mapping
from songgate.errors import ConfigError, InvalidRequest
from songgate.providers.relay.adapters import HttpLimits, build_adapter
from songgate.providers.relay.protocol import UpstreamError
from songgate.store.channels import ChannelStore

MAX_FILE_BYTES = 1024 * 1024


def read_channels_file(path: Path, environ: Mapping[str, str] | None = None) -> list[Channel]:
    """Every ``[[channel]]`` of a TOML file; :class:`ConfigError` says what is wrong."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    tables = data.get("channel", [])
    if not isinstance(tables, list) or set(data) - {"channel"}:
        raise ConfigError(f"{path}: expected only [[channel]] tables")
    env = os.environ if environ is None else environ
    channels = []
    try:
        for table in tables:
            channels.append(channel_from_mapping(table, env))
    except ChannelError as error:
        raise ConfigError(f"{path}: {error}") from None
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: a channel name appears twice")
    return channels


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    detail: str


class ChannelAdmin:
    def __init__(self, store: ChannelStore, clock: Clock, limits: HttpLimits) -> None:
        self._store = store
        self._clock = clock
        self._limits = limits

    async def load_file(self, path: Path) -> list[tuple[str, bool]]:
        """Add or update the file's channels; others stay. Returns (name, added)."""
        outcome = []
        for channel in read_channels_file(path):
            outcome.append((channel.name, await self._store.save(channel, now=self._clock.now())))
        return outcome

    async def save(self, channel: Channel) -> bool:
        return await self._store.save(channel, now=self._clock.now())

    async def with_in_flight(self) -> list[tuple[Channel, int]]:
        """Every configured channel with the number of tasks it holds now."""
        channels = await self._store.all()
        in_flight = await self._store.in_flight()
        return [(channel, in_flight.get(channel.name, 0)) for channel in channels]

    async def set_enabled(self, name: str, enabled: bool) -> bool:
        """Put a channel in or out of rotation; False when no channel has this name."""
        return await self._store.set_enabled(name, enabled, now=self._clock.now())

    async def remove(self, name: str) -> bool:
        """Delete a channel; False when no channel has this name."""
        return await self._store.remove(name)

    async def check(self, name: str) -> CheckResult:
        """Ask the channel something harmless with its key."""
        channel = await self._store.get(name)
        if channel is None:
            raise InvalidRequest(f"no channel named {name!r}")
        if not channel.is_relay:
            return CheckResult(True, "the offline engine runs in this installation")
        adapter = build_adapter(channel, self._limits)
        try:
            return CheckResult(True, await adapter.check())
        except UpstreamError as error:
            return CheckResult(False, error.message)
        finally:
            await adapter.close()
