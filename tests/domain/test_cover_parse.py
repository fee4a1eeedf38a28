"""A cover is asked for in each way gateways send it, and refused when it cannot be one."""

from __future__ import annotations

import pytest

from songgate.domain.clips import Owner, new_clip
from songgate.domain.submit import parse_music
from songgate.errors import InvalidRequest

CLIP = "7e0c2f1a-9b8d-4c6e-8a2b-3d4f5e6a7b8c"


@pytest.mark.parametrize("body", [
    {"task": "cover", "continue_clip_id": CLIP},
    {"cover_clip_id": CLIP},
    {"task": "cover", "cover_clip_id": f" {CLIP} ", "continue_clip_id": CLIP},
    {"cover_clip_id": CLIP, "continue_clip_id": "", "continue_at": None},
])
def test_each_way_of_asking_names_the_clip_and_no_extension(body: dict[str, object]) -> None:
    spec = parse_music({**body, "tags": "jazz"})
    assert spec.cover_clip_id == CLIP and spec.continue_clip_id == "" and spec.continue_at is None
    assert spec.prompt == "" and not spec.make_instrumental  # the song's words, filled later
    clip = new_clip("c1", Owner("u", "h", "d"), spec, 0.0)
    assert clip["metadata"]["task"] == "cover" and clip["metadata"]["cover_clip_id"] == CLIP
    assert clip["metadata"]["history"] is None


@pytest.mark.parametrize(("body", "problem"), [
    ({"task": "cover", "continue_clip_id": CLIP, "continue_at": 12}, "no continue_at"),
    ({"task": "cover", "tags": "rock"}, "needs the clip to cover"),
    ({"cover_clip_id": 5}, "cover_clip_id"),
    ({"cover_clip_id": "x" * 65}, "cover_clip_id"),
])
def test_what_cannot_be_a_cover_is_refused(body: dict[str, object], problem: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_music(body)
    assert problem in refused.value.message


def test_other_tasks_and_blank_clips_are_no_cover() -> None:
    for body in ({"task": "extend", "prompt": "la"}, {"cover_clip_id": "  ", "prompt": "la"}):
        assert parse_music(body).cover_clip_id == ""
