"""What a cover's render reads of its song: gathered from the media store, carried to the
render child whole."""

from __future__ import annotations

import uuid
from pathlib import Path

import orjson
import pytest

from songgate.engine.request import CoverSource, SongRequest
from songgate.errors import FinalProviderError
from songgate.media.names import names_for, stem_source
from songgate.media.store import MediaStore
from songgate.providers.cover_source import cover_source
from songgate.providers.render_job import RenderJob, job_from_json, job_to_json

WORDS = [{"word": "Sunday", "start_s": 1.0, "end_s": 1.5, "success": True, "p_align": 1.0}]


async def _published(media: MediaStore, tmp_path: Path, name: str) -> None:
    source = tmp_path / f"source-{name}"
    source.write_bytes(b"RIFF")
    await media.publish(source, name)


async def test_an_engine_songs_audio_vocals_and_words_are_gathered(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media", "http://songgate.test")
    clip = str(uuid.uuid4())
    await _published(media, tmp_path, names_for(clip).wav)
    await _published(media, tmp_path, stem_source(clip, "vocals"))
    await media.write_meta(clip, {"tags": "pop", "stems": ["vocals", "drums"],
                                  "aligned_words": WORDS})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    found = await cover_source(media, clip, scratch)
    assert found.source_wav.name == f"{clip}.wav" and found.melody_wav is not None
    assert found.melody_wav.name == f"{clip}_vocals.flac"
    assert found.words_json is not None and orjson.loads(found.words_json.read_bytes()) == WORDS


async def test_an_upload_has_its_audio_alone(tmp_path: Path) -> None:
    media = MediaStore(tmp_path / "media", "http://songgate.test")
    clip = str(uuid.uuid4())
    await _published(media, tmp_path, names_for(clip).wav)
    found = await cover_source(media, clip, tmp_path)
    assert found == CoverSource(source_wav=found.source_wav)
    with pytest.raises(FinalProviderError, match="no audio"):
        await cover_source(media, str(uuid.uuid4()), tmp_path)


def test_a_cover_crosses_to_the_render_child() -> None:
    song = SongRequest(lyrics="la", tags="jazz", cover=CoverSource(
        Path("/m/a.wav"), Path("/m/a_vocals.flac"), Path("/w/words.json")))
    job = RenderJob(song=song, out_dir=Path("/out"), stem="clip")
    assert job_from_json(job_to_json(job)) == job
