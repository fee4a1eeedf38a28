"""Audio files for upload tests, made by ffmpeg once per session."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make(path: Path, *lavfi_and_args: str) -> bytes:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *lavfi_and_args, str(path)],
                   check=True)
    return path.read_bytes()


def tone(path: Path, seconds: float = 2.0) -> bytes:
    """A 440 Hz tone in the format ``path``'s extension names."""
    return make(path, "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}")


def silence(path: Path, seconds: float = 2.0) -> bytes:
    return make(path, "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono", "-t", str(seconds))


def long_tone(path: Path, seconds: float) -> bytes:
    """A long tone kept small: 8 kHz mono at 8 kbit/s."""
    return make(path, "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}:"
                "sample_rate=8000", "-ac", "1", "-b:a", "8k")


def picture(path: Path) -> bytes:
    """A PNG: a file ffmpeg decodes, with no audio in it."""
    return make(path, "-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1")
