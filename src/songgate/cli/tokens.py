"""``songgate tokens``: API tokens, whose secrets are shown once and stored only as hashes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from songgate.cli.accounts import no_such_account
from songgate.cli.support import when, with_services
from songgate.errors import AccountNotFound

if TYPE_CHECKING:
    from songgate.wiring import Services

tokens_app = typer.Typer(no_args_is_help=True, help="Manage API tokens.")


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
        try:
            issued = await services.accounts.issue_token(
                account, token_name=name, expires_in_days=expires_in_days,
                create_account=create_account,
            )
        except AccountNotFound:
            typer.echo(f"songgate: no account named {account!r} "
                       "(use --create-account)", err=True)
            raise typer.Exit(1) from None
        typer.echo(issued.secret)
        typer.echo(f"token {issued.record.id} for account {issued.account.name}; "
                   f"expires {when(issued.record.expires_at)}; shown once", err=True)

    with_services(create)


@tokens_app.command("list")
def tokens_list(
    account: Annotated[str | None, typer.Option(help="Only this account's tokens.")] = None,
) -> None:
    """List tokens (never their secrets)."""

    async def show(services: Services) -> None:
        try:
            tokens = await services.accounts.tokens(account)
        except AccountNotFound:
            raise no_such_account(account or "") from None
        now = services.clock.now()
        typer.echo("id\taccount\tname\thint\tstate\tcreated\texpires")
        for record, account_name in tokens:
            typer.echo(
                f"{record.id}\t{account_name}\t{record.name}\t{record.hint}…\t"
                f"{record.state(now).value}\t{when(record.created_at)}\t{when(record.expires_at)}"
            )

    with_services(show)


@tokens_app.command("revoke")
def tokens_revoke(token_id: str) -> None:
    """Revoke a token by its id (from `tokens list`)."""

    async def revoke(services: Services) -> None:
        if not await services.accounts.revoke_token(token_id):
            typer.echo(f"songgate: no active token with id {token_id!r}", err=True)
            raise typer.Exit(1)
        typer.echo(f"revoked {token_id}")

    with_services(revoke)
