"""The add_vocals / add_instrumental submit: the upload kept apart from an extension's clip,
and each refusal naming its field."""

from __future__ import annotations

import pytest

from songgate.domain.add_parts import asks_for_part, parse_add_part
from songgate.domain.submit import MusicSpec
from songgate.errors import InvalidRequest, PromptEmpty

CLIP = "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c"


def test_add_vocals_keeps_the_upload_apart_from_an_extension() -> None:
    spec = parse_add_part({"task": "add_vocals", "continue_clip_id": CLIP, "prompt": "la la",
                           "tags": "soul", "vocal_gender": "m"})
    assert spec.task == "add_vocals" and spec.part_clip_id == CLIP
    assert spec.continue_clip_id == "" and spec.continue_at is None  # not an extension
    assert spec.prompt == "la la" and spec.tags == "soul" and spec.vocal_gender == "m"
    assert MusicSpec.from_json(spec.to_json()) == spec


def test_add_instrumental_needs_no_lyrics() -> None:
    spec = parse_add_part({"task": "add_instrumental", "continue_clip_id": CLIP})
    assert spec.task == "add_instrumental" and spec.prompt == ""


def test_an_old_spec_reads_without_the_new_fields() -> None:
    spec = parse_add_part({"task": "add_vocals", "continue_clip_id": CLIP, "prompt": "la"})
    stored = {k: v for k, v in spec.to_json().items() if k not in ("task", "part_clip_id")}
    assert MusicSpec.from_json(stored).task == ""


@pytest.mark.parametrize(("body", "error", "words"), [
    ({"task": "add_vocals", "continue_clip_id": CLIP}, PromptEmpty, "prompt is empty"),
    ({"task": "add_vocals", "prompt": "la"}, PromptEmpty, "continue_clip_id is empty"),
    ({"task": "add_vocals", "continue_clip_id": CLIP, "prompt": "la", "continue_at": 4},
     InvalidRequest, "continue_at does not apply"),
    ({"task": "add_instrumental", "continue_clip_id": CLIP, "gpt_description_prompt": "x"},
     InvalidRequest, "gpt_description_prompt does not apply"),
    ({"task": "add_instrumental", "continue_clip_id": CLIP, "make_instrumental": True},
     InvalidRequest, "make_instrumental does not apply"),
    ({"task": "add_vocals", "continue_clip_id": CLIP, "prompt": "la", "mv": "nope"},
     InvalidRequest, "not supported"),
])
def test_refusals_name_the_field(body: dict[str, object], error: type[Exception],
                                 words: str) -> None:
    with pytest.raises(error, match=words):
        parse_add_part(body)


def test_only_the_two_tasks_ask_for_a_part() -> None:
    assert asks_for_part({"task": "add_vocals"}) and asks_for_part({"task": "add_instrumental"})
    assert not asks_for_part({"task": "gen_stem"}) and not asks_for_part([])
