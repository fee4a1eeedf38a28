"""What crosses the boundary to a render child, typed, and the one place it becomes JSON.

The local provider writes a :class:`RenderJob` to the child's stdin as one JSON
object: the song request's fields, then ``out_dir`` and ``stem``. The child answers
with JSON lines: ``{"stage", "fraction"}`` as the work goes on, ``{"stream": {"path"}}``
when a playable MP3 of the song so far is ready (the parent takes the file), then
``{"result": {...}}`` or ``{"error": {...}}`` (with the errno of an OSError, so a
full disk can be told apart). Both sides read and write them only here, and the
JSON follows the dataclasses' fields, so a field added to :class:`SongRequest`
crosses without being named again.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from songgate.engine.request import SongRequest

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")

_PLAIN = (str, int, float, bool)


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One clip to render: the song, and where its files go (``<out_dir>/<stem>.*``)."""

    song: SongRequest
    out_dir: Path
    stem: str


@dataclass(frozen=True, slots=True)
class RenderProgress:
    stage: str  # the stage just finished
    fraction: float  # of the song done


@dataclass(frozen=True, slots=True)
class RenderStream:
    """An MP3 of the song so far (its first bars, then up to each section's end, then the
    whole song) for the clip's stream;
    the parent takes the file (publishing moves it)."""

    path: Path


@dataclass(frozen=True, slots=True)
class RenderResult:
    """The files of a rendered clip and what the worker logs and publishes of it."""

    mp3: Path
    wav: Path
    midi: Path
    cover: Path
    cover_large: Path
    video: Path | None  # None when no video encoder is installed
    duration: float  # seconds of real audio
    title: str
    style: str  # the style as the engine describes it
    renderer: str
    sung: bool
    stage_seconds: dict[str, float]
    timing: Path | None = None  # the sung words' times and a waveform (JSON)
    stems: dict[str, Path] = dataclasses.field(default_factory=dict)  # FLAC per stem name


@dataclass(frozen=True, slots=True)
class RenderFailure:
    """Why the child could not render; the parent decides what the client is told."""

    type: str
    detail: str
    errno: int | None  # of an OSError: a full or read-only disk is said so

    @classmethod
    def of(cls, error: Exception) -> RenderFailure:
        return cls(type=type(error).__name__, detail=str(error)[:500],
                   errno=error.errno if isinstance(error, OSError) else None)


RenderMessage = RenderProgress | RenderStream | RenderResult | RenderFailure


def job_to_json(job: RenderJob) -> bytes:
    return orjson.dumps({**_fields(job.song), "out_dir": str(job.out_dir), "stem": job.stem})


def job_from_json(data: bytes) -> RenderJob:
    raw = orjson.loads(data)
    return RenderJob(song=_read(SongRequest, raw), out_dir=Path(raw["out_dir"]),
                     stem=raw["stem"])


def message(item: RenderMessage) -> dict[str, Any]:
    """The JSON object a child writes for ``item`` (also what the worker logs of it)."""
    if isinstance(item, RenderProgress):
        return _fields(item)
    if isinstance(item, RenderStream):
        return {"stream": _fields(item)}
    return {"result" if isinstance(item, RenderResult) else "error": _fields(item)}


def to_line(item: RenderMessage) -> str:
    return orjson.dumps(message(item)).decode() + "\n"


def from_line(line: bytes) -> RenderMessage:
    found = orjson.loads(line)
    if "fraction" in found:
        return _read(RenderProgress, found)
    if "stream" in found:
        return _read(RenderStream, found["stream"])
    if "result" in found:
        return _read(RenderResult, found["result"])
    if "error" in found:
        return _read(RenderFailure, found["error"])
    raise ValueError(f"a render child wrote a line of no known kind: {sorted(found)}")


def _fields(record: DataclassInstance) -> dict[str, Any]:
    """A dataclass as JSON-ready values, field by field."""
    return {field.name: _plain(getattr(record, field.name))
            for field in dataclasses.fields(record)}


def _read(kind: type[Record], value: dict[str, Any]) -> Record:
    """A dataclass from JSON, field by field; a field left out keeps its default."""
    hints = typing.get_type_hints(kind)
    return kind(**{field.name: _typed(hints[field.name], value[field.name])
                   for field in dataclasses.fields(kind) if field.name in value})


def _plain(value: Any) -> Any:
    """A value as JSON-ready values: dataclasses field by field, paths as strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _typed(hint: Any, value: Any) -> Any:
    """``value`` read from JSON as ``hint``: a dataclass, a path, ``X | None``,
    ``dict[str, X]`` or a plain value; any other type is refused, never guessed."""
    if value is None:
        return None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _read(hint, value)
    if hint is Path:
        return Path(value)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _typed(next(arg for arg in args if arg is not type(None)), value)
    if origin is dict and args[0] is str:
        return {key: _typed(args[1], item) for key, item in value.items()}
    if hint in _PLAIN:
        return value
    raise TypeError(f"a render job cannot carry a {hint!r}")
