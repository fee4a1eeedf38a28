"""The audio a song is made from, read once and listened to once per task.

A cover, an extension of an upload, a replaced span and an added part all start from
a song's WAV. :func:`source_of` reads the one a request names (its channels made two)
and :meth:`SourceAudio.analysis` listens to it (``engine/listen``): the whole song, or
its first seconds, with a vocal stem for the tune or without. Each pipeline takes what
it needs of the one :class:`SourceAudio`: the samples it keeps, and the analysis.

The two clips of a task render in two child processes. When the request names a
folder the task's clips share (``SongRequest.listened_in``), an analysis is kept there
under a name made of the source file's path, size and modification time and of what
was heard of it; the first child to need it listens while holding a lock on that name,
the other waits and reads it. Without such a folder, or when it cannot be written,
each child listens for itself, to the same effect.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from songgate.engine.encode.atomic import atomic_path
from songgate.engine.listen import Analysis, listen
from songgate.engine.request import SongRequest

Audio = npt.NDArray[np.float32]
KEPT_SUFFIX = ".listened"


@dataclass(frozen=True, slots=True)
class SourceAudio:
    path: Path
    audio: Audio  # (frames, 2) float32, as the file holds it (one channel doubled)
    rate: int
    keep_in: Path | None = None  # where the task's clips share what was heard of it

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.rate

    def at_rate(self, sample_rate: int, what: str) -> Audio:
        """The samples, when they are at ``sample_rate`` (``what`` names the song)."""
        if self.rate != sample_rate:
            raise ValueError(f"{what} is at {self.rate} Hz, not {sample_rate} Hz")
        return self.audio

    def analysis(self, *, until: float | None = None, melody: Path | None = None) -> Analysis:
        """What listening hears in the song (up to ``until`` seconds when given); the
        tune is read from ``melody`` (a vocal stem at the song's rate) when it holds sound."""
        heard = self.audio if until is None else self.audio[: round(until * self.rate)]
        tune = _melody(melody, self.rate)
        if self.keep_in is None:
            return listen(heard, self.rate, melody_audio=tune)
        kept = self.keep_in / (_kept_name(self.path, until, melody if tune is not None else None))
        with _locked(kept):
            found = _read_kept(kept)
            if found is not None:
                return found
            analysis = listen(heard, self.rate, melody_audio=tune)
            with contextlib.suppress(OSError), atomic_path(kept) as partial:
                partial.write_bytes(pickle.dumps(analysis))
            return analysis


def read_source(path: Path, keep_in: Path | None = None) -> SourceAudio:
    audio, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return SourceAudio(path, stereo(audio), int(rate), keep_in)


def source_of(request: SongRequest) -> SourceAudio | None:
    """The audio ``request`` is made from, read once: the upload it continues, the song
    whose span it replaces, the song it covers or the upload it adds a part to; None for
    a song of its own or an extension of an engine clip (which reads its head itself)."""
    heard = request.continuation is not None and request.continuation.heard
    path = (request.continuation.source_wav if heard and request.continuation is not None
            else request.infill.source_wav if request.infill is not None
            else request.cover.source_wav if request.cover is not None
            else request.added_part.source_wav if request.added_part is not None
            else None)
    return None if path is None else read_source(Path(path), request.listened_in)


def stereo(audio: npt.NDArray[np.float32]) -> Audio:
    if audio.shape[1] == 1:
        return np.repeat(audio, 2, axis=1)
    return np.ascontiguousarray(audio[:, :2], dtype=np.float32)


def _melody(path: Path | None, rate: int) -> npt.NDArray[np.float32] | None:
    if path is None or not path.is_file():
        return None
    stem, stem_rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return stem if stem_rate == rate and np.any(stem) else None


def _kept_name(path: Path, until: float | None, melody: Path | None) -> str:
    """A name for what was heard of ``path``: it changes with the file and with the view."""
    parts = [_identity(path), "whole" if until is None else f"{until:.6f}"]
    if melody is not None:
        parts.append(_identity(melody))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + KEPT_SUFFIX


def _identity(path: Path) -> str:
    found = path.stat()
    return f"{path.resolve()}|{found.st_size}|{found.st_mtime_ns}"


def _read_kept(path: Path) -> Analysis | None:
    """The analysis kept at ``path`` (written by this engine into the task's own scratch)."""
    try:
        found = pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    return found if isinstance(found, Analysis) else None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Held by one child at a time (no lock when the folder cannot hold one)."""
    try:
        handle = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
