"""A bounded cache of finished tasks' TaskDtos.

A task in SUCCESS or FAILURE never changes again, so its rendered bytes can
be kept in memory and served to batch fetches without the database. Each
entry remembers its account and action, so scoping and filtering stay exact.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CachedDto:
    account_id: str
    action: str
    dto: bytes


class TerminalDtoCache:
    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[str, CachedDto] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(
        self, account_id: str, ids: Iterable[str], action: str | None
    ) -> tuple[dict[str, bytes], list[str]]:
        """The cached DTOs of the account's tasks among ``ids``, and the ids not in the cache."""
        found: dict[str, bytes] = {}
        missing: list[str] = []
        entries = self._entries
        for task_id in ids:
            entry = entries.get(task_id)
            if entry is None:
                missing.append(task_id)
            elif entry.account_id == account_id and (action is None or entry.action == action):
                found[task_id] = entry.dto
                entries.move_to_end(task_id)
        return found, missing

    def add(self, task_id: str, entry: CachedDto) -> None:
        if self._max_bytes <= 0 or len(entry.dto) > self._max_bytes or task_id in self._entries:
            return
        self._entries[task_id] = entry
        self._bytes += len(entry.dto)
        while self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.dto)
