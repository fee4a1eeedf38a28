"""What songgate needs of an upstream protocol, and how upstream trouble is classified."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from songgate.domain.relay import UpstreamTask
from songgate.domain.status import Action
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec

# unavailable: try another channel and count it against this one (connection errors,
#   timeouts, 429, 5xx, refused credentials, answers that make no sense);
# refused: the upstream understood the task and will not do it: the task fails.
Trouble = Literal["unavailable", "refused"]


class UpstreamError(Exception):
    """An upstream call that did not work. ``message`` is safe to store and show.

    ``maybe_accepted``: the upstream may have taken the task even so (it timed out or
    answered nonsense after receiving it); sending it elsewhere may run it twice.
    """

    def __init__(
        self, message: str, *, trouble: Trouble = "unavailable", retry_after: float = 0.0,
        maybe_accepted: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.trouble = trouble
        self.retry_after = retry_after
        self.maybe_accepted = maybe_accepted


@dataclass(frozen=True, slots=True)
class Submission:
    """A task as an upstream is asked to run it.

    ``continue_clip_id`` is already the upstream's own id for the clip the task acts on
    (extends, covers, replaces a span of, adds a part to; for a STEM task, splits), and
    ``source_task`` its id for the task that made that clip ("" when not known).
    """

    action: Action
    spec: MusicSpec | LyricsSpec | StemSpec
    continue_clip_id: str = ""
    source_task: str = ""


class UpstreamAdapter(Protocol):
    # how many upstream ids one status request may carry (1: the protocol has no batch)
    batch_size: int

    async def submit(self, submission: Submission) -> str:
        """Send the task; returns the upstream's task id, or raises :class:`UpstreamError`."""
        ...

    async def fetch(
        self, ids: Sequence[str], actions: Mapping[str, Action]
    ) -> dict[str, UpstreamTask]:
        """Reports for ``ids`` (at most ``batch_size``); ids the upstream left out are absent."""
        ...

    async def check(self) -> str:
        """Ask the upstream something harmless with our key; says what answered."""
        ...

    async def close(self) -> None: ...
