"""The rules of GET /songgate/tasks: parameters, cursors and the page envelope."""

from __future__ import annotations

import orjson
import pytest

from songgate.domain.listing import (
    DEFAULT_LIMIT,
    Cursor,
    ListedTask,
    page_envelope,
    parse_list_query,
)
from songgate.domain.status import Action, TaskStatus
from songgate.errors import InvalidRequest


def test_defaults_list_everything_twenty_at_a_time() -> None:
    query = parse_list_query([])
    assert query.statuses == frozenset() and query.action is None
    assert query.before is None and query.limit == DEFAULT_LIMIT == 20
    assert parse_list_query([("status", ""), ("action", ""), ("limit", "")]) == query


def test_statuses_are_a_comma_list_in_any_case() -> None:
    query = parse_list_query([("status", "success, failure,SUCCESS"), ("action", "lyrics"),
                              ("limit", "100")])
    assert query.statuses == {TaskStatus.SUCCESS, TaskStatus.FAILURE}
    assert query.action is Action.LYRICS and query.limit == 100


def test_cursor_round_trips_exactly() -> None:
    cursor = Cursor(1_700_000_000.123456789, "2a145658-3342-4228-b779-b8323a2b77df")
    query = parse_list_query([("before", cursor.encode())])
    assert query.before == cursor
    assert "=" not in cursor.encode() and cursor.encode().isascii()


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ([("state", "SUCCESS")], "unknown parameter 'state'; accepted: status, action"),
        ([("limit", "5"), ("limit", "6")], "limit is given more than once"),
        ([("status", "DONE")], "status 'DONE' is not a task status; use NOT_START"),
        ([("action", "video")], "action must be MUSIC, LYRICS, CONCAT, UPLOAD, FILE or STEM"),
        ([("limit", "0")], "limit must be from 1 to 100; got '0'"),
        ([("limit", "101")], "limit must be from 1 to 100"),
        ([("limit", "9" * 5000)], "limit must be from 1 to 100"),
        ([("limit", "-1")], "limit must be a whole number from 1 to 100"),
        ([("limit", "2.5")], "limit must be a whole number"),
        ([("limit", "٣")], "limit must be a whole number"),  # a digit, but not an ASCII one
        ([("before", "not a cursor")], "before is not a cursor from a previous page"),
        ([("before", "W10")], "before is not a cursor"),  # []
        ([("before", Cursor(1.0, "x" * 65).encode())], "before is not a cursor"),
        ([("before", "WyIxIiwiYSJd")], "before is not a cursor"),  # ["1","a"]
        ([("before", "W3RydWUsImEiXQ")], "before is not a cursor"),  # [true,"a"]
        ([("before", "x" * 300)], "before is not a cursor"),
    ],
)
def test_bad_parameters_say_what_is_wrong(params: list[tuple[str, str]], text: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_list_query(params)
    assert text in refused.value.message


def listed(count: int) -> list[ListedTask]:
    return [ListedTask(100.0 - n, f"t{n}", orjson.dumps({"task_id": f"t{n}"}))
            for n in range(count)]


def test_a_page_with_one_more_row_points_after_its_last_task() -> None:
    envelope = orjson.loads(page_envelope(listed(3), 2))
    assert envelope["code"] == "success" and envelope["message"] == ""
    assert [t["task_id"] for t in envelope["data"]["tasks"]] == ["t0", "t1"]
    after = parse_list_query([("before", envelope["data"]["next"])]).before
    assert after == Cursor(99.0, "t1")


def test_the_last_page_has_no_next() -> None:
    assert orjson.loads(page_envelope(listed(2), 2))["data"] == {
        "tasks": [{"task_id": "t0"}, {"task_id": "t1"}], "next": None}
    assert orjson.loads(page_envelope([], 5))["data"] == {"tasks": [], "next": None}
