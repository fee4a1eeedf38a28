"""Generative cover art, JPEG at two sizes, titled in any script (a CJK font if installed).

A cover is drawn from its seed alone: a palette (a random hue and a colour
scheme around it), a gradient background with a glow, two of four kinds of
shapes (orbits, waves, equaliser bars, shards) with a blurred copy beneath
them for depth, film grain, then the title over a darkened lower third.
"""

from __future__ import annotations

import colorsys
import contextlib
import functools
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from songgate.engine.encode.atomic import atomic_path

COVER_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # has CJK glyphs
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def write_covers(title: str, subtitle: str, seed: int, small: Path, large: Path) -> None:
    """Generative cover art as JPEG: ``small`` 400x400 and ``large`` 1024x1024."""
    image = render_cover(title, subtitle, seed, size=1024)
    with atomic_path(large) as temporary:
        image.save(temporary, format="JPEG", quality=90)
    thumbnail = image.resize((400, 400), resample=Image.Resampling.LANCZOS)
    with atomic_path(small) as temporary:
        thumbnail.save(temporary, format="JPEG", quality=88)


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
RGB = tuple[int, int, int]

_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\uac00-\ud7af\u3040-\u30ff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+|\s+")


def find_font() -> Path | None:
    """WenQuanYi Micro Hei (covers Chinese) if installed, else any TrueType/OpenType font."""
    if COVER_FONT.is_file():
        return COVER_FONT
    candidates: list[Path] = []
    for folder in FONT_DIRS:
        if folder.is_dir():
            for pattern in ("*.ttc", "*.ttf", "*.otf"):
                candidates.extend(folder.rglob(pattern))
    cjk = [p for p in candidates if re.search(r"cjk|wqy|droid.*fallback|han", p.name, re.I)]
    ordered = sorted(cjk) + sorted(candidates)
    return ordered[0] if ordered else None


@functools.lru_cache(maxsize=64)
def _font(size: int) -> Font:
    path = find_font()
    if path is not None:
        with contextlib.suppress(OSError):
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def render_cover(title: str, subtitle: str, seed: int, *, size: int = 1024) -> Image.Image:
    """The cover as an RGB image ``size`` pixels square; equal arguments, equal pixels."""
    rng = np.random.default_rng(seed % 2**64)
    palette = _palette(rng)
    canvas = Image.fromarray(_background(rng, size, palette), "RGB").convert("RGBA")
    shapes = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    for style in rng.permutation(len(_STYLES))[:2]:
        _STYLES[int(style)](draw, rng, size, palette)
    canvas = Image.alpha_composite(canvas, shapes.filter(ImageFilter.GaussianBlur(size / 50)))
    canvas = Image.alpha_composite(canvas, shapes)
    canvas = _grain(canvas, rng)
    if title.strip() or subtitle.strip():
        canvas = _caption(canvas, title.strip(), subtitle.strip(), palette)
    return canvas.convert("RGB")


def _palette(rng: np.random.Generator) -> list[RGB]:
    hue = float(rng.uniform())
    scheme = (
        (0.0, 0.08, 0.5, 0.55),  # complementary accents
        (0.0, 0.33, 0.66, 0.1),  # triadic
        (0.0, -0.07, 0.07, 0.14),  # analogous
        (0.0, 0.5, 0.42, 0.58),  # split complementary
    )[int(rng.integers(4))]
    dark = float(rng.uniform(0.12, 0.3))
    colours = [
        colorsys.hsv_to_rgb((hue + scheme[0]) % 1, float(rng.uniform(0.5, 0.9)), dark),
        colorsys.hsv_to_rgb((hue + scheme[1]) % 1, float(rng.uniform(0.5, 0.9)), dark + 0.3),
        colorsys.hsv_to_rgb((hue + scheme[2]) % 1, float(rng.uniform(0.55, 1.0)), 0.95),
        colorsys.hsv_to_rgb((hue + scheme[3]) % 1, float(rng.uniform(0.2, 0.6)), 1.0),
    ]
    return [(int(r * 255), int(g * 255), int(b * 255)) for r, g, b in colours]


def _background(rng: np.random.Generator, size: int, palette: list[RGB]) -> npt.NDArray[np.uint8]:
    axis = np.linspace(-1.0, 1.0, size)
    x, y = np.meshgrid(axis, axis)
    angle = float(rng.uniform(0, 2 * np.pi))
    ramp = np.clip((x * np.cos(angle) + y * np.sin(angle)) * 0.5 + 0.5, 0.0, 1.0)[..., None]
    start, end = np.array(palette[0], float), np.array(palette[1], float)
    image = start + (end - start) * ramp
    cx, cy = rng.uniform(-0.6, 0.6, 2)
    glow = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / float(rng.uniform(0.15, 0.5)))[..., None]
    image = image + (np.array(palette[2], float) - image) * glow * 0.45
    return np.asarray(np.clip(image, 0, 255), dtype=np.uint8)


def _rgba(colour: RGB, alpha: float) -> tuple[int, int, int, int]:
    return (*colour, int(max(0.0, min(1.0, alpha)) * 255))


def _orbits(
    draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int, palette: list[RGB]
) -> None:
    cx, cy = (float(v) * size for v in rng.uniform(0.2, 0.8, 2))
    for _ in range(int(rng.integers(5, 12))):
        radius = float(rng.uniform(0.05, 0.6)) * size
        width = max(2, int(rng.uniform(0.002, 0.02) * size))
        colour = palette[int(rng.integers(2, 4))]
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        draw.ellipse(box, outline=_rgba(colour, rng.uniform(0.3, 0.9)), width=width)
    radius = float(rng.uniform(0.06, 0.16)) * size
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=_rgba(palette[2], 0.85))


