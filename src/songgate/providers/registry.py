"""Which provider runs which task, chosen by configuration per action and per model version."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import replace

from songgate.domain.status import Action, action_key, parse_action_key
from songgate.errors import ConfigError, NoAvailableChannel
from songgate.providers.base import Provider, ProviderContext, ProviderFactory

CHANNELS = "channels"  # the provider that routes across configured channels
LOCAL = "local"  # the offline engine
TEST_MODE = "test-mode"  # placeholder songs for accounts in test mode (domain/test_mode.py)

# Providers shipped with songgate, by name; operators add their own as "name=module:attr".
BUILTIN_PROVIDERS: dict[str, str] = {
    LOCAL: "songgate.providers.local:local",
    CHANNELS: "songgate.providers.channels:channels",
    TEST_MODE: "songgate.providers.test_mode:test_mode",
}


class Router:
    """Maps (action, mv) to a provider name: ``MUSIC/chirp-auk`` first, then ``MUSIC``."""

    def __init__(self, routes: Mapping[str, str], provider_names: set[str]) -> None:
        self._routes: dict[str, str] = {}
        for key, name in routes.items():
            try:
                canonical = parse_action_key(key, "route")
            except ValueError as error:
                raise ConfigError(str(error)) from None
            if name not in provider_names:
                raise ConfigError(f"route {key!r} names unknown provider {name!r}")
            self._routes[canonical] = name

    def route(self, action: Action, mv: str = "") -> str:
        name = self._routes.get(action_key(action, mv)) or self._routes.get(action_key(action))
        if name is None:
            raise NoAvailableChannel(
                f"no provider is configured for {action.value}"
                + (f" with mv {mv}" if mv else "")
            )
        return name


def provider_paths(configured: Mapping[str, str]) -> dict[str, str]:
    return {**BUILTIN_PROVIDERS, **configured}


def load_factory(path: str) -> ProviderFactory:
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"provider {path!r}: expected module:attribute")
    try:
        module = importlib.import_module(module_name)
        factory: ProviderFactory = getattr(module, attribute)
    except (ImportError, AttributeError) as error:
        raise ConfigError(f"provider {path!r} cannot be loaded: {error}") from None
    return factory


class ProviderRegistry:
    """Provider instances by name, built on first use in the process that runs tasks."""

    def __init__(self, paths: Mapping[str, str], context: ProviderContext) -> None:
        self._paths = dict(paths)
        self._context = replace(context, providers=self.get)
        self._instances: dict[str, Provider] = {}

    @property
    def names(self) -> list[str]:
        return list(self._paths)

    def get(self, name: str) -> Provider:
        if name not in self._instances:
            if name not in self._paths:
                raise ConfigError(f"no provider named {name!r} is configured")
            self._instances[name] = load_factory(self._paths[name])(self._context)
        return self._instances[name]

    async def close(self) -> None:
        for provider in self._instances.values():
            await provider.close()
        self._instances.clear()
