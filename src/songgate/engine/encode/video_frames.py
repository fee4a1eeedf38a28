"""The still pictures a lyric video is made of, drawn once with Pillow.

``base``: the cover, darkened towards the bottom so white lyrics read on any cover,
with the song's waveform drawn bright in a band at the bottom. ``ahead``: the same band
with the waveform drawn dim and a playhead at its left edge. The video slides ``ahead``
across ``base`` as the song plays, so the part already played shows bright: ffmpeg
does the moving, each frame costs one overlay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from songgate.engine.encode.covers import find_font

SIZE = 720  # the video is SIZE x SIZE
BAND_TOP = 0.86  # the waveform band, as fractions of the height
BAND_BOTTOM = 0.97
MARGIN = 0.04  # of the width, left and right of the waveform and the lyrics
BARS = 100  # the waveform's bars across the width
FLAT = 0.12  # the height of every bar when the clip has no waveform: a progress bar
LYRIC_SIZE = SIZE // 17  # the lyric font's size in pixels
LYRIC_TOP = 0.62  # where the lyric rows start, as a fraction of the height
MAX_ROWS = 2

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True, slots=True)
class Frames:
    base: Path
    ahead: Path
    band_top: int  # where ``ahead`` goes, in pixels from the top


def lyric_font() -> tuple[Path, Font] | None:
    """A font with Chinese glyphs if one is installed (else any), at the lyric size;
    None when no font file can be read (the video then shows no lyrics)."""
    path = find_font()
    if path is None:
        return None
    with contextlib.suppress(OSError):
        return path, ImageFont.truetype(str(path), LYRIC_SIZE)
    return None


def _band() -> tuple[int, int]:
    """The band's top and bottom rows, even (the video's chroma is half-height)."""
    return int(SIZE * BAND_TOP) // 2 * 2, int(SIZE * BAND_BOTTOM) // 2 * 2


def _bars(draw: ImageDraw.ImageDraw, peaks: Sequence[float], fill: tuple[int, int, int, int],
          top: int) -> None:
    low, high = _band()
    left, right = int(SIZE * MARGIN), int(SIZE * (1 - MARGIN))
    levels = _levels(peaks)
    step = (right - left) / len(levels)
    middle, half = (low + high) / 2, (high - low) / 2
    for index, level in enumerate(levels):
        x0 = left + index * step
        extent = max(1.0, half * min(1.0, max(FLAT, float(level))))
        draw.rectangle((x0, middle - extent - top, x0 + max(1.0, step * 0.6),
                        middle + extent - top), fill=fill)


def _levels(peaks: Sequence[float]) -> list[float]:
    """``BARS`` bar heights from 0 to 1: the peaks' range stretched to the whole band
    (a mastered song is loud almost everywhere), or a flat bar without peaks."""
    if not peaks:
        return [FLAT] * BARS
    parts = np.array_split(np.asarray(peaks, dtype=np.float64), min(BARS, len(peaks)))
    levels = np.array([float(part.max()) for part in parts])
    low, high = float(np.percentile(levels, 5)), float(levels.max())
    if high - low < 1e-6:
        return [0.6] * len(levels)
    return [float(v) for v in np.clip((levels - low) / (high - low), 0.0, 1.0)]


def _shaded(cover: Path) -> Image.Image:
    with Image.open(cover) as opened:
        picture = opened.convert("RGB").resize((SIZE, SIZE), Image.Resampling.BILINEAR)
    fade = np.clip((np.arange(SIZE) / SIZE - 0.4) / 0.3, 0.0, 1.0) * 0.8
    shade = np.asarray(1.0 - fade, dtype=np.float32)[:, None, None]
    pixels = np.asarray(picture, dtype=np.float32) * shade
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def draw_frames(cover: Path, peaks: Sequence[float], folder: Path) -> Frames:
    """``base`` and ``ahead`` as BMP files in ``folder`` (quick to write and read)."""
    shaded = _shaded(cover)
    low, high = _band()
    lit = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    _bars(ImageDraw.Draw(lit), peaks, (255, 255, 255, 235), 0)
    bright = Image.alpha_composite(shaded.convert("RGBA"), lit)
    dim = Image.new("RGBA", (SIZE, high - low), (0, 0, 0, 0))
    draw = ImageDraw.Draw(dim)
    _bars(draw, peaks, (255, 255, 255, 70), low)
    draw.rectangle((0, 0, 1, high - low), fill=(255, 255, 255, 255))  # the playhead
    strip = Image.alpha_composite(shaded.crop((0, low, SIZE, high)).convert("RGBA"), dim)
    base, ahead = folder / "base.bmp", folder / "ahead.bmp"
    bright.convert("RGB").save(base)
    strip.convert("RGB").save(ahead)
    return Frames(base, ahead, low)


def rows(text: str, font: Font, width: float = SIZE * (1 - 2 * MARGIN)) -> list[str]:
    """``text`` broken into at most ``MAX_ROWS`` rows that fit ``width`` pixels (at
    spaces, or anywhere in a run of wide characters); what does not fit is cut with …"""
    found: list[str] = []
    rest = text.strip()
    while rest and len(found) < MAX_ROWS:
        if font.getlength(rest) <= width:
            found.append(rest)
            return found
        cut = len(rest)
        while cut > 1 and font.getlength(rest[:cut]) > width:
            cut -= 1
        if cut < len(rest) and not rest[cut].isspace():
            space = rest.rfind(" ", 0, cut)
            cut = space if space > 0 else cut
        found.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest and found:
        last = found[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        found[-1] = last.rstrip() + "…"
    return found
