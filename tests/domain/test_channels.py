"""Channel definitions, routing order and the circuit breaker (pure rules)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from songgate.domain.channels import (
    ROUTED_ACTIONS,
    Channel,
    ChannelError,
    Health,
    after_failure,
    any_channel_for,
    channel_from_mapping,
    mask_key,
    ordered_candidates,
    parse_actions,
)
from songgate.domain.status import Action


def relay(name: str, **changes: object) -> Channel:
    values: dict[str, object] = {"protocol": "suno-task", "base_url": "http://up.example"}
    values.update(changes)
    return Channel(name=name, **values)  # type: ignore[arg-type]


def names(channels: list[Channel]) -> list[str]:
    return [c.name for c in channels]


def test_priority_first_then_only_usable_channels() -> None:
    channels = [
        relay("low", priority=1),
        relay("high", priority=9),
        relay("off", priority=20, enabled=False),
        relay("lyrics-only", priority=30, actions=frozenset({Action.LYRICS})),
        relay("auk-only", priority=40, models=frozenset({"chirp-auk"})),
        relay("resting", priority=50, health=Health(failures=3, open_until=200.0)),
        relay("full", priority=60, max_in_flight=2),
    ]
    order = ordered_candidates(channels, Action.MUSIC, "chirp-v4", now=100.0,
                               in_flight={"full": 2})
    assert names(order) == ["high", "low"]
    # the breaker closes by itself once the cooling period is over
    later = ordered_candidates(channels, Action.MUSIC, "chirp-auk", now=300.0, in_flight={})
    assert names(later) == ["full", "resting", "auk-only", "high", "low"]
    lyrics = ordered_candidates(channels, Action.LYRICS, "", now=300.0, in_flight={"full": 5})
    assert names(lyrics) == ["resting", "auk-only", "lyrics-only", "high", "low"]


def test_weights_share_first_place_in_proportion() -> None:
    channels = [relay("a", weight=1), relay("b", weight=3)]
    rng = random.Random(7)
    firsts = Counter(
        ordered_candidates(channels, Action.MUSIC, "chirp-v4", now=0, in_flight={}, rng=rng)[0].name
        for _ in range(4000)
    )
    assert 0.70 < firsts["b"] / 4000 < 0.80  # expected 0.75


def test_breaker_opens_after_threshold_and_honours_retry_after() -> None:
    health = Health()
    for n in range(2):
        health = after_failure(health, "boom", now=10.0, threshold=3, cooldown=60)
        assert not health.is_open(10.0), n
    health = after_failure(health, "boom", now=10.0, threshold=3, cooldown=60)
    assert health.is_open(69.0) and not health.is_open(70.0)
    assert health.last_error == "boom" and health.failures == 3
    waited = after_failure(Health(), "429", now=0.0, threshold=3, cooldown=60, retry_after=7)
    assert waited.is_open(6.9) and not waited.is_open(7.0)


def test_any_channel_ignores_health_but_not_switches() -> None:
    resting = relay("r", health=Health(open_until=1e12))
    assert any_channel_for([resting], Action.MUSIC, "chirp-v4")
    assert not any_channel_for([relay("off", enabled=False)], Action.MUSIC, "chirp-v4")
    assert not any_channel_for([relay("m", models=frozenset({"chirp-auk"}))],
                               Action.MUSIC, "chirp-v4")


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "Upper"}, "name"),
    ({"protocol": "grpc"}, "protocol"),
    ({"base_url": "ftp://x"}, "base_url"),
    ({"base_url": "http://x/?a=1"}, "query"),
    ({"weight": 0}, "weight"),
    ({"priority": 5000}, "priority"),
    ({"max_in_flight": -1}, "max_in_flight"),
    ({"models": frozenset({"chirp-v9"})}, "chirp-v9"),
    ({"media": "mirror"}, "media"),
    ({"key": "a\nb"}, "key"),
])
def test_bad_definitions_say_which_field(changes: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"name": "ok", "protocol": "suno-task",
                                 "base_url": "http://up.example"}
    values.update(changes)
    with pytest.raises(ChannelError, match=field):
        Channel(**values)  # type: ignore[arg-type]


def test_local_channel_needs_no_url() -> None:
    assert not Channel(name="local", protocol="local").is_relay


def test_keys_are_masked() -> None:
    assert mask_key("sk-abcdefghijkl1234") == "sk-…1234"
    assert mask_key("short") == "****"
    assert mask_key("") == ""
    assert "abcdefghijkl" not in relay("x", key="sk-abcdefghijkl1234").masked_key


def test_file_tables_read_keys_from_the_environment() -> None:
    channel = channel_from_mapping(
        {"name": "up", "protocol": "sunoapi-v1", "base_url": "https://api.example",
         "key_env": "UP_KEY", "actions": ["MUSIC"], "models": ["chirp-v4", "chirp-auk"],
         "priority": 3, "weight": 2, "max_in_flight": 10, "media": "link"},
        {"UP_KEY": "sk-from-env"},
    )
    assert channel.key == "sk-from-env"
    assert channel.actions == frozenset({Action.MUSIC})
    assert channel.models == frozenset({"chirp-v4", "chirp-auk"})
    with pytest.raises(ChannelError, match="UP_KEY is not set"):
        channel_from_mapping({"name": "up", "protocol": "suno-task",
                              "base_url": "http://x", "key_env": "UP_KEY"}, {})
    with pytest.raises(ChannelError, match="unknown fields colour"):
        channel_from_mapping({"name": "up", "protocol": "local", "colour": "red"}, {})
    with pytest.raises(ChannelError, match="priority must be a whole number"):
        channel_from_mapping({"name": "up", "protocol": "local", "priority": "1"}, {})


def test_a_file_table_may_mark_a_channel_trusted() -> None:
    base = {"name": "up", "protocol": "suno-task", "base_url": "http://10.0.0.5"}
    assert channel_from_mapping({**base, "trusted": True}, {}).trusted
    assert not channel_from_mapping(base, {}).trusted
    with pytest.raises(ChannelError, match="trusted must be true or false"):
        channel_from_mapping({**base, "trusted": "yes"}, {})


def test_a_channel_without_an_action_list_is_asked_for_music_and_lyrics_only() -> None:
    # The store keeps the list in 32 characters; actions made here are never routed.
    channel = relay("up")
    assert channel.actions == ROUTED_ACTIONS == frozenset({Action.MUSIC, Action.LYRICS})
    assert parse_actions("") == ROUTED_ACTIONS
    assert not channel.allows(Action.UPLOAD, "chirp-v4")
