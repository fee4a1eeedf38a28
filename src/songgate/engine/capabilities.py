"""What the engine can use on this machine, and which fallback it takes where a tool is missing.

``songgate doctor`` prints this; the engine itself never fails for a missing
tool: FluidSynth falls back to the numpy synthesiser, a missing libflite
leaves English to espeak-ng, missing both makes an instrumental, a missing
ffmpeg leaves the video out, a missing CJK font draws covers with a plainer font.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from songgate.engine.encode.covers import COVER_FONT, find_font
from songgate.engine.encode.video import ffmpeg_path
from songgate.engine.render.instruments import find_soundfont, fluidsynth_path
from songgate.engine.sing import voices
from songgate.engine.sing.espeak import ESPEAK

PINYIN_VOICE = "cmn-latn-pinyin"


@dataclass(frozen=True, slots=True)
class Capability:
    name: str
    available: bool
    detail: str  # what is used, or what is used instead


def _espeak_voices() -> str:
    try:
        return subprocess.run(
            [ESPEAK, "--voices"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _singing(espeak: str | None) -> Capability:
    """Flite sings English whole phrases; espeak-ng syllable by syllable is the fallback."""
    flite_voices = voices.flite_voices()
    if flite_voices:
        return Capability(
            "singing", True,
            f"Flite ({', '.join(flite_voices)}) whole phrases with the WORLD vocoder",
        )
    return Capability(
        "singing", espeak is not None,
        f"fallback: espeak-ng at {espeak} syllable by syllable (install libflite1)" if espeak
        else "fallback: instrumental songs (install libflite1 and espeak-ng)",
    )


def capabilities() -> list[Capability]:
    fluidsynth, soundfont = fluidsynth_path(), find_soundfont()
    espeak = shutil.which(ESPEAK)
    pinyin = espeak is not None and PINYIN_VOICE in _espeak_voices()
    ffmpeg, font = ffmpeg_path(), find_font()
    return [
        Capability(
            "rendering", bool(fluidsynth and soundfont),
            f"FluidSynth with the SoundFont {soundfont}" if fluidsynth and soundfont
            else "fallback: the numpy synthesiser (install fluidsynth and "
            "musescore-general-soundfont-small)",
        ),
        _singing(espeak),
        Capability(
            "chinese singing", pinyin,
            f"espeak-ng voice {PINYIN_VOICE}" if pinyin
            else "fallback: Chinese lyrics are left unsung",
        ),
        Capability(
            "video", ffmpeg is not None,
            f"ffmpeg at {ffmpeg}" if ffmpeg else "fallback: no video_url (install ffmpeg)",
        ),
        Capability(
            "cover font", font is not None and font == COVER_FONT,
            f"{font}" if font else "fallback: Pillow's built-in font (install fonts-wqy-microhei)",
        ),
        Capability("mp3", True, "lameenc, 192 kbps"),
    ]
