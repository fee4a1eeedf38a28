"""``songgate accounts``: accounts, their credits, limits and webhook signing secret."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from songgate.cli.support import when, with_services
from songgate.errors import AccountNotFound

if TYPE_CHECKING:
    from songgate.wiring import Services

accounts_app = typer.Typer(no_args_is_help=True, help="Manage accounts.")


def no_such_account(name: str) -> typer.Exit:
    """Say that no account has this name; the exit to raise."""
    typer.echo(f"songgate: no account named {name!r}", err=True)
    return typer.Exit(1)


@accounts_app.command("create")
def accounts_create(
    name: str,
    test_mode: Annotated[bool, typer.Option(
        "--test-mode", help="Tasks choose their outcome and make placeholder songs.")] = False,
) -> None:
    """Create an account."""

    async def create(services: Services) -> None:
        account = await services.accounts.create(name)
        if test_mode:
            await services.accounts.set_test_mode(name, True)
        typer.echo(f"created account {account.name} ({account.id})"
                   + (" in test mode" if test_mode else ""))

    with_services(create)


@accounts_app.command("list")
def accounts_list() -> None:
    """List accounts."""

    async def show(services: Services) -> None:
        balances = await services.credits.balances()
        for account in await services.accounts.all():
            state = "disabled" if account.disabled else "active"
            typer.echo(f"{account.name}\t{account.id}\t{state}\t{when(account.created_at)}\t"
                       f"balance {balances.get(account.id, 0)}")

    with_services(show)


@accounts_app.command("show")
def accounts_show(
    name: str,
    entries: Annotated[int, typer.Option(min=1, max=1000, help="Ledger entries to show.")] = 20,
) -> None:
    """An account's balance and its latest ledger entries."""

    async def show(services: Services) -> None:
        view = await services.credits.show(name, entries=entries)
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
        try:
            typer.echo(await services.webhooks.signing_secret(name, rotate=rotate))
        except AccountNotFound:
            raise no_such_account(name) from None

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
        account = await services.accounts.find(name)
        if account is None:
            raise no_such_account(name)
        if default:
            await services.limiter.reset(account)
        elif requests_per_minute is not None or tasks_in_flight is not None:
            await services.limiter.override(account, requests_per_minute=requests_per_minute,
                                            tasks_in_flight=tasks_in_flight)
        rpm, in_flight = await services.limiter.limits(account)
        typer.echo(f"{name}: {rpm or 'no limit'} requests per minute, "
                   f"{in_flight or 'no limit'} tasks in flight, per token")

    with_services(limits)


@accounts_app.command("topup")
def accounts_topup(
    name: str,
    amount: Annotated[int, typer.Argument(help="Credits to add (negative: to take away).")],
    note: Annotated[str, typer.Option(help="Why, for the ledger.")] = "",
) -> None:
    """Add credits to an account; every change is a ledger entry."""

    async def topup(services: Services) -> None:
        balance = await services.credits.topup(name, amount, note)
        typer.echo(f"{name}: balance {balance}")

    with_services(topup)


@accounts_app.command("test-mode")
def accounts_test_mode(
    name: str,
    on: Annotated[bool, typer.Option("--on/--off", help="Turn test mode on or off.")],
) -> None:
    """Test mode: the account's tasks choose their outcome (X-Songgate-Test-Outcome) and
    make placeholder songs at once; see docs/test-mode.md."""

    async def change(services: Services) -> None:
        if not await services.accounts.set_test_mode(name, on):
            raise no_such_account(name)
        typer.echo(f"{name}: test mode {'on' if on else 'off'}")

    with_services(change)


def _set_disabled(name: str, disabled: bool) -> None:
    async def change(services: Services) -> None:
        if not await services.accounts.set_disabled(name, disabled):
            raise no_such_account(name)

    with_services(change)


@accounts_app.command("disable")
def accounts_disable(name: str) -> None:
    """Disable an account: its tokens stop working."""
    _set_disabled(name, True)


@accounts_app.command("enable")
def accounts_enable(name: str) -> None:
    """Enable a disabled account."""
    _set_disabled(name, False)
