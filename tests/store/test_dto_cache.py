from __future__ import annotations

from songgate.store.dto_cache import CachedDto, TerminalDtoCache, VersionedDtoCache


def test_lookup_scopes_by_account_and_action() -> None:
    cache = TerminalDtoCache(max_bytes=1000)
    cache.add("t1", CachedDto("alice", "MUSIC", b"one"))
    cache.add("t2", CachedDto("bob", "MUSIC", b"two"))
    found, missing = cache.lookup("alice", ["t1", "t2", "t3"], None)
    assert found == {"t1": b"one"} and missing == ["t3"]  # bob's t2 neither found nor asked
    assert cache.lookup("alice", ["t1"], "LYRICS") == ({}, [])


def test_the_first_cached_entries_go_first_when_full() -> None:
    cache = TerminalDtoCache(max_bytes=10)
    for name in ("a", "b", "c"):
        cache.add(name, CachedDto("x", "MUSIC", b"1234"))  # 12 bytes > 10: "a" goes
    assert len(cache) == 2
    assert cache.lookup("x", ["a", "b", "c"], None)[1] == ["a"]
    cache.add("d", CachedDto("x", "MUSIC", b"1234"))
    assert cache.lookup("x", ["b", "c", "d"], None)[1] == ["b"]


def test_disabled_cache_keeps_nothing() -> None:
    cache = TerminalDtoCache(max_bytes=0)
    cache.add("a", CachedDto("x", "MUSIC", b"1"))
    assert len(cache) == 0


def test_unfinished_dtos_are_served_only_at_the_version_they_were_read() -> None:
    cache = VersionedDtoCache(max_bytes=1000)
    assert cache.lookup(7, "alice", ["t1"], None) == ({}, ["t1"])
    cache.add(7, "t1", CachedDto("alice", "MUSIC", b"queued"))
    cache.add(7, "t2", CachedDto("bob", "MUSIC", b"theirs"))
    assert cache.lookup(7, "alice", ["t1", "t2", "t3"], None) == ({"t1": b"queued"}, ["t3"])
    assert cache.lookup(7, "alice", ["t1"], "LYRICS") == ({}, [])
    # A commit anywhere moves the version on: nothing read before it is served again.
    assert cache.lookup(8, "alice", ["t1"], None) == ({}, ["t1"])
    assert len(cache) == 0
    cache.add(7, "t1", CachedDto("alice", "MUSIC", b"read before the commit"))
    assert len(cache) == 0


def test_unfinished_dtos_are_bounded_and_replaced() -> None:
    cache = VersionedDtoCache(max_bytes=10)
    cache.lookup(1, "x", [], None)
    for name in ("a", "b", "c"):
        cache.add(1, name, CachedDto("x", "MUSIC", b"1234"))
    assert len(cache) == 2
    cache.add(1, "b", CachedDto("x", "MUSIC", b"12"))
    assert cache.lookup(1, "x", ["b", "c"], None) == ({"b": b"12", "c": b"1234"}, [])
