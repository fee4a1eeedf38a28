"""Task and clip statuses, and the one table of allowed task transitions."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


def parse_name(kind: type[E], text: str) -> E | None:
    """The member of ``kind`` named by ``text`` in any ASCII case, or None.

    ASCII only: ``str.upper`` also maps some other letters onto ASCII ones (U+017F to "S").
    """
    if not text.isascii():
        return None
    try:
        return kind(text.upper())
    except ValueError:
        return None


class Action(StrEnum):
    MUSIC = "MUSIC"
    LYRICS = "LYRICS"
    CONCAT = "CONCAT"  # an extension chain as one clip
    UPLOAD = "UPLOAD"  # a client's own audio as a clip (made at once, never run)
    FILE = "FILE"  # a clip's WAV, MP4 or MIDI made on demand (domain/clip_files.py)
    STEM = "STEM"  # a clip's parts as clips (a music submit's task "gen_stem")

    @classmethod
    def names(cls) -> str:
        """The actions as an error message lists them: "MUSIC, LYRICS, ... or STEM"."""
        values = [action.value for action in cls]
        return ", ".join(values[:-1]) + " or " + values[-1]

    @classmethod
    def parse(cls, text: str) -> Action | None:
        """The action named by ``text`` in any ASCII case, or None."""
        return parse_name(cls, text)


def makes_clips(action: Action) -> bool:
    """Whether the action's task data is a list of clips (else the lyrics object)."""
    return action not in (Action.LYRICS, Action.FILE)


def action_key(action: Action, mv: str = "") -> str:
    """``MUSIC/chirp-auk`` or ``MUSIC``: how settings name an action, or an action and model."""
    return f"{action.value}/{mv}" if mv else action.value


def parse_action_key(key: str, what: str) -> str:
    """The canonical form of a settings key such as ``music/chirp-auk``.

    Raises :class:`ValueError` naming ``what`` (a route, a price) when the action is unknown.
    """
    action_text, _, mv = key.partition("/")
    action = Action.parse(action_text)
    if action is None:
        raise ValueError(f"{what} {key!r}: the action must be {Action.names()}")
    return action_key(action, mv)


class TaskStatus(StrEnum):
    NOT_START = "NOT_START"
    SUBMITTED = "SUBMITTED"
    QUEUED = "QUEUED"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"
    UNKNOWN = "UNKNOWN"


class ClipStatus(StrEnum):
    """Suno's own clip statuses, as clients read them."""

    SUBMITTED = "submitted"
    QUEUED = "queued"
    STREAMING = "streaming"
    COMPLETE = "complete"
    ERROR = "error"


class LyricsStatus(StrEnum):
    SUBMITTED = "submitted"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETE = "complete"
    ERROR = "error"


TERMINAL: frozenset[TaskStatus] = frozenset({TaskStatus.SUCCESS, TaskStatus.FAILURE})

# Statuses in which a worker holds the task under a lease.
RUNNING: frozenset[TaskStatus] = frozenset({TaskStatus.QUEUED, TaskStatus.IN_PROGRESS})

# SUBMITTED: acknowledged and committed, waiting for a worker.
# QUEUED: claimed by a worker and handed to its provider, not started yet.
# IN_PROGRESS: the provider is producing the result and reports progress.
# A running task goes back to SUBMITTED when its worker shuts down or loses it.
# UNKNOWN: an upstream service said so of a relayed task (songgate never invents it).
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.NOT_START: frozenset({TaskStatus.SUBMITTED, TaskStatus.FAILURE}),
    TaskStatus.SUBMITTED: frozenset({TaskStatus.QUEUED, TaskStatus.FAILURE}),
    TaskStatus.QUEUED: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUCCESS, TaskStatus.FAILURE, TaskStatus.SUBMITTED,
         TaskStatus.UNKNOWN}
    ),
    TaskStatus.IN_PROGRESS: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUCCESS, TaskStatus.FAILURE, TaskStatus.SUBMITTED,
         TaskStatus.UNKNOWN}
    ),
    TaskStatus.UNKNOWN: frozenset(
        {TaskStatus.IN_PROGRESS, TaskStatus.SUCCESS, TaskStatus.FAILURE, TaskStatus.SUBMITTED}
    ),
    TaskStatus.SUCCESS: frozenset(),
    TaskStatus.FAILURE: frozenset(),
}

# How each task status shows on the task's clips (MUSIC) or lyrics (LYRICS).
CLIP_STATUS: dict[TaskStatus, ClipStatus] = {
    TaskStatus.NOT_START: ClipStatus.SUBMITTED,
    TaskStatus.SUBMITTED: ClipStatus.SUBMITTED,
    TaskStatus.QUEUED: ClipStatus.QUEUED,
    TaskStatus.IN_PROGRESS: ClipStatus.STREAMING,
    TaskStatus.UNKNOWN: ClipStatus.QUEUED,
    TaskStatus.SUCCESS: ClipStatus.COMPLETE,
    TaskStatus.FAILURE: ClipStatus.ERROR,
}

LYRICS_STATUS: dict[TaskStatus, LyricsStatus] = {
    TaskStatus.NOT_START: LyricsStatus.SUBMITTED,
    TaskStatus.SUBMITTED: LyricsStatus.SUBMITTED,
    TaskStatus.QUEUED: LyricsStatus.QUEUED,
    TaskStatus.IN_PROGRESS: LyricsStatus.RUNNING,
    TaskStatus.UNKNOWN: LyricsStatus.QUEUED,
    TaskStatus.SUCCESS: LyricsStatus.COMPLETE,
    TaskStatus.FAILURE: LyricsStatus.ERROR,
}


def can_transition(current: TaskStatus, target: TaskStatus) -> bool:
    return target in TRANSITIONS[current]
