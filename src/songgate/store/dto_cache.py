"""Bounded caches of TaskDtos, so polls need not read them from the database.

A task in SUCCESS or FAILURE never changes again, so its rendered bytes can
be kept in memory and served to batch fetches without the database. Each
entry remembers its account and action, so scoping and filtering stay exact.

An unfinished task's bytes may change with any commit, so they are kept with the
database's version when they were read (:class:`VersionedDtoCache`; SQLite's
``PRAGMA data_version``, which changes with every commit by any connection) and served
only while the version is still the same: a fetch never shows a state older than a
commit that finished before it began.
"""

from __future__ import annotations

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
        self._entries: dict[str, CachedDto] = {}  # oldest first

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(
        self, account_id: str, ids: Iterable[str], action: str | None
    ) -> tuple[dict[str, bytes], list[str]]:
        """The cached DTOs of the account's tasks among ``ids``, and the ids not in the cache."""
        get = self._entries.get
        hits = [(task_id, get(task_id)) for task_id in ids]
        found = {
            task_id: entry.dto
            for task_id, entry in hits
            if entry is not None
            and entry.account_id == account_id
            and (action is None or entry.action == action)
        }
        missing = [task_id for task_id, entry in hits if entry is None]
        return found, missing

    def entry(self, task_id: str) -> CachedDto | None:
        """The cached entry of ``task_id`` (any account's: the caller checks the owner)."""
        return self._entries.get(task_id)

    def add(self, task_id: str, entry: CachedDto) -> None:
        if self._max_bytes <= 0 or len(entry.dto) > self._max_bytes or task_id in self._entries:
            return
        self._entries[task_id] = entry
        self._bytes += len(entry.dto)
        while self._bytes > self._max_bytes:  # the first cached go first
            evicted = self._entries.pop(next(iter(self._entries)))
            self._bytes -= len(evicted.dto)


class VersionedDtoCache:
    """Unfinished tasks' DTOs as read at one database version; any other version empties it."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._version: int | None = None
        self._entries: dict[str, CachedDto] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(
        self, version: int, account_id: str, ids: Iterable[str], action: str | None
    ) -> tuple[dict[str, bytes], list[str]]:
        """Like :meth:`TerminalDtoCache.lookup`, for the database at ``version``."""
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version
            return {}, list(ids)
        get = self._entries.get
        hits = [(task_id, get(task_id)) for task_id in ids]
        found = {
            task_id: entry.dto
            for task_id, entry in hits
            if entry is not None
            and entry.account_id == account_id
            and (action is None or entry.action == action)
        }
        return found, [task_id for task_id, entry in hits if entry is None]

    def entries_at(self, version: int) -> dict[str, CachedDto]:
        """The entries read at ``version`` (none if the database has moved on since);
        read only: entries are added through :meth:`add`."""
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version
        return self._entries

    def add(self, version: int, task_id: str, entry: CachedDto) -> None:
        """Keep what was read at ``version`` (read before the rows, so never newer than
        them); ignored unless that is still the version the cache holds."""
        if version != self._version or len(entry.dto) > self._max_bytes:
            return
        old = self._entries.pop(task_id, None)
        if old is not None:
            self._bytes -= len(old.dto)
        self._entries[task_id] = entry
        self._bytes += len(entry.dto)
        while self._bytes > self._max_bytes:
            evicted = self._entries.pop(next(iter(self._entries)))
            self._bytes -= len(evicted.dto)
