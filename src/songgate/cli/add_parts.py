"""``songgate submit music --add-vocals CLIP | --add-instrumental CLIP``: a part for an
uploaded clip instead of a new song."""

from __future__ import annotations

from typing import Any

import typer

from songgate.client import SongClient
from songgate.client.add_parts import PART_FIELDS


def part_task(client: SongClient, fields: dict[str, Any], add_vocals: str,
              add_instrumental: str) -> str | None:
    """The task id of the part asked for; None when neither option is given."""
    if add_vocals and add_instrumental:
        raise typer.BadParameter("give --add-vocals or --add-instrumental, not both")
    if not (add_vocals or add_instrumental):
        return None
    given = {key: value for key, value in fields.items()
             if key in PART_FIELDS and value not in (None, "")}
    if add_vocals:
        return client.add_vocals(add_vocals, **given)
    return client.add_instrumental(add_instrumental, **given)
