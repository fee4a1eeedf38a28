"""Bounded caches of TaskDtos, so polls need not read them from the database.

A task in SUCCESS or FAILURE never changes again, so its rendered bytes can
be kept in memory and served to batch fetches without the database
(:class:`TerminalDtoCache`). Each entry remembers its account and action, so scoping and
filtering stay exact.

An unfinished task's bytes may change with any commit. They are kept with the row's
version when they were read (a number every change of the TaskDto bumps) and served
exactly fresh (:class:`LiveDtoCache`): a fetch never shows a state older than a
commit that finished before it began. While the database has seen no commit since
they were read (SQLite's ``PRAGMA data_version``, which any connection's commit
changes) they are served as they are; after one, a narrow read of the rows' versions
from an index says which are still the rows' own.

Both answer a batch in one call (:meth:`DtoEntries.lookup`): a list in the order of
the ids asked, found by dictionary lookups that run in C (a poll of 100 ids costs
about as much as one of a single id spends in Python).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HIDDEN = b""  # in a lookup's answer: the account's task, cached, but not of the action asked


@dataclass(frozen=True, slots=True)
class CachedDto:
    account_id: str
    action: str
    dto: bytes
    version: int = 0  # the row's version it was read with


class DtoEntries:
    """Cached DTOs by task id, oldest first, and by account for lookups."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: dict[str, CachedDto] = {}  # oldest first
        self._owned: dict[str, dict[str, bytes]] = {}  # account id → task id → dto

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._entries

    def lookup(
        self, account_id: str, ids: Sequence[str], action: str | None = None
    ) -> list[bytes | None]:
        """For each of ``ids``, in order: the cached DTO of the account's task; None when
        the account has no such task in the cache (ask the database); :data:`HIDDEN` when
        it has, of another action than ``action``."""
        owned = self._owned.get(account_id)
        if owned is None:
            return [None] * len(ids)
        shown = list(map(owned.get, ids))
        if action is None:
            return shown
        entries = self._entries
        return [dto if dto is None or entries[task_id].action == action else HIDDEN
                for task_id, dto in zip(ids, shown, strict=True)]

    def entries_of(self, account_id: str, ids: Sequence[str]) -> dict[str, CachedDto]:
        """The cached entries of the account's tasks among ``ids``, by id."""
        owned = self._owned.get(account_id)
        if owned is None:
            return {}
        entries = self._entries
        return {task_id: entries[task_id] for task_id in ids if task_id in owned}

    def put(self, task_id: str, entry: CachedDto) -> None:
        """Keep ``entry`` (replacing the task's older one) unless it is larger than the
        bound; the oldest entries go while the bound is passed."""
        if self._max_bytes <= 0 or len(entry.dto) > self._max_bytes:
            return
        self._drop(task_id)
        self._entries[task_id] = entry
        self._owned.setdefault(entry.account_id, {})[task_id] = entry.dto
        self._bytes += len(entry.dto)
        while self._bytes > self._max_bytes:  # the first cached go first
            self._drop(next(iter(self._entries)))

    def _drop(self, task_id: str) -> None:
        entry = self._entries.pop(task_id, None)
        if entry is None:
            return
        self._bytes -= len(entry.dto)
        owned = self._owned[entry.account_id]
        del owned[task_id]
        if not owned:
            del self._owned[entry.account_id]

    def clear(self) -> None:
        self._entries.clear()
        self._owned.clear()
        self._bytes = 0


class TerminalDtoCache:
    """Finished tasks' DTOs: they never change, so an entry is never replaced."""

    def __init__(self, max_bytes: int) -> None:
        self._entries = DtoEntries(max_bytes)

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(
        self, account_id: str, ids: Sequence[str], action: str | None = None
    ) -> list[bytes | None]:
        """:meth:`DtoEntries.lookup`."""
        return self._entries.lookup(account_id, ids, action)

    def add(self, task_id: str, entry: CachedDto) -> None:
        if task_id not in self._entries:
            self._entries.put(task_id, entry)


class LiveDtoCache:
    """Unfinished tasks' DTOs, each with the version of its row when it was read."""

    def __init__(self, max_bytes: int) -> None:
        self._kept = DtoEntries(max_bytes)
        self._current = DtoEntries(max_bytes)  # the kept ones read or checked at _at
        self._at: int | None = None

    def __len__(self) -> int:
        return len(self._kept)

    def lookup(
        self, data_version: int, account_id: str, ids: Sequence[str], action: str | None = None
    ) -> list[bytes | None]:
        """:meth:`DtoEntries.lookup` among the entries read or checked at ``data_version``,
        the database's version now; if it has moved on since, none is served this way
        (:meth:`kept` gives them to be checked against their rows)."""
        if data_version != self._at:
            self._current.clear()
            self._at = data_version
            return [None] * len(ids)
        return self._current.lookup(account_id, ids, action)

    def kept(self, account_id: str, ids: Sequence[str]) -> dict[str, CachedDto]:
        """The account's entries among ``ids``, whatever the version they were read at:
        each is still its row's TaskDto if the row's version is still the entry's."""
        return self._kept.entries_of(account_id, ids)

    def add(self, data_version: int, task_id: str, entry: CachedDto) -> None:
        """Keep ``entry``, read from its row (or found to be the row's) after the database's
        version ``data_version`` was read; served without a check while that is still
        the version the cache is at."""
        self._kept.put(task_id, entry)
        if data_version == self._at:
            self._current.put(task_id, entry)
