"""The ``songgate`` command: serve | api | worker | migrate | accounts | tokens | channels |
submit | fetch | wait."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated, TypeVar

import typer

from songgate.cli.channels import channels_app
from songgate.cli.client import fetch as fetch_tasks
from songgate.cli.client import submit_app
from songgate.cli.client import wait as wait_tasks
from songgate.cli.support import cli_settings, when, with_services
from songgate.config import Settings
from songgate.errors import SonggateError
from songgate.runtime import run
from songgate.service.credits import CreditAdmin
from songgate.store.hooks import HookStore
from songgate.store.limits import LimitStore
from songgate.wiring import Services

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help=__doc__, pretty_exceptions_enable=False,
    # click's plain help (inherited by every sub-app): rich's tables cut option names short
    rich_markup_mode=None,
)
accounts_app = typer.Typer(no_args_is_help=True, help="Manage accounts.")
tokens_app = typer.Typer(no_args_is_help=True, help="Manage API tokens.")
app.add_typer(accounts_app, name="accounts")
app.add_typer(tokens_app, name="tokens")
app.add_typer(channels_app, name="channels")
app.add_typer(submit_app, name="submit")
app.command("fetch")(fetch_tasks)
app.command("wait")(wait_tasks)

T = TypeVar("T")

HostOption = Annotated[str | None, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on.")]


def _run_process(settings: Settings, **kinds: bool) -> None:
    raise typer.Exit(asyncio.run(run(settings, **kinds)))


@app.command()
def serve(host: HostOption = None, port: PortOption = None) -> None:
    """API and workers in one process, on the embedded defaults."""
    _run_process(cli_settings(host=host, port=port), api=True, worker=True, bootstrap=True)


@app.command()
def api(host: HostOption = None, port: PortOption = None) -> None:
    """The HTTP API only; run as many as you like against one database."""
    _run_process(cli_settings(host=host, port=port), api=True, worker=False)


@app.command()
def worker(
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this worker's Prometheus metrics on this port.")
    ] = None,
) -> None:
    """A worker only: claims tasks from the database and runs them."""
    settings = cli_settings()
    raise typer.Exit(asyncio.run(run(settings, api=False, worker=True, metrics_port=metrics_port)))


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""

    async def noop(_: Services) -> None:
        return None

    with_services(noop)
    typer.echo("database is up to date")


@app.command()
def doctor() -> None:
    """Which engine capabilities this machine has, and which fallbacks are in use."""
    from songgate.engine.capabilities import capabilities

    for capability in capabilities():
        mark = "ok  " if capability.available else "MISS"
        typer.echo(f"{mark}  {capability.name:<16} {capability.detail}")


@accounts_app.command("create")
def accounts_create(name: str) -> None:
    """Create an account."""

    async def create(services: Services) -> None:
        account = await services.accounts.create_account(name, now=services.clock.now())
        typer.echo(f"created account {account.name} ({account.id})")

    with_services(create)


@accounts_app.command("list")
def accounts_list() -> None:
    """List accounts."""

    async def show(services: Services) -> None:
        balances = await services.credits.balances()
        for account in await services.accounts.list_accounts():
            state = "disabled" if account.disabled else "active"
            typer.echo(f"{account.name}\t{account.id}\t{state}\t{when(account.created_at)}\t"
                       f"balance {balances.get(account.id, 0)}")

    with_services(show)


def _credit_admin(services: Services) -> CreditAdmin:
    return CreditAdmin(services.accounts, services.credits, services.clock)


@accounts_app.command("show")
def accounts_show(
    name: str,
    entries: Annotated[int, typer.Option(min=1, max=1000, help="Ledger entries to show.")] = 20,
) -> None:
    """An account's balance and its latest ledger entries."""

    async def show(services: Services) -> None:
        view = await _credit_admin(services).show(name, entries=entries)
        state = "disabled" if view["disabled"] else "active"
        typer.echo(f"{view['name']}\t{view['id']}\t{state}\tbalance {view['balance']}")
        for entry in view["ledger"]:
            typer.echo(f"{when(entry['created_at'])}\t{entry['amount']:+d}\t{entry['reason']}\t"
                       f"{entry['task_id'] or '-'}\t{entry['note']}")

    with_services(show)


@accounts_app.command("webhook-secret")
def accounts_webhook_secret(
    name: str,
    rotate: Annotated[bool, typer.Option(help="Replace it; deliveries sign with the new one.")]
    = False,
) -> None:
    """The secret an account's webhook deliveries are signed with (made on first use)."""

    async def show(services: Services) -> None:
        account = await services.accounts.account_by_name(name)
        if account is None:
            typer.echo(f"songgate: no account named {name!r}", err=True)
            raise typer.Exit(1)
        typer.echo(await HookStore(services.database).secret(
            account.id, now=services.clock.now(), rotate=rotate))

    with_services(show)


