"""Bounded caches of TaskDtos, so polls need not read them from the database.

A task in SUCCESS or FAILURE never changes again, so its rendered bytes can
be kept in memory and served to batch fetches without the database
(:class:`TerminalDtoCache`). Each entry remembers its account and action, so scoping and
filtering stay exact.

An unfinished task's bytes may change with any commit. They are served exactly fresh
(:class:`LiveDtoCache`): a fetch never shows a state older than a commit that finished
before it began. While the database has seen no commit since the cache last looked
(SQLite's ``PRAGMA data_version``, which any connection's commit changes) they are
served as they are; after one, the rows changed since (the newest row versions, which
grow in the order of the changes) say which entries to forget.

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

    def put(self, task_id: str, entry: CachedDto) -> None:
        """Keep ``entry`` (replacing the task's older one) unless it is larger than the
        bound; the oldest entries go while the bound is passed."""
        if self._max_bytes <= 0 or len(entry.dto) > self._max_bytes:
            return
        self.drop(task_id)
        self._entries[task_id] = entry
        self._owned.setdefault(entry.account_id, {})[task_id] = entry.dto
        self._bytes += len(entry.dto)
        while self._bytes > self._max_bytes:  # the first cached go first
            self.drop(next(iter(self._entries)))

    def drop(self, task_id: str) -> None:
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
    """Unfinished tasks' DTOs, kept current by the changes the database reports.

    The cache is *at* a database version (SQLite's ``PRAGMA data_version``) and has *seen*
    the rows' versions up to a number: every change of a task's TaskDto gives its row a
    version above every other row's (migration 0011), so the rows whose versions pass
    that number are exactly the tasks changed since. :meth:`sync` takes them (their
    entries go) and moves the cache to the version the database has now; every entry
    left is then its row's TaskDto. While the database's version stays the cache's, no
    commit happened and nothing needs asking.
    """

    def __init__(self, max_bytes: int) -> None:
        self._entries = DtoEntries(max_bytes)
        self.enabled = max_bytes > 0
        self._at: int | None = None  # the database version the entries are current at
        self.seen: int | None = None  # the highest row version taken into account

    def __len__(self) -> int:
        return len(self._entries)

    def is_at(self, data_version: int) -> bool:
        return data_version == self._at

    def sync(self, data_version: int, changed: Sequence[tuple[str, int]]) -> None:
        """Forget the tasks in ``changed`` ((id, version) of every row whose version passed
        :attr:`seen`, in the order of their versions, read after ``data_version`` was):
        the cache is then current at ``data_version``."""
        for task_id, _ in changed:
            self._entries.drop(task_id)
        if changed:
            self.seen = changed[-1][1]
        self._at = data_version

    def restart(self, data_version: int, latest: int) -> None:
        """Forget every entry: ``latest`` is the highest row version the database held
        after ``data_version`` was read (too many changes to take one by one, or none
        seen yet)."""
        self._entries.clear()
        self.seen = latest
        self._at = data_version

    def lookup(
        self, account_id: str, ids: Sequence[str], action: str | None = None
    ) -> list[bytes | None]:
        """:meth:`DtoEntries.lookup`; current if the cache is at the database's version."""
        return self._entries.lookup(account_id, ids, action)

    def add(self, task_id: str, entry: CachedDto) -> None:
        """Keep ``entry``, read from its row after the cache was brought to the database's
        version (a change after that read comes with the next :meth:`sync`)."""
        self._entries.put(task_id, entry)
