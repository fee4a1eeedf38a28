"""What every ``songgate`` subcommand shares: settings, services, and how times print."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

import typer

from songgate.config import Settings, load_settings
from songgate.errors import SonggateError
from songgate.logs import configure_logging

if TYPE_CHECKING:
    from songgate.wiring import Services

T = TypeVar("T")


def cli_settings(**overrides: object) -> Settings:
    settings = load_settings(None, **{k: v for k, v in overrides.items() if v is not None})
    configure_logging(settings.log_level, as_json=settings.log_json)
    return settings


def with_services(action: Callable[[Services], Awaitable[T]]) -> T:
    from songgate.wiring import Services  # only commands that use the database load it

    async def go() -> T:
        services = Services.build(cli_settings())
        try:
            await services.migrate()
            return await action(services)
        finally:
            await services.close()

    try:
        return asyncio.run(go())
    except SonggateError as error:
        typer.echo(f"songgate: {error.message}", err=True)
        raise typer.Exit(2) from None



def when(timestamp: float | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")
