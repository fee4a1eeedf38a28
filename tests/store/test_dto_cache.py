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


def test_unfinished_dtos_are_served_as_they_are_only_at_the_version_they_were_read() -> None:
    cache = LiveDtoCache(max_bytes=1000)
    assert cache.lookup(7, "alice", ["t1"]) == [None]
    cache.add(7, "t1", CachedDto("alice", "MUSIC", b"queued", 3))
    cache.add(7, "t2", CachedDto("bob", "MUSIC", b"theirs", 1))
    assert cache.lookup(7, "alice", ["t1", "t2", "t3"]) == [b"queued", None, None]
    assert cache.lookup(7, "alice", ["t1"], "LYRICS") == [HIDDEN]
    # A commit anywhere moves the version on: nothing is served unchecked ...
    assert cache.lookup(8, "alice", ["t1"]) == [None]
    # ... but every entry is kept, with its row's version, to be checked
    assert cache.kept("alice", ["t1", "t2", "t3"]) == {
        "t1": CachedDto("alice", "MUSIC", b"queued", 3)}
    assert len(cache) == 2
    # one read at the old version is kept, never served unchecked at the new one
    cache.add(7, "t3", CachedDto("alice", "MUSIC", b"read before the commit", 1))
    assert cache.lookup(8, "alice", ["t3"]) == [None]
    # one found current at the new version is served as it is until the next commit
    cache.add(8, "t1", CachedDto("alice", "MUSIC", b"queued", 3))
    assert cache.lookup(8, "alice", ["t1", "t3"]) == [b"queued", None]
    assert cache.lookup(9, "alice", ["t1"]) == [None]


def test_unfinished_dtos_are_bounded_and_replaced() -> None:
    cache = LiveDtoCache(max_bytes=10)
    cache.lookup(1, "x", [])
    for name in ("a", "b", "c"):
        cache.add(1, name, CachedDto("x", "MUSIC", b"1234"))
    assert len(cache) == 2
    cache.add(1, "b", CachedDto("x", "MUSIC", b"12", 2))
    assert cache.lookup(1, "x", ["b", "c"]) == [b"12", b"1234"]
    assert cache.kept("x", ["a", "b"]) == {"b": CachedDto("x", "MUSIC", b"12", 2)}
    assert len(cache) == 2