def _waves(
    draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int, palette: list[RGB]
) -> None:
    xs = np.linspace(-0.05, 1.05, 160) * size
    base = float(rng.uniform(0.25, 0.65))
    for index in range(int(rng.integers(6, 14))):
        freq = float(rng.uniform(1.0, 4.0))
        phase = float(rng.uniform(0, 2 * np.pi))
        amp = float(rng.uniform(0.02, 0.12))
        ys = (base + 0.025 * index + amp * np.sin(2 * np.pi * freq * xs / size + phase)) * size
        points = [(float(a), float(b)) for a, b in zip(xs, ys, strict=True)]
        colour = palette[2 + index % 2]
        draw.line(points, fill=_rgba(colour, rng.uniform(0.35, 0.85)), width=max(2, size // 200))


def _bars(
    draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int, palette: list[RGB]
) -> None:
    count = int(rng.integers(16, 40))
    width = size / count
    shape = rng.uniform(0.5, 3.0, 3)
    for index in range(count):
        u = index / count
        level = 0.5 + 0.5 * np.sin(2 * np.pi * (shape[0] * u + shape[1])) * np.cos(shape[2] * u * 3)
        height = (0.08 + 0.45 * abs(float(level))) * size
        x0 = index * width + width * 0.18
        box = (x0, size * 0.62 - height, x0 + width * 0.64, size * 0.62)
        draw.rounded_rectangle(box, radius=width * 0.3, fill=_rgba(palette[2 + index % 2], 0.7))


def _shards(
    draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int, palette: list[RGB]
) -> None:
    for _ in range(int(rng.integers(6, 16))):
        centre = rng.uniform(0.0, 1.0, 2) * size
        spread = float(rng.uniform(0.05, 0.3)) * size
        points = [tuple(float(v) for v in centre + rng.normal(0, spread, 2)) for _ in range(3)]
        colour = palette[int(rng.integers(1, 4))]
        draw.polygon(points, fill=_rgba(colour, rng.uniform(0.2, 0.6)))


_STYLES = (_orbits, _waves, _bars, _shards)


def _grain(canvas: Image.Image, rng: np.random.Generator) -> Image.Image:
    pixels = np.asarray(canvas, dtype=np.int16)
    noise = rng.integers(-7, 8, size=pixels.shape[:2], dtype=np.int16)[..., None]
    pixels[..., :3] = np.clip(pixels[..., :3] + noise, 0, 255)
    return Image.fromarray(pixels.astype(np.uint8), "RGBA")


def _caption(canvas: Image.Image, title: str, subtitle: str, palette: list[RGB]) -> Image.Image:
    size = canvas.width
    shade = np.clip((np.linspace(0.0, 1.0, size) - 0.35) / 0.65, 0.0, 1.0) ** 1.6 * 210
    alpha = np.repeat(shade.astype(np.uint8)[:, None], size, axis=1)
    overlay = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    overlay.putalpha(Image.fromarray(alpha, "L"))
    canvas = Image.alpha_composite(canvas, overlay)
    draw = ImageDraw.Draw(canvas)
    margin = size * 0.07
    width = size - 2 * margin
    bottom = size - margin
    if subtitle:
        font, lines = _fit(
            draw, subtitle, width, largest=size // 22, smallest=size // 40, max_lines=1
        )
        bottom -= _line_height(font)
        draw.text((margin, bottom), lines[0], font=font, fill=_rgba(palette[3], 0.9))
        bottom -= size * 0.02
    if title:
        font, lines = _fit(draw, title, width, largest=size // 9, smallest=size // 26, max_lines=3)
        step = _line_height(font) * 1.12
        top = bottom - step * len(lines)
        stroke = max(1, size // 300)
        for index, line in enumerate(lines):
            draw.text(
                (margin, top + index * step), line, font=font, fill=(255, 255, 255, 255),
                stroke_width=stroke, stroke_fill=(0, 0, 0, 160),
            )  # fmt: skip
    return canvas


def _line_height(font: Font) -> float:
    return float(font.getbbox("Hg国")[3])


def _fit(
    draw: ImageDraw.ImageDraw,
    text: str,
    width: float,
    *,
    largest: int,
    smallest: int,
    max_lines: int,
) -> tuple[Font, list[str]]:
    """The largest font size at which ``text`` wraps into ``max_lines``; else ellipsised."""
    size = largest
    while True:
        font = _font(size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines:
            return font, lines
        if size <= smallest:
            break
        size = max(smallest, int(size * 0.88))
    kept = lines[:max_lines]
    last = kept[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + "…"
    return font, kept


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float) -> list[str]:
    """Greedy line breaking: at spaces, between CJK characters, inside over-long words."""

    def fits(candidate: str) -> bool:
        return draw.textlength(candidate, font=font) <= width

    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            line = line + " " if line else line
            continue
        if fits(line + token):
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        while not fits(token) and len(token) > 1:
            cut = _longest_fitting_prefix(token, fits)
            lines.append(token[:cut])
            token = token[cut:]
        line = token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _longest_fitting_prefix(token: str, fits: Callable[[str], bool]) -> int:
    """Binary search: the longest prefix length that fits (at least one character)."""
    low, high = 1, len(token)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(token[:middle]):
            low = middle
        else:
            high = middle - 1
    return low
