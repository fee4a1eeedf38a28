"""The rules of listing an account's tasks (``GET /songgate/tasks``), newest first.

A page is read by keyset: tasks strictly older than the cursor in the order
``(submit_time, id)`` descending. The cursor is opaque to clients; it carries
the exact ``submit_time`` and id of the last task of the previous page, so
tasks submitted in the same instant are neither skipped nor repeated.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson

from songgate.domain.dto import success_envelope
from songgate.domain.fetch import all_plain_ids
from songgate.domain.status import Action, TaskStatus, parse_name
from songgate.errors import InvalidRequest

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PARAMETERS = ("status", "action", "before", "limit")
CURSOR_MAX_LENGTH = 256
STATUS_MAX_LENGTH = 256  # every status at once is far shorter
_STATUS_NAMES = ", ".join(status.value for status in TaskStatus)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page ends: the last task's submit time and id."""

    submit_time: float
    task_id: str

    def encode(self) -> str:
        raw = orjson.dumps([self.submit_time, self.task_id])
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class ListQuery:
    statuses: frozenset[TaskStatus]  # empty: every status
    action: Action | None
    before: Cursor | None
    limit: int


def parse_list_query(params: Iterable[tuple[str, str]]) -> ListQuery:
    """A query from the request's parameters, each given at most once.

    ``status`` is one status or several separated by commas; unknown
    parameters are refused so that a misspelt filter never silently lists
    everything.
    """
    given: dict[str, str] = {}
    for name, value in params:
        if name not in PARAMETERS:
            raise InvalidRequest(
                f"unknown parameter {_shown(name)}; accepted: {', '.join(PARAMETERS)}"
            )
        if name in given:
            raise InvalidRequest(f"{name} is given more than once")
        given[name] = value
    return ListQuery(
        statuses=_statuses(given.get("status", "")),
        action=_action(given.get("action", "")),
        before=_cursor(given.get("before", "")),
        limit=_limit(given.get("limit", "")),
    )


def _statuses(text: str) -> frozenset[TaskStatus]:
    if len(text) > STATUS_MAX_LENGTH:
        raise InvalidRequest(f"status is longer than {STATUS_MAX_LENGTH} characters")
    found: set[TaskStatus] = set()
    for part in filter(None, (item.strip() for item in text.split(","))):
        status = parse_name(TaskStatus, part)
        if status is None:
            raise InvalidRequest(
                f"status {_shown(part)} is not a task status; use {_STATUS_NAMES}"
            )
        found.add(status)
    return frozenset(found)


def _action(text: str) -> Action | None:
    if not text:
        return None
    action = Action.parse(text)
    if action is None:
        raise InvalidRequest(f"action must be {Action.names()}")
    return action


def _limit(text: str) -> int:
    if not text:
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit()):
        raise InvalidRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    value = int(text) if len(text) <= 6 else MAX_LIMIT + 1
    if not 1 <= value <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be from 1 to {MAX_LIMIT}; got {_shown(text)}")
    return value


def _cursor(text: str) -> Cursor | None:
    if not text:
        return None
    bad = InvalidRequest("before is not a cursor from a previous page (use its next value)")
    if len(text) > CURSOR_MAX_LENGTH or not text.isascii():
        raise bad
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        raise bad from None
    if not (isinstance(decoded, list) and len(decoded) == 2):
        raise bad
    submit_time, task_id = decoded
    if isinstance(submit_time, bool) or not isinstance(submit_time, int | float):
        raise bad
    if not math.isfinite(submit_time) or not isinstance(task_id, str):
        raise bad
    if not all_plain_ids([task_id]):
        raise bad
    return Cursor(float(submit_time), task_id)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 32 else text[:32] + "…")


@dataclass(frozen=True, slots=True)
class ListedTask:
    submit_time: float
    task_id: str
    dto: bytes


def page_envelope(rows: Sequence[ListedTask], limit: int) -> bytes:
    """The success envelope of one page: ``{"tasks": [TaskDto...], "next": cursor | null}``.

    ``rows`` holds up to ``limit + 1`` tasks; one more than the limit means
    another page exists, and ``next`` points after the last task shown.
    """
    shown = rows[:limit]
    following = None
    if len(rows) > limit and shown:
        following = Cursor(shown[-1].submit_time, shown[-1].task_id).encode()
    body = b"".join((
        b'{"tasks":[', b",".join(row.dto for row in shown), b'],"next":',
        orjson.dumps(following), b"}",
    ))
    return success_envelope(body)