@accounts_app.command("limits")
def accounts_limits(
    name: str,
    requests_per_minute: Annotated[
        int | None, typer.Option("--rpm", min=0, help="Requests per minute per token (0: none).")
    ] = None,
    tasks_in_flight: Annotated[
        int | None, typer.Option("--in-flight", min=0, help="Unfinished tasks per token.")
    ] = None,
    default: Annotated[bool, typer.Option(help="Back to the configured defaults.")] = False,
) -> None:
    """Show or set an account's per-token limits (default: SONGGATE_RATE_LIMIT_*)."""

    async def limits(services: Services) -> None:
        account = await services.accounts.account_by_name(name)
        if account is None:
            typer.echo(f"songgate: no account named {name!r}", err=True)
            raise typer.Exit(1)
        store = LimitStore(services.database)
        if default:
            await store.set_overrides(account.id, None, None)
        elif requests_per_minute is not None or tasks_in_flight is not None:
            rpm, in_flight = await store.overrides(account.id)
            await store.set_overrides(
                account.id,
                rpm if requests_per_minute is None else requests_per_minute,
                in_flight if tasks_in_flight is None else tasks_in_flight)
        rpm, in_flight = await services.limiter.limits(account)
        typer.echo(f"{name}: {rpm or 'no limit'} requests per minute, "
                   f"{in_flight or 'no limit'} tasks in flight, per token")

    with_services(limits)


@app.command("webhooks")
def webhooks_log(task_id: str) -> None:
    """A task's webhook deliveries and every attempt."""

    async def show(services: Services) -> None:
        for entry in await HookStore(services.database).log(task_id):
            typer.echo(f"{entry.id}\t{entry.event}\t{entry.state}")
            for attempt in entry.attempts:
                typer.echo(f"  {attempt.attempt}\t{when(attempt.at)}\t"
                           f"{attempt.status_code or '-'}\t{attempt.duration_ms} ms\t"
                           f"{attempt.error}")

    with_services(show)


@accounts_app.command("topup")
def accounts_topup(
    name: str,
    amount: Annotated[int, typer.Argument(help="Credits to add (negative: to take away).")],
    note: Annotated[str, typer.Option(help="Why, for the ledger.")] = "",
) -> None:
    """Add credits to an account; every change is a ledger entry."""

    async def topup(services: Services) -> None:
        balance = await _credit_admin(services).topup(name, amount, note)
        typer.echo(f"{name}: balance {balance}")

    with_services(topup)


def _set_disabled(name: str, disabled: bool) -> None:
    async def change(services: Services) -> None:
        if not await services.accounts.set_account_disabled(name, disabled):
            typer.echo(f"songgate: no account named {name!r}", err=True)
            raise typer.Exit(1)

    with_services(change)


@accounts_app.command("disable")
def accounts_disable(name: str) -> None:
    """Disable an account: its tokens stop working."""
    _set_disabled(name, True)


@accounts_app.command("enable")
def accounts_enable(name: str) -> None:
    """Enable a disabled account."""
    _set_disabled(name, False)


@tokens_app.command("create")
def tokens_create(
    account: Annotated[str, typer.Option(help="Account the token acts for.")],
    name: Annotated[str, typer.Option(help="A label for the token.")] = "token",
    expires_in_days: Annotated[
        float | None, typer.Option(min=0.0, help="Days until the token expires.")
    ] = None,
    create_account: Annotated[
        bool, typer.Option(help="Create the account if it does not exist.")
    ] = False,
) -> None:
    """Create a token; its secret is printed once and stored only as a hash."""

    async def create(services: Services) -> None:
        now = services.clock.now()
        owner = await services.accounts.account_by_name(account)
        if owner is None:
            if not create_account:
                typer.echo(f"songgate: no account named {account!r} "
                           "(use --create-account)", err=True)
                raise typer.Exit(1)
            owner = await services.accounts.create_account(account, now=now)
        expires = now + expires_in_days * 86400 if expires_in_days is not None else None
        record, secret = await services.accounts.create_token(
            owner, name=name, now=now, expires_at=expires
        )
        typer.echo(secret)
        typer.echo(f"token {record.id} for account {owner.name}; "
                   f"expires {when(expires)}; shown once", err=True)

    with_services(create)


@tokens_app.command("list")
def tokens_list(
    account: Annotated[str | None, typer.Option(help="Only this account's tokens.")] = None,
) -> None:
    """List tokens (never their secrets)."""

    async def show(services: Services) -> None:
        owner = None
        if account is not None:
            owner = await services.accounts.account_by_name(account)
            if owner is None:
                typer.echo(f"songgate: no account named {account!r}", err=True)
                raise typer.Exit(1)
        now = services.clock.now()
        typer.echo("id\taccount\tname\thint\tstate\tcreated\texpires")
        for record, account_name in await services.accounts.list_tokens(owner):
            typer.echo(
                f"{record.id}\t{account_name}\t{record.name}\t{record.hint}…\t"
                f"{record.state(now).value}\t{when(record.created_at)}\t{when(record.expires_at)}"
            )

    with_services(show)


@tokens_app.command("revoke")
def tokens_revoke(token_id: str) -> None:
    """Revoke a token by its id (from `tokens list`)."""

    async def revoke(services: Services) -> None:
        if not await services.accounts.revoke_token(token_id, now=services.clock.now()):
            typer.echo(f"songgate: no active token with id {token_id!r}", err=True)
            raise typer.Exit(1)
        typer.echo(f"revoked {token_id}")

    with_services(revoke)


def main() -> None:
    try:
        app()
    except SonggateError as error:
        print(f"songgate: {error.message}", file=sys.stderr)
        sys.exit(2)
