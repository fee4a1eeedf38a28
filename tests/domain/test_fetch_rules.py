from __future__ import annotations

import pytest

from songgate.domain.fetch import parse_fetch
from songgate.domain.status import Action
from songgate.errors import InvalidRequest


def test_order_kept_and_duplicates_once() -> None:
    query = parse_fetch({"ids": ["b", "a", "b", "c", "a"]}, max_ids=10)
    assert query.ids == ("b", "a", "c") and query.action is None


@pytest.mark.parametrize("action", ["MUSIC", "music", "Music"])
def test_action_is_case_insensitive(action: str) -> None:
    assert parse_fetch({"ids": [], "action": action}, max_ids=1).action is Action.MUSIC


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "ids is required"),
        ({"ids": None}, "ids is required"),
        ({"ids": "abc"}, "ids must be an array"),
        ({"ids": ["a", 3]}, r"ids\[1\] must be a string"),
        ({"ids": ["x" * 65]}, r"ids\[0\] is longer than 64"),
        ({"ids": ["a"] * 4}, "ids has 4 entries; the limit is 3"),
        ({"ids": [], "action": "VIDEO"},
         "action must be MUSIC, LYRICS, CONCAT, UPLOAD, FILE or STEM"),
        ({"ids": [], "action": 1}, "action must be a string"),
    ],
)
def test_bad_fetch_bodies(body: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        parse_fetch(body, max_ids=3)


def test_ids_outside_ascii_are_fine_unless_unstorable() -> None:
    assert parse_fetch({"ids": ["任务", "a"]}, max_ids=3).ids == ("任务", "a")
    with pytest.raises(InvalidRequest, match=r"ids\[1\] is not valid Unicode"):
        parse_fetch({"ids": ["ok", "bad\ud800"]}, max_ids=3)
    with pytest.raises(InvalidRequest, match=r"ids\[0\] must not contain NUL"):
        parse_fetch({"ids": ["a\x00"]}, max_ids=3)
