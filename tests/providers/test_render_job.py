"""The render child's job and answers survive the trip through JSON, every field of them."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from songgate.domain.submit import parse_music
from songgate.engine.request import SongRequest
from songgate.providers.local import Source, Words, clip_seed, song_job
from songgate.providers.render_job import (
    RenderFailure,
    RenderJob,
    RenderProgress,
    RenderResult,
    RenderStream,
    _typed,
    from_line,
    job_from_json,
    job_to_json,
    to_line,
)

WORDS = Words(lyrics="[Verse]\nla la", tags="folk", title="Song", instrumental=False)


def test_a_job_comes_back_as_it_went() -> None:
    clip_id = str(uuid.uuid4())
    spec = parse_music({"prompt": "la", "tags": "folk", "mv": "chirp-v3-0"})
    job = song_job(spec, WORDS, clip_id, Path("/work/out"))
    assert job_from_json(job_to_json(job)) == job
    assert job.song.seed == job.song.style_seed == clip_seed(clip_id) and job.stem == clip_id


def test_a_continuation_keeps_the_source_style_and_crosses_whole() -> None:
    spec = parse_music({"prompt": "more", "continue_clip_id": str(uuid.uuid4()),
                        "continue_at": 12.5})
    source = Source(Path("/scratch/source.wav"), tags="jazz", negative_tags="drums",
                    style_seed=77)
    job = song_job(spec, WORDS, str(uuid.uuid4()), Path("/work/out"), source)
    assert (job.song.tags, job.song.negative_tags, job.song.style_seed) == ("jazz", "drums", 77)
    back = job_from_json(job_to_json(job))
    assert back == job and back.song.continuation is not None
    assert back.song.continuation.source_wav == Path("/scratch/source.wav")


def test_every_song_field_is_sent_beside_the_place_of_the_files() -> None:
    song = SongRequest(lyrics="a", tags="b", subtitle="c", style_seed=None)
    sent = job_to_json(RenderJob(song, Path("/out"), "stem")).decode()
    names = [field.name for field in dataclasses.fields(SongRequest)]
    assert not {"out_dir", "stem"} & set(names)
    assert all(f'"{name}":' in sent for name in names)


def test_the_child_answers_are_read_back_as_they_were_written() -> None:
    result = RenderResult(
        mp3=Path("a.mp3"), wav=Path("a.wav"), midi=Path("a.mid"), cover=Path("a.png"),
        cover_large=Path("a-large.png"), video=None, duration=30.5, title="T", style="folk",
        renderer="fluidsynth", sung=True, stage_seconds={"compose": 0.1},
    )
    failure = RenderFailure.of(OSError(28, "No space left on device"))
    stream = RenderStream(Path("out/clip.stream-first.mp3"))
    for item in (RenderProgress("render", 0.25), stream, result, failure):
        assert from_line(to_line(item).encode()) == item
    assert failure.errno == 28 and failure.type == "OSError"


def test_a_field_of_a_type_json_cannot_carry_is_refused() -> None:
    with pytest.raises(TypeError):
        _typed(tuple[int, ...], [1, 2])
    with pytest.raises(ValueError):
        from_line(b'{"other": 1}')
