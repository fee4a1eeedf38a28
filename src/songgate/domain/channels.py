"""Channels: the places a task can run, and how one is chosen for it.

A channel is the offline engine (protocol ``local``) or an upstream
Suno-compatible service. Routing is pure: among enabled, healthy channels that
allow the task's action and model and have room, higher ``priority`` goes first
and channels of equal priority are ordered at random in proportion to their
``weight``. A channel that keeps failing is taken out of rotation for a cooling
period (a circuit breaker); its state lives with the channel so every node sees it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.status import Action

Protocol = Literal["local", "suno-task", "sunoapi-v1"]
PROTOCOLS: tuple[Protocol, ...] = ("local", "suno-task", "sunoapi-v1")

MediaMode = Literal["copy", "link"]
MEDIA_MODES: tuple[MediaMode, ...] = ("copy", "link")

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MAX_KEY_LENGTH = 512
MAX_REASON_LENGTH = 300


# The actions a channel can be asked to make (the rest are made here, never routed).
ROUTED_ACTIONS = frozenset({Action.MUSIC, Action.LYRICS})
# The protocols that can ask their upstream for the stems of a clip it made.
STEM_PROTOCOLS: frozenset[Protocol] = frozenset({"suno-task", "sunoapi-v1"})


class ChannelError(ValueError):
    """A channel definition that cannot be used; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Health:
    """A channel's circuit breaker: failures in a row, and until when it rests."""

    failures: int = 0
    open_until: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0

    def is_open(self, now: float) -> bool:
        return self.open_until > now


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    protocol: Protocol
    base_url: str = ""
    key: str = ""
    priority: int = 0
    weight: int = 1
    enabled: bool = True
    actions: frozenset[Action] = ROUTED_ACTIONS
    models: frozenset[str] = frozenset()  # empty: every model
    max_in_flight: int = 0  # 0: no limit
    media: MediaMode = "copy"
    trusted: bool = False  # its media may come from private addresses (the operator's own)
    health: Health = field(default_factory=Health)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ChannelError(
                f"channel name {self.name!r}: use 1-64 lower-case letters, digits, '.', '_', '-'"
            )
        if self.protocol not in PROTOCOLS:
            raise ChannelError(
                f"channel {self.name}: protocol must be one of {', '.join(PROTOCOLS)}"
            )
        if self.protocol != "local":
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ChannelError(f"channel {self.name}: base_url must be an http(s) URL")
            if parts.query or parts.fragment:
                raise ChannelError(f"channel {self.name}: base_url cannot carry a query")
        if len(self.key) > MAX_KEY_LENGTH or any(c in self.key for c in "\r\n"):
            raise ChannelError(f"channel {self.name}: key is too long or has line breaks")
        if not 1 <= self.weight <= 1000:
            raise ChannelError(f"channel {self.name}: weight must be 1..1000")
        if not -1000 <= self.priority <= 1000:
            raise ChannelError(f"channel {self.name}: priority must be -1000..1000")
        if self.max_in_flight < 0:
            raise ChannelError(f"channel {self.name}: max_in_flight must be 0 (no limit) or more")
        if not self.actions:
            raise ChannelError(f"channel {self.name}: allow at least one action")
        unknown = sorted(self.models - set(MODEL_VERSIONS))
        if unknown:
            raise ChannelError(
                f"channel {self.name}: unknown models {', '.join(unknown)}; "
                f"accepted: {', '.join(MODEL_VERSIONS)}"
            )
        if self.media not in MEDIA_MODES:
            raise ChannelError(f"channel {self.name}: media must be copy or link")

    @property
    def is_relay(self) -> bool:
        return self.protocol != "local"

    @property
    def masked_key(self) -> str:
        return mask_key(self.key)

    def allows(self, action: Action, mv: str) -> bool:
        if action not in self.actions:
            return False
        return action is Action.LYRICS or not self.models or mv in self.models

    def has_room(self, in_flight: int) -> bool:
        return self.max_in_flight == 0 or in_flight < self.max_in_flight


LOCAL_CHANNEL = Channel(name="local", protocol="local")


