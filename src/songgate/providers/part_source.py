"""The uploaded audio a part is added to (``task: add_vocals / add_instrumental``), and the
render job that carries it to the child, which listens to it there (numpy stays out of
the worker)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from songgate.domain.add_parts import PART_OF
from songgate.domain.submit import MusicSpec
from songgate.engine.request import AddedPart
from songgate.errors import FinalProviderError
from songgate.media.base import MediaBackend
from songgate.media.names import names_for
from songgate.providers.render_job import RenderJob


async def upload_wav(media: MediaBackend, clip_id: str, scratch: Path) -> Path:
    """The upload's decoded WAV, wherever the media store keeps it (copied into ``scratch``)."""
    wav = await media.local_copy(names_for(clip_id).wav, scratch)
    if wav is None:
        raise FinalProviderError("the uploaded clip's audio is no longer kept on this server")
    return wav


def with_part(job: RenderJob, spec: MusicSpec, upload: Path | None) -> RenderJob:
    """``job`` adding the spec's part to ``upload`` (the job as it is without one)."""
    if upload is None or not spec.task:
        return job
    return replace(job, song=replace(job.song, added_part=AddedPart(upload, PART_OF[spec.task])))
