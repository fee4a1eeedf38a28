"""Which clip a MUSIC submit acts on, and how: what decides where the task is made."""

from __future__ import annotations

from typing import Any

import pytest

from songgate.domain.add_parts import parse_add_part
from songgate.domain.source_actions import source_action, source_clip
from songgate.domain.submit import parse_music

CLIP = "c0ffee00-0000-4000-8000-000000000001"


@pytest.mark.parametrize(("body", "action"), [
    ({"prompt": "la", "tags": "pop"}, ""),
    ({"prompt": "la", "continue_clip_id": CLIP, "continue_at": 5}, "extend"),
    ({"prompt": "la", "task": "extend", "continue_clip_id": CLIP, "continue_at": 5}, "extend"),
    ({"prompt": "la", "task": "upload_extend", "continue_clip_id": CLIP, "continue_at": 5},
     "upload_extend"),
    ({"prompt": "la", "continue_clip_id": CLIP, "continue_at": 5, "infill_start_s": 10,
      "infill_end_s": 20}, "infill"),
    ({"tags": "jazz", "cover_clip_id": CLIP}, "cover"),
    ({"tags": "jazz", "task": "cover", "continue_clip_id": CLIP}, "cover"),
])
def test_the_action_and_its_clip(body: dict[str, Any], action: str) -> None:
    spec = parse_music(body)
    assert source_action(spec) == action
    assert source_clip(spec) == (CLIP if action else "")


@pytest.mark.parametrize("task", ["add_vocals", "add_instrumental"])
def test_an_added_part_acts_on_its_clip(task: str) -> None:
    spec = parse_add_part({"task": task, "continue_clip_id": CLIP, "prompt": "la"})
    assert (source_action(spec), source_clip(spec)) == (task, CLIP)


def test_upload_extend_is_kept_only_with_a_clip() -> None:
    assert parse_music({"prompt": "la", "task": "upload_extend"}).task == ""