def mask_key(key: str) -> str:
    """Enough of a key to recognise it, never enough to use it."""
    if not key:
        return ""
    if len(key) <= 8:
        return "****"
    return f"{key[:3]}…{key[-4:]}"


def parse_actions(text: str) -> frozenset[Action]:
    actions = set()
    for item in filter(None, (part.strip() for part in text.split(","))):
        action = Action.parse(item)
        if action is None:
            raise ChannelError(f"unknown action {item!r}: use MUSIC, LYRICS or both")
        actions.add(action)
    return frozenset(actions) or ROUTED_ACTIONS


def parse_models(text: str) -> frozenset[str]:
    return frozenset(filter(None, (part.strip() for part in text.split(","))))


def ordered_candidates(
    channels: Iterable[Channel],
    action: Action,
    mv: str,
    *,
    now: float,
    in_flight: Mapping[str, int],
    rng: random.Random | None = None,
) -> list[Channel]:
    """The channels to try for a task, best first (see the module docstring)."""
    rng = rng or random.Random()
    usable = [
        channel for channel in channels
        if channel.enabled and channel.allows(action, mv)
        and not channel.health.is_open(now)
        and channel.has_room(in_flight.get(channel.name, 0))
    ]
    # Weighted random order within a priority: key u^(1/w), largest first.
    keyed = [(-c.priority, -(rng.random() ** (1.0 / c.weight)), c.name, c) for c in usable]
    return [item[3] for item in sorted(keyed)]


def any_channel_for(channels: Sequence[Channel], action: Action, mv: str) -> bool:
    """Whether some enabled channel would take such a task (health aside: it may recover)."""
    return any(c.enabled and c.allows(action, mv) for c in channels)


def after_failure(
    health: Health, reason: str, *, now: float, threshold: int, cooldown: float,
    retry_after: float = 0.0,
) -> Health:
    """The breaker after one more failure: open once ``threshold`` failures come in a row.

    An upstream that asks us to wait (``Retry-After``) rests at least that long.
    """
    failures = health.failures + 1
    open_until = health.open_until
    if failures >= threshold:
        open_until = max(open_until, now + cooldown)
    if retry_after > 0:
        open_until = max(open_until, now + retry_after)
    return Health(failures=failures, open_until=open_until,
                  last_error=reason[:MAX_REASON_LENGTH], last_error_at=now)



_FIELDS = {"name", "protocol", "base_url", "key", "key_env", "priority", "weight", "enabled",
           "actions", "models", "max_in_flight", "media", "trusted"}


def channel_from_mapping(raw: Mapping[str, object], environ: Mapping[str, str]) -> Channel:
    """A channel from one table of a channels file; ``key_env`` names a variable holding the key.

    Raises :class:`ChannelError` naming the channel and the field at fault.
    """
    name = str(raw.get("name", ""))
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise ChannelError(f"channel {name or '?'}: unknown fields {', '.join(unknown)}")
    key = raw.get("key", "")
    if "key_env" in raw:
        variable = str(raw["key_env"])
        if variable not in environ:
            raise ChannelError(f"channel {name}: key_env {variable} is not set")
        key = environ[variable]

    def listed(field_name: str) -> str:
        value = raw.get(field_name, [])
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return ",".join(value)
        raise ChannelError(f"channel {name}: {field_name} must be a list of strings")

    def number(field_name: str, default: int) -> int:
        value = raw.get(field_name, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ChannelError(f"channel {name}: {field_name} must be a whole number")
        return value

    enabled, trusted = raw.get("enabled", True), raw.get("trusted", False)
    if not isinstance(enabled, bool) or not isinstance(trusted, bool):
        raise ChannelError(f"channel {name}: enabled and trusted must be true or false")
    return Channel(
        name=name, protocol=str(raw.get("protocol", "")),  # type: ignore[arg-type]
        base_url=str(raw.get("base_url", "")), key=str(key),
        priority=number("priority", 0), weight=number("weight", 1), enabled=enabled,
        actions=parse_actions(listed("actions")), models=parse_models(listed("models")),
        max_in_flight=number("max_in_flight", 0),
        media=str(raw.get("media", "copy")),  # type: ignore[arg-type]
        trusted=trusted,
    )
