"""``songgate webhooks``: what became of a task's webhook notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from songgate.cli.support import when, with_services

if TYPE_CHECKING:
    from songgate.wiring import Services


def webhooks_log(task_id: str) -> None:
    """A task's webhook deliveries and every attempt."""

    async def show(services: Services) -> None:
        for entry in await services.webhooks.deliveries(task_id):
            typer.echo(f"{entry.id}\t{entry.event}\t{entry.state}")
            for attempt in entry.attempts:
                typer.echo(f"  {attempt.attempt}\t{when(attempt.at)}\t"
                           f"{attempt.status_code or '-'}\t{attempt.duration_ms} ms\t"
                           f"{attempt.error}")

    with_services(show)
