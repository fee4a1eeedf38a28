"""A Python client for any service that speaks the Suno task API (songgate or a gateway).

    from songgate.client import SongClient
    with SongClient("http://127.0.0.1:8000", "sk-...") as client:
        task_id = client.submit_music(prompt="[Verse]\\nhello", tags="pop")
        [task] = client.wait([task_id])
        for clip in task.clips:
            client.download(clip, "songs/")
"""

from songgate.client.aio import AsyncSongClient
from songgate.client.errors import (
    ApiError,
    ConnectionFailed,
    DownloadFailed,
    NotFound,
    QuotaExceeded,
    RateLimited,
    ServerError,
    SongError,
    Unauthorized,
    WaitTimedOut,
)
from songgate.client.files import FileNotMade
from songgate.client.models import Clip, Lyrics, TaskDto
from songgate.client.personas import Persona
from songgate.client.stems import Stems
from songgate.client.sync import SongClient
from songgate.client.timing import AlignedWord, Timing
from songgate.client.uploads import Upload

__all__ = [
    "AlignedWord", "ApiError", "AsyncSongClient", "Clip", "ConnectionFailed", "DownloadFailed",
    "FileNotMade", "Lyrics", "NotFound", "Persona", "QuotaExceeded", "RateLimited",
    "ServerError", "SongClient", "SongError", "Stems", "TaskDto", "Timing", "Unauthorized",
    "Upload", "WaitTimedOut",
]
