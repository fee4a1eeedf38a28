"""The child process that renders one clip: ``python -m songgate.providers.local_job``.

Reads a :class:`~songgate.providers.render_job.RenderJob` on stdin and writes
progress, then a result or a failure, on stdout (the format is render_job's).
Running each render in its own process keeps the worker's event loop free, bounds
memory per render, and lets a cancelled task's render be killed outright.
"""

from __future__ import annotations

import sys

from songgate.engine.added_song import make_added_song
from songgate.engine.song import SongFiles, make_song
from songgate.providers.render_job import (
    RenderFailure,
    RenderJob,
    RenderMessage,
    RenderProgress,
    RenderResult,
    RenderStream,
    job_from_json,
    to_line,
)


def _emit(item: RenderMessage) -> None:
    sys.stdout.write(to_line(item))
    sys.stdout.flush()


def _result(files: SongFiles) -> RenderResult:
    return RenderResult(
        mp3=files.mp3, wav=files.wav, midi=files.midi, cover=files.cover,
        cover_large=files.cover_large, video=files.video, duration=files.duration,
        title=files.title, style=files.style.describe(), renderer=files.renderer,
        sung=files.sung, stage_seconds=files.stage_seconds, timing=files.timing,
        stems=files.stems,
    )


def run(job: RenderJob) -> RenderResult:
    make = make_song if job.song.added_part is None else make_added_song  # a part for an upload
    files = make(
        job.song, job.out_dir, stem=job.stem,
        progress=lambda stage, fraction: _emit(RenderProgress(stage, fraction)),
        stream=lambda path: _emit(RenderStream(path)),
    )
    return _result(files)


def main() -> None:
    try:
        _emit(run(job_from_json(sys.stdin.buffer.read())))
    except Exception as error:  # reported to the parent, which decides what the client sees
        _emit(RenderFailure.of(error))
        sys.exit(1)


if __name__ == "__main__":
    main()
