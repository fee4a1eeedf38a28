"""``songgate persona create CLIP --name NAME``: keep a clip's singer and style;
``songgate persona get ID`` and ``songgate persona list`` read them back (JSON)."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

from songgate.cli.client import TokenOption, UrlOption, _client, _run

persona_app = typer.Typer(help="Personas: a clip's singer and style, for new lyrics.",
                          no_args_is_help=True)


@persona_app.command("create")
def create(
    clip: Annotated[str, typer.Argument(help="The clip whose singer and style to keep.")],
    name: Annotated[str, typer.Option(help="What the persona is called.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    description: Annotated[str, typer.Option()] = "",
    public: Annotated[bool, typer.Option(help="Other accounts may sing with it.")] = False,
) -> None:
    """Create a persona; prints it as JSON (its id goes in `submit music --persona`)."""
    with _client(url, token) as client:
        persona = _run(lambda: client.create_persona(clip, name, description=description,
                                                     is_public=public))
    print(orjson.dumps(persona.raw, option=orjson.OPT_INDENT_2).decode())


@persona_app.command("get")
def get(
    persona_id: Annotated[str, typer.Argument(help="The persona's id.")],
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
) -> None:
    """Print one persona as JSON: the account's own, or a public one."""
    with _client(url, token) as client:
        persona = _run(lambda: client.persona(persona_id))
    print(orjson.dumps(persona.raw, option=orjson.OPT_INDENT_2).decode())


@persona_app.command("list")
def list_personas(
    url: UrlOption = "http://127.0.0.1:8000",
    token: TokenOption = "",
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many.")] = None,
) -> None:
    """Print the account's own personas as a JSON list, newest first."""
    with _client(url, token) as client:
        personas = _run(lambda: client.personas(limit=limit))
    print(orjson.dumps([p.raw for p in personas], option=orjson.OPT_INDENT_2).decode())
