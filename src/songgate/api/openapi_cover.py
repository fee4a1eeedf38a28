"""The music submit's cover rules as the OpenAPI document states them (domain/cover.py).

A body asks for a cover with ``task: "cover"`` or a ``cover_clip_id`` that is not blank;
such a body needs a clip (``cover_clip_id``, else ``continue_clip_id``), takes no
``continue_at`` and needs no words (nor tags, even as an instrumental: the song's tune
is played in a style drawn by the seed); any other body keeps the music rules.
"""

from __future__ import annotations

from typing import Any

from songgate.domain.cover import COVER, COVER_CLIP_ID, TASK

Schema = dict[str, Any]


def _given(name: str, schema: Schema) -> Schema:
    return {"required": [name], "properties": {name: schema}}


def _not_blank(name: str, pattern: str) -> Schema:
    return _given(name, {"pattern": pattern})


def covering(not_blank: str) -> Schema:
    """A body that asks for a cover."""
    return {"anyOf": [_given(TASK.name, {"const": COVER}),
                      _not_blank(COVER_CLIP_ID.name, not_blank)]}


def music_or_cover(music_rules: list[Schema], not_blank: str) -> Schema:
    """``music_rules`` for a body that asks for no cover; the cover's own for one that does."""
    cover_rules = [
        {"not": _given("continue_at", {"type": "number"})},
        {"anyOf": [_not_blank(COVER_CLIP_ID.name, not_blank),
                   _not_blank("continue_clip_id", not_blank)]},
    ]
    not_covering = [{"not": _given(TASK.name, {"const": COVER})},
                    {"not": {"required": [COVER_CLIP_ID.name], "properties": {
                        COVER_CLIP_ID.name: {"type": "string", "pattern": not_blank}}}}]
    return {"anyOf": [{"allOf": [*not_covering, *music_rules]},
                      {"allOf": [covering(not_blank), *cover_rules]}]}
