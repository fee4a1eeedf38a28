"""File names of a clip's media, following the naming clients know from Suno's CDN.

``{clip}.mp3``, ``{clip}.mp4``, ``image_{clip}.jpeg``, ``image_large_{clip}.jpeg``,
plus ``{clip}.wav`` and ``{clip}.mid`` for those who want the sources, and
``{clip}_{stem}.flac``: each stem the engine mixed the clip from, kept to make stem
clips from. ``stream_{clip}.mp3`` plays what is made of a clip while it renders: it is
replaced as the render goes on and removed once ``{clip}.mp3`` is there, so it is never
cached (:func:`cache_control`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from songgate.media.base import CACHE_FOREVER

_NAME = re.compile(
    r"(?P<prefix>image_large_|image_)?"
    r"(?P<clip>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"\.(?P<ext>mp3|mp4|jpeg|wav|mid)"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_[a-z]{1,16}\.(?P<flac>flac)"
    r"|stream_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(?P<stream>mp3)"
)
# A stream's content changes as the clip renders, so it is fetched afresh every time.
NO_STORE = "no-store"

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
    stream: str  # the part made so far, while the clip renders


def names_for(clip_id: str) -> ClipMediaNames:
    return ClipMediaNames(
        audio=f"{clip_id}.mp3",
        video=f"{clip_id}.mp4",
        image=f"image_{clip_id}.jpeg",
        image_large=f"image_large_{clip_id}.jpeg",
        wav=f"{clip_id}.wav",
        midi=f"{clip_id}.mid",
        stream=f"stream_{clip_id}.mp3",
    )


def content_type(name: str) -> str | None:
    """The content type of a valid media file name, or None for any other name."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    return CONTENT_TYPES[found.group("ext") or found.group("flac") or found.group("stream")]


def cache_control(name: str) -> str:
    """How long a client or cache may keep a media file: for ever, except a stream."""
    return NO_STORE if name.startswith("stream_") else CACHE_FOREVER


def stem_source(clip_id: str, stem: str) -> str:
    """Where the engine keeps the stem ``stem`` (``vocals``, ``drums``, ...) of a clip."""
    return f"{clip_id}_{stem}.flac"
