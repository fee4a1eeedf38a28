"""``songgate channels``: where tasks run (the offline engine and upstream services)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from songgate.cli.support import when, with_services
from songgate.domain.channels import (
    PROTOCOLS,
    Channel,
    ChannelError,
    parse_actions,
    parse_models,
)

if TYPE_CHECKING:
    from songgate.wiring import Services

channels_app = typer.Typer(
    no_args_is_help=True,
    help="Manage channels: the offline engine and upstream Suno-compatible services.",
)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"songgate: {message}", err=True)
    return typer.Exit(code)


@channels_app.command("add")
def channels_add(
    name: str,
    protocol: Annotated[str, typer.Option(help=f"One of {', '.join(PROTOCOLS)}.")],
    base_url: Annotated[str, typer.Option(help="The upstream's base URL.")] = "",
    key_stdin: Annotated[
        bool, typer.Option(help="Read the upstream key from standard input (kept out of "
                                "shell history).")
    ] = False,
    key_env: Annotated[
        str, typer.Option(help="Read the upstream key from this environment variable.")
    ] = "",
    priority: Annotated[int, typer.Option(help="Higher runs first.")] = 0,
    weight: Annotated[int, typer.Option(help="Share among channels of equal priority.")] = 1,
    actions: Annotated[str, typer.Option(help="MUSIC, LYRICS or both (comma-separated).")] = "",
    models: Annotated[str, typer.Option(help="Allowed mv values; empty: all.")] = "",
    max_in_flight: Annotated[int, typer.Option(help="Tasks at once; 0: no limit.")] = 0,
    media: Annotated[str, typer.Option(help="copy (serve our own copies) or link.")] = "copy",
    disabled: Annotated[bool, typer.Option(help="Add it switched off.")] = False,
    trusted: Annotated[bool, typer.Option(
        help="Copy its media from private addresses too (an upstream on your own network)."
    )] = False,
) -> None:
    """Add a channel, or replace the definition of one with this name."""
    key = ""
    if key_stdin:
        key = sys.stdin.readline().strip()
    elif key_env:
        import os

        if key_env not in os.environ:
            raise _fail(f"{key_env} is not set", 2)
        key = os.environ[key_env]
    try:
        channel = Channel(
            name=name, protocol=protocol, base_url=base_url, key=key,  # type: ignore[arg-type]
            priority=priority, weight=weight, enabled=not disabled,
            actions=parse_actions(actions), models=parse_models(models),
            max_in_flight=max_in_flight, media=media,  # type: ignore[arg-type]
            trusted=trusted,
        )
    except ChannelError as error:
        raise _fail(str(error), 2) from None

    async def add(services: Services) -> None:
        added = await services.channels.save(channel)
        typer.echo(f"{'added' if added else 'updated'} channel {channel.name} "
                   f"({channel.protocol}{', key ' + channel.masked_key if key else ''})")

    with_services(add)


def _row(channel: Channel, in_flight: int, now: float) -> dict[str, object]:
    health = channel.health
    if health.is_open(now):
        breaker = f"open until {when(health.open_until)}"
    elif health.failures:
        breaker = f"closed ({health.failures} failures in a row)"
    else:
        breaker = "closed"
    return {
        "name": channel.name, "protocol": channel.protocol, "base_url": channel.base_url,
        "key": channel.masked_key, "priority": channel.priority, "weight": channel.weight,
        "enabled": channel.enabled, "actions": sorted(a.value for a in channel.actions),
        "models": sorted(channel.models), "max_in_flight": channel.max_in_flight,
        "in_flight": in_flight, "media": channel.media, "trusted": channel.trusted,
        "breaker": breaker,
        "failures": health.failures, "open_until": health.open_until,
        "last_error": health.last_error, "last_error_at": when(health.last_error_at),
    }


@channels_app.command("list")
def channels_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON array.")] = False,
) -> None:
    """List channels with their breaker state; keys show masked."""

    async def show(services: Services) -> None:
        channels = await services.channels.with_in_flight()
        now = services.clock.now()
        rows = [_row(channel, in_flight, now) for channel, in_flight in channels]
        if as_json:
            typer.echo(orjson.dumps(rows).decode())
            return
        if not rows:
            typer.echo("no channels: tasks run on the offline engine (channel 'local')")
            return
        typer.echo("name\tprotocol\tpriority\tweight\tenabled\tin_flight\tkey\tbreaker\tlast_error")
        for row in rows:
            typer.echo("\t".join(str(row[k]) for k in (
                "name", "protocol", "priority", "weight", "enabled", "in_flight", "key",
                "breaker", "last_error")))

    with_services(show)


def _set_enabled(name: str, enabled: bool) -> None:
    async def change(services: Services) -> None:
        if not await services.channels.set_enabled(name, enabled):
            raise _fail(f"no channel named {name!r}")
        typer.echo(f"channel {name} {'enabled' if enabled else 'disabled'}")

    with_services(change)


@channels_app.command("disable")
def channels_disable(name: str) -> None:
    """Take a channel out of rotation (tasks it holds are still followed)."""
    _set_enabled(name, False)


@channels_app.command("enable")
def channels_enable(name: str) -> None:
    """Put a channel back into rotation."""
    _set_enabled(name, True)


@channels_app.command("remove")
def channels_remove(name: str) -> None:
    """Delete a channel; tasks it still holds fail at the next poll."""

    async def remove(services: Services) -> None:
        if not await services.channels.remove(name):
            raise _fail(f"no channel named {name!r}")
        typer.echo(f"channel {name} removed")

    with_services(remove)


@channels_app.command("test")
def channels_test(name: str) -> None:
    """Ask the channel something harmless with its key; exit 1 when it does not answer well."""

    async def check(services: Services) -> None:
        result = await services.channels.check(name)
        typer.echo(f"{'ok' if result.ok else 'FAILED'}  {name}: {result.detail}")
        if not result.ok:
            raise typer.Exit(1)

    with_services(check)


@channels_app.command("load")
def channels_load(path: Path) -> None:
    """Add or update the channels of a TOML file (channel tables)."""

    async def load(services: Services) -> None:
        for name, added in await services.channels.load_file(path):
            typer.echo(f"{'added' if added else 'updated'} channel {name}")

    with_services(load)
