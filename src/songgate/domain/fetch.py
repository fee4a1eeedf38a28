"""The rules of a batch fetch request (``POST /suno/fetch``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from songgate.domain.fields import check_text, require_object
from songgate.domain.status import Action
from songgate.domain.submit import ID_MAX_LENGTH
from songgate.errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class FetchQuery:
    ids: tuple[str, ...]  # input order, each id once
    action: Action | None


def parse_fetch(raw: Any, *, max_ids: int) -> FetchQuery:
    body = require_object(raw)
    if "ids" not in body or body["ids"] is None:
        raise InvalidRequest("ids is required: give an array of task ids")
    ids = body["ids"]
    if not isinstance(ids, list):
        raise InvalidRequest("ids must be an array of task id strings")
    if len(ids) > max_ids:
        raise InvalidRequest(f"ids has {len(ids)} entries; the limit is {max_ids}")
    if not all_plain_ids(ids):
        _explain_bad_id(ids)
    unique = tuple(ids) if len(set(ids)) == len(ids) else tuple(dict.fromkeys(ids))
    return FetchQuery(ids=unique, action=_action_filter(body.get("action")))


def all_plain_ids(ids: list[Any]) -> bool:
    """One pass over the whole list for the common case: short, storable strings."""
    if not ids:
        return True
    try:  # in C: a loop in Python costs more than the rest
        joined = "".join(ids)  # refuses anything but strings
    except TypeError:
        return False
    if max(map(len, ids)) > ID_MAX_LENGTH:
        return False
    return "\x00" not in joined and joined.isascii()


def _explain_bad_id(ids: list[Any]) -> None:
    """Raise for the first id that is not a plain id; non-ASCII text may still be fine."""
    for position, task_id in enumerate(ids):
        if not isinstance(task_id, str):
            raise InvalidRequest(f"ids[{position}] must be a string")
        check_text(f"ids[{position}]", task_id)
        if len(task_id) > ID_MAX_LENGTH:
            raise InvalidRequest(f"ids[{position}] is longer than {ID_MAX_LENGTH} characters")


def _action_filter(value: Any) -> Action | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"action must be a string: {Action.names()}")
    action = Action.parse(value)
    if action is None:
        raise InvalidRequest(f"action must be {Action.names()}")
    return action
