from __future__ import annotations

from songgate.store.dto_cache import HIDDEN, CachedDto, LiveDtoCache, TerminalDtoCache


def test_lookup_scopes_by_account_and_action() -> None:
    cache = TerminalDtoCache(max_bytes=1000)
    cache.add("t1", CachedDto("alice", "MUSIC", b"one"))
    cache.add("t2", CachedDto("bob", "MUSIC", b"two"))
    # bob's t2 is not alice's: not served, to be asked of the database (which scopes it)
    assert cache.lookup("alice", ["t1", "t2", "t3"]) == [b"one", None, None]
    assert cache.lookup("alice", ["t1"], "LYRICS") == [HIDDEN]
    assert cache.lookup("carol", ["t1", "t2"]) == [None, None]
    assert cache.lookup("alice", []) == []


def test_finished_entries_are_never_replaced() -> None:
    cache = TerminalDtoCache(max_bytes=1000)
    cache.add("t1", CachedDto("alice", "MUSIC", b"done"))
    cache.add("t1", CachedDto("alice", "MUSIC", b"other"))
    assert cache.lookup("alice", ["t1"]) == [b"done"]


def test_the_first_cached_entries_go_first_when_full() -> None:
    cache = TerminalDtoCache(max_bytes=10)
    for name in ("a", "b", "c"):
        cache.add(name, CachedDto("x", "MUSIC", b"1234"))  # 12 bytes > 10: "a" goes
    assert len(cache) == 2
    assert cache.lookup("x", ["a", "b", "c"]) == [None, b"1234", b"1234"]
    cache.add("d", CachedDto("y", "MUSIC", b"1234"))
    assert cache.lookup("x", ["b", "c"]) == [None, b"1234"]
    assert cache.lookup("y", ["d"]) == [b"1234"]


def test_disabled_cache_keeps_nothing() -> None:
    cache = TerminalDtoCache(max_bytes=0)
    cache.add("a", CachedDto("x", "MUSIC", b"1"))
    assert len(cache) == 0
    assert cache.lookup("x", ["a"]) == [None]


def test_unfinished_dtos_are_forgotten_when_their_tasks_change() -> None:
    cache = LiveDtoCache(max_bytes=1000)
    assert cache.seen is None and not cache.is_at(7)
    cache.restart(7, latest=40)  # the first look: the newest row version is 40
    assert cache.is_at(7) and cache.seen == 40
    cache.add("t1", CachedDto("alice", "MUSIC", b"queued"))
    cache.add("t2", CachedDto("bob", "MUSIC", b"theirs"))
    cache.add("t3", CachedDto("alice", "MUSIC", b"running"))
    assert cache.lookup("alice", ["t1", "t2", "t3", "t4"]) == [b"queued", None, b"running", None]
    assert cache.lookup("alice", ["t1"], "LYRICS") == [HIDDEN]
    # commits moved the database to version 8; t3 and an unkept task changed since
    cache.sync(8, [("t9", 41), ("t3", 42)])
    assert cache.is_at(8) and not cache.is_at(7) and cache.seen == 42
    assert cache.lookup("alice", ["t1", "t3"]) == [b"queued", None]
    assert len(cache) == 2
    cache.sync(9, [])  # commits that changed no task: every entry stays, seen too
    assert cache.is_at(9) and cache.seen == 42
    assert cache.lookup("bob", ["t2"]) == [b"theirs"]


def test_a_restart_forgets_every_unfinished_dto() -> None:
    cache = LiveDtoCache(max_bytes=1000)
    cache.restart(1, latest=0)
    cache.add("t1", CachedDto("alice", "MUSIC", b"queued"))
    cache.restart(5, latest=3_000)  # too many changes to take one by one
    assert len(cache) == 0 and cache.is_at(5) and cache.seen == 3_000
    assert cache.lookup("alice", ["t1"]) == [None]


def test_unfinished_dtos_are_bounded_and_replaced() -> None:
    cache = LiveDtoCache(max_bytes=10)
    assert cache.enabled and not LiveDtoCache(max_bytes=0).enabled
    for name in ("a", "b", "c"):
        cache.add(name, CachedDto("x", "MUSIC", b"1234"))
    assert len(cache) == 2
    cache.add("b", CachedDto("x", "MUSIC", b"12"))
    assert cache.lookup("x", ["a", "b", "c"]) == [None, b"12", b"1234"]
    assert len(cache) == 2
