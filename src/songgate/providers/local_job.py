"""The child process that renders one clip: ``python -m songgate.providers.local_job``.

Reads a JSON job on stdin and writes JSON lines on stdout: ``{"stage", "fraction"}``
as the work goes on, then ``{"result": {...}}`` or ``{"error": {...}}`` (with the
errno of an OSError, so a full disk can be told apart). Running each render in its
own process keeps the worker's event loop free, bounds memory per render, and lets
a cancelled task's render be killed outright.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson

from songgate.engine.extend import Continuation
from songgate.engine.song import SongRequest, make_song

JOB_FIELDS = ("lyrics", "tags", "negative_tags", "title", "instrumental", "max_seconds",
              "seed", "subtitle", "style_seed")


def _emit(message: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(message).decode() + "\n")
    sys.stdout.flush()


def run(job: dict[str, Any]) -> dict[str, Any]:
    fields = {name: job[name] for name in JOB_FIELDS if name in job}
    if job.get("continuation"):
        source = job["continuation"]
        fields["continuation"] = Continuation(Path(source["source_wav"]), source["continue_at"])
    request = SongRequest(**fields)
    files = make_song(
        request, Path(job["out_dir"]), stem=job["stem"],
        progress=lambda stage, fraction: _emit({"stage": stage, "fraction": fraction}),
    )
    return {
        "mp3": str(files.mp3), "wav": str(files.wav), "midi": str(files.midi),
        "cover": str(files.cover), "cover_large": str(files.cover_large),
        "video": str(files.video) if files.video else None,
        "duration": files.duration, "title": files.title, "style": files.style.describe(),
        "renderer": files.renderer, "sung": files.sung, "stage_seconds": files.stage_seconds,
    }


def main() -> None:
    try:
        job = orjson.loads(sys.stdin.buffer.read())
        _emit({"result": run(job)})
    except Exception as error:  # reported to the parent, which decides what the client sees
        _emit({"error": {"type": type(error).__name__, "detail": str(error)[:500],
                         "errno": error.errno if isinstance(error, OSError) else None}})
        sys.exit(1)


if __name__ == "__main__":
    main()
