from __future__ import annotations

import pytest

from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.submit import parse_lyrics, parse_music
from songgate.errors import InvalidModelVersion, InvalidRequest, PromptEmpty


def test_custom_mode_keeps_every_field() -> None:
    spec = parse_music({
        "prompt": "[Verse]\nhello", "tags": "heartfelt salsa", "title": "快乐周末",
        "negative_tags": "drums", "mv": "chirp-v3-5", "notify_hook": "https://x.example/h",
    })
    assert (spec.prompt, spec.tags, spec.title, spec.mv) == (
        "[Verse]\nhello", "heartfelt salsa", "快乐周末", "chirp-v3-5")
    assert spec.negative_tags == "drums" and not spec.is_description_mode


@pytest.mark.parametrize(
    ("mv", "field", "limit"),
    [("chirp-v3-5", "prompt", 3000), ("chirp-v4", "tags", 200),
     ("chirp-auk", "prompt", 5000), ("chirp-auk", "tags", 1000), ("chirp-crow", "tags", 1000)],
)
def test_limits_follow_the_model(mv: str, field: str, limit: int) -> None:
    body = {"prompt": "la", "mv": mv}
    parse_music({**body, field: "x" * limit})
    with pytest.raises(InvalidRequest, match=f"{field} is {limit + 1} characters long; "
                                             f"the limit is {limit}"):
        parse_music({**body, field: "x" * (limit + 1)})


def test_unknown_mv_lists_accepted_values() -> None:
    with pytest.raises(InvalidModelVersion) as caught:
        parse_music({"prompt": "la", "mv": "chirp-v9"})
    for mv in MODEL_VERSIONS:
        assert mv in caught.value.message


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ({}, PromptEmpty, "prompt is empty"),
        ({"prompt": "   "}, PromptEmpty, "prompt is empty"),
        ({"make_instrumental": True}, PromptEmpty, "instrumental needs"),
        ({"prompt": 5}, InvalidRequest, "prompt must be a string"),
        ({"prompt": "a", "make_instrumental": "yes"}, InvalidRequest, "make_instrumental"),
        ({"prompt": "a", "gpt_description_prompt": "b"}, InvalidRequest, "not both"),
        ({"prompt": "a", "continue_at": 10}, InvalidRequest, "together"),
        ({"prompt": "a", "continue_clip_id": "c", "continue_at": "x"}, InvalidRequest, "number"),
        ({"prompt": "a", "notify_hook": "ftp://x"}, InvalidRequest, "http or https"),
        ({"prompt": "a", "mv": 4}, InvalidRequest, "mv must be a string"),
        ([1, 2], InvalidRequest, "JSON object"),
    ],
)
def test_bad_music_bodies(body: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_music(body)


def test_the_joined_fields_are_checked_before_the_others() -> None:
    """negative_tags, title and notify_hook are read after the rules that join fields."""
    with pytest.raises(PromptEmpty):
        parse_music({"negative_tags": 5, "title": 5, "notify_hook": 5})
    with pytest.raises(InvalidRequest, match="not both"):
        parse_music({"prompt": "a", "gpt_description_prompt": "b", "title": 5})
    with pytest.raises(InvalidRequest, match="mv must be a string"):
        parse_music({"prompt": 5, "mv": 4})


def test_instrumental_with_tags_and_description_mode_are_accepted() -> None:
    assert parse_music({"make_instrumental": True, "tags": "lofi"}).make_instrumental
    spec = parse_music({"gpt_description_prompt": "a sad rainy night", "prompt": ""})
    assert spec.is_description_mode


def test_lyrics_need_a_prompt() -> None:
    assert parse_lyrics({"prompt": "a happy weekend"}).prompt == "a happy weekend"
    with pytest.raises(PromptEmpty):
        parse_lyrics({"prompt": ""})
    with pytest.raises(InvalidRequest, match="limit is 3000"):
        parse_lyrics({"prompt": "x" * 3001})
