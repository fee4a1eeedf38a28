"""The ``songgate`` command: serve | api | worker | migrate | accounts | tokens | channels |
submit | fetch | wait."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from songgate import event_loop
from songgate.cli.accounts import accounts_app
from songgate.cli.channels import channels_app
from songgate.cli.client import fetch as fetch_tasks
from songgate.cli.client import submit_app
from songgate.cli.client import wait as wait_tasks
from songgate.cli.clip_actions import clip_file, stems
from songgate.cli.clip_actions import timing as clip_timing
from songgate.cli.concat import concat as concat_chain
from songgate.cli.personas import persona_app
from songgate.cli.support import cli_settings, with_services
from songgate.cli.tokens import tokens_app
from songgate.cli.uploads import upload
from songgate.cli.webhooks import webhooks_log
from songgate.config import Settings
from songgate.errors import SonggateError

if TYPE_CHECKING:
    from songgate.wiring import Services

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help=__doc__, pretty_exceptions_enable=False,
    # click's plain help (inherited by every sub-app): rich's tables cut option names short
    rich_markup_mode=None,
)
app.add_typer(accounts_app, name="accounts")
app.add_typer(tokens_app, name="tokens")
app.add_typer(channels_app, name="channels")
app.add_typer(submit_app, name="submit")
app.add_typer(persona_app, name="persona")
app.command("fetch")(fetch_tasks)
app.command("wait")(wait_tasks)
app.command("timing")(clip_timing)
app.command("file")(clip_file)
app.command("upload")(upload)
app.command("concat")(concat_chain)
app.command("stems")(stems)

HostOption = Annotated[str | None, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on.")]


def _run_process(settings: Settings, **kinds: bool) -> None:
    from songgate.runtime import run  # the service: loaded by the commands that run it

    raise typer.Exit(event_loop.run(run(settings, **kinds)))


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
    from songgate.runtime import run

    settings = cli_settings()
    raise typer.Exit(event_loop.run(
        run(settings, api=False, worker=True, metrics_port=metrics_port)))


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


app.command("webhooks")(webhooks_log)


def main() -> None:
    try:
        app()
    except SonggateError as error:
        print(f"songgate: {error.message}", file=sys.stderr)
        sys.exit(2)
