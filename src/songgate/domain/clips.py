"""Suno clip objects: every key of the real API, from submission to completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from songgate.domain.cover import cover_metadata
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.results import ClipOutput
from songgate.domain.status import ClipStatus
from songgate.domain.submit import MusicSpec

Clip = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Owner:
    """What a clip shows of the account that made it."""

    user_id: str
    handle: str
    display_name: str


@lru_cache(maxsize=64)  # a task's clips are made at one moment
def iso_millis(timestamp: float) -> str:
    """``2026-12-05T02:00:53.255Z``: UTC, milliseconds cut (not rounded), as Suno writes."""
    moment = datetime.fromtimestamp(timestamp, tz=UTC)
    return moment.isoformat(timespec="milliseconds")[:-6] + "Z"  # "+00:00" -> "Z"


def new_clip(clip_id: str, owner: Owner, spec: MusicSpec, created_at: float) -> Clip:
    model = MODEL_VERSIONS[spec.mv]
    return {
        "id": clip_id,
        "title": spec.title,
        "handle": owner.handle,
        "status": ClipStatus.SUBMITTED.value,
        "user_id": owner.user_id,
        "is_liked": False,
        "metadata": {
            "tags": spec.tags,
            "type": "gen",
            "prompt": "" if spec.make_instrumental and not spec.prompt else spec.prompt,
            "stream": True,
            "history": _history(spec),
            "duration": None,
            "error_type": None,
            "error_message": None,
            "concat_history": None,
            "refund_credits": False,
            "audio_prompt_id": None,
            "gpt_description_prompt": spec.gpt_description_prompt or None,
            **cover_metadata(spec.cover_clip_id),
        },
        "reaction": None,
        "audio_url": "",
        "image_url": "",
        "is_public": False,
        "video_url": "",
        "created_at": iso_millis(created_at),
        "is_trashed": False,
        "model_name": model.model_name,
        "play_count": 0,
        "display_name": owner.display_name,
        "upvote_count": 0,
        "image_large_url": "",
        "is_video_pending": False,
        "is_handle_updated": False,
        "major_model_version": model.major_model_version,
    }


def _history(spec: MusicSpec) -> list[dict[str, Any]] | None:
    """Where an extension comes from, in the shape Suno records it."""
    if not spec.continue_clip_id:
        return None
    return [{"id": spec.continue_clip_id, "continue_at": spec.continue_at, "type": "gen",
             "source": "api", "infill": False}]


def with_status(clip: Clip, status: ClipStatus) -> Clip:
    return {**clip, "status": status.value}


def completed(clip: Clip, output: ClipOutput) -> Clip:
    metadata = {**clip["metadata"], "duration": round(output.duration, 2)}
    if output.tags:
        metadata["tags"] = output.tags
    if output.prompt:
        metadata["prompt"] = output.prompt
    return {
        **clip,
        "status": ClipStatus.COMPLETE.value,
        "title": output.title or clip["title"],
        "audio_url": output.audio_url,
        "image_url": output.image_url,
        "image_large_url": output.image_large_url,
        "video_url": output.video_url,
        "metadata": metadata,
    }


def streamed(clip: Clip, audio_url: str) -> Clip:
    """Still rendering; ``audio_url`` plays the part made so far."""
    return {**clip, "status": ClipStatus.STREAMING.value, "audio_url": audio_url}


def errored(clip: Clip, reason: str) -> Clip:
    metadata = {**clip["metadata"], "error_type": "generation_failed", "error_message": reason}
    # a stream of an unfinished song goes with it
    audio = "" if clip["status"] == ClipStatus.STREAMING.value else clip["audio_url"]
    return {**clip, "status": ClipStatus.ERROR.value, "audio_url": audio, "metadata": metadata}
