"""The body fields: the table the parsers read and the document shows says what they do."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from songgate.domain.body_fields import BodyField, IgnoredField, PerModel, TextField
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.submit import (
    FILLED_AT_SUBMISSION,
    LYRICS_BODY,
    MUSIC_BODY,
    LyricsSpec,
    MusicSpec,
    parse_lyrics,
    parse_music,
)
from songgate.errors import InvalidRequest, PromptEmpty

BODIES = [(MUSIC_BODY, parse_music, MusicSpec, {"prompt": "la"}),
          (LYRICS_BODY, parse_lyrics, LyricsSpec, {"prompt": "rain"})]


def read_names(table: tuple[BodyField, ...]) -> list[str]:
    return [each.name for each in table if not isinstance(each, IgnoredField)]


@pytest.mark.parametrize(("table", "spec"), [(t, s) for t, _, s, _ in BODIES])
def test_a_spec_holds_every_field_the_table_reads(table: tuple[BodyField, ...],
                                                  spec: type[Any]) -> None:
    held = [f.name for f in fields(spec) if f.name not in FILLED_AT_SUBMISSION]
    assert sorted(read_names(table)) == sorted(held)


@pytest.mark.parametrize(("table", "parse", "valid"), [(t, p, v) for t, p, _, v in BODIES])
def test_the_parser_reads_every_field_of_its_table(
    table: tuple[BodyField, ...], parse: Any, valid: dict[str, Any]
) -> None:
    for each in table:
        body = {**valid, each.name: ["not", "a", "scalar"]}
        if isinstance(each, IgnoredField):
            parse(body)
            continue
        with pytest.raises(InvalidRequest, match=f"^{each.name} "):
            parse(body)


def test_a_bound_per_model_is_one_of_the_models_limits() -> None:
    assert PerModel("title_max").widest() == max(m.title_max for m in MODEL_VERSIONS.values())
    with pytest.raises(ValueError, match="not a model version's limit"):
        PerModel("mv")


def test_a_bound_per_model_needs_the_model() -> None:
    field = TextField("title", PerModel("title_max"))
    with pytest.raises(ValueError, match="depends on the model version"):
        field.read({"title": "x"})
    assert field.read({"title": "x"}, MODEL_VERSIONS["chirp-v4"]) == "x"


def test_a_text_that_must_hold_words_refuses_blanks() -> None:
    field = TextField("prompt", 10, blank_refusal="prompt is empty: say something")
    with pytest.raises(PromptEmpty, match="say something"):
        field.read({"prompt": " \u3000"})
    assert field.read({"prompt": " a"}) == " a"
