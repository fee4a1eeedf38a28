"""File names of a clip's media, following the naming clients know from Suno's CDN.

``{clip}.mp3``, ``{clip}.mp4``, ``image_{clip}.jpeg``, ``image_large_{clip}.jpeg``,
plus ``{clip}.wav`` and ``{clip}.mid`` for those who want the sources, and
``{clip}_{stem}.flac``: each stem the engine mixed the clip from, kept to make stem
clips from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(
    r"(?P<prefix>image_large_|image_)?"
    r"(?P<clip>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"\.(?P<ext>mp3|mp4|jpeg|wav|mid)"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[a-z]{1,16}\.(?P<flac>flac)"
)

CONTENT_TYPES = {
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "jpeg": "image/jpeg",
    "wav": "audio/wav",
    "mid": "audio/midi",
    "flac": "audio/flac",
}


@dataclass(frozen=True, slots=True)
class ClipMediaNames:
    audio: str
    video: str
    image: str
    image_large: str
    wav: str
    midi: str


def names_for(clip_id: str) -> ClipMediaNames:
    return ClipMediaNames(
        audio=f"{clip_id}.mp3",
        video=f"{clip_id}.mp4",
        image=f"image_{clip_id}.jpeg",
        image_large=f"image_large_{clip_id}.jpeg",
        wav=f"{clip_id}.wav",
        midi=f"{clip_id}.mid",
    )


def content_type(name: str) -> str | None:
    """The content type of a valid media file name, or None for any other name."""
    found = _NAME.fullmatch(name)
    return CONTENT_TYPES[found.group("ext") or found.group("flac")] if found else None


def stem_source(clip_id: str, stem: str) -> str:
    """Where the engine keeps the stem ``stem`` (``vocals``, ``drums``, ...) of a clip."""
    return f"{clip_id}_{stem}.flac"
