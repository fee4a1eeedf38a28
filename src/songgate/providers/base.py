"""The provider protocol: run one task, report progress, return a result or a classified error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from songgate.domain.clip_files import FileSpec
from songgate.domain.concat import ConcatSpec
from songgate.domain.results import ClipOutput, HandedOff, TaskResult
from songgate.domain.status import Action
from songgate.domain.stems import StemSpec
from songgate.domain.submit import LyricsSpec, MusicSpec
from songgate.lyrics.writer import LyricsWriter, OfflineWriter
from songgate.media.base import MediaBackend

if TYPE_CHECKING:
    from songgate.providers.relay.context import RelayContext


@dataclass(frozen=True, slots=True)
class ProviderTask:
    """What a provider needs to know of a task; clip ids are fixed at submission."""

    id: str
    action: Action
    spec: MusicSpec | LyricsSpec | ConcatSpec | FileSpec | StemSpec
    clip_ids: tuple[str, ...]
    attempt: int


@dataclass(frozen=True, slots=True)
class ProviderContext:
    """What songgate offers a provider when it is built.

    ``media`` is the process's one media store, shared with the API, so what a
    provider publishes is served wherever the store is (a directory or a bucket).
    """

    media: MediaBackend
    writer: LyricsWriter = field(default_factory=OfflineWriter)
    relay: RelayContext | None = None  # channels and upstream jobs, where tasks run
    # The process's provider instances by name, for a provider that hands tasks on to
    # another (the registry fills it in), so both share one instance and its limits.
    providers: Callable[[str], Provider] | None = None


class ProgressSink(Protocol):
    """Called with the fraction done (0..1) and the clips finished so far.

    Writes are throttled by the worker, except when a clip has just finished:
    a finished clip shows as ``complete`` with its URLs while the rest stream.
    """

    async def __call__(self, fraction: float, finished: Sequence[ClipOutput] = ()) -> None: ...


@runtime_checkable
class Provider(Protocol):
    async def run(self, task: ProviderTask, progress: ProgressSink) -> TaskResult | HandedOff:
        """Produce the result, or raise :class:`songgate.errors.ProviderError`.

        A provider that sends the task elsewhere returns :class:`HandedOff`: the
        worker lets the task go and the relay poller follows it from then on.

        Raise ``RetryableProviderError`` when running again may succeed and
        ``FinalProviderError`` when it cannot; any other exception is treated
        as retryable and its details are kept out of the task.
        """
        ...

    async def close(self) -> None: ...


ProviderFactory = Callable[[ProviderContext], Provider]
