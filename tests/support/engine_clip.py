"""What the engine keeps beside a clip it sang, written for a clip the scripted provider
made: the sidecar (singer and style for personas, the sung words' times, the waveform,
the parts it kept) and each kept part as FLAC, so the real timing, persona and stem
routes answer for it without a render."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson
import soundfile

RATE = 44_100
WORDS = (("Sunday", 0.2, 0.6), ("morning", 0.6, 1.0), ("light", 1.0, 1.4),
         ("again", 1.4, 1.9))
PARTS = {"vocals": 330.0, "drums": 110.0, "bass": 55.0}


def aligned_words() -> list[dict[str, Any]]:
    return [{"word": word, "start_s": start, "end_s": end, "success": True, "p_align": 1.0}
            for word, start, end in WORDS]


def keep_as_engine(data_dir: Path, clip_id: str, *, seconds: float = 2.0) -> None:
    """Write the sidecar and kept parts of ``clip_id`` into ``data_dir``'s media folder."""
    media = data_dir / "media"
    (media / ".meta").mkdir(parents=True, exist_ok=True)
    times = np.arange(int(RATE * seconds)) / RATE
    for part, pitch in PARTS.items():
        tone = 0.1 * np.sin(2 * np.pi * pitch * times)
        soundfile.write(media / f"{clip_id}_{part}.flac", np.stack([tone, tone], axis=1),
                        RATE)
    meta = {"tags": "dreamy synthwave 96 bpm", "negative_tags": "", "style_seed": 4242,
            "seed": 4242, "singer": "f", "aligned_words": aligned_words(),
            "waveform_data": [0.2, 0.5, 0.9, 0.4], "stems": list(PARTS)}
    (media / ".meta" / f"{clip_id}.json").write_bytes(orjson.dumps(meta))
