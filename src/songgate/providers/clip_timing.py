"""A rendered clip's timed lyrics, as kept in its media sidecar.

The engine writes ``aligned_words`` and ``waveform_data`` beside the song; the local
provider copies them into the clip's sidecar (``media/.meta/{clip}.json``) when it
publishes the clip, so ``GET /suno/act/timing/{clip}`` answers from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

TIMING_KEYS = ("aligned_words", "waveform_data")


def read_timing(path: Path | None) -> dict[str, Any]:
    """The timing document's keys, or nothing when the engine wrote none."""
    if path is None or not path.is_file():
        return {}
    found = orjson.loads(path.read_bytes())
    return {key: found[key] for key in TIMING_KEYS if key in found}
