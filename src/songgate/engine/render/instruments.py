"""Score → instrument audio, through a chain of renderers that ends in one that cannot fail.

1. ``"fluidsynth"``: Debian's ``fluidsynth`` command renders the MIDI from
   :func:`score_to_midi` with a General MIDI SoundFont. It sounds best, but
   it is an external program with an external data file, and it exits 0 on
   some bad inputs, so its output is checked (exists, long enough, not
   silent) before it is trusted.
2. ``"numpy"``: :func:`synth.synthesize`, pure numpy, always available.

A renderer that is missing or fails hands over to the next; the reasons are
logged and kept in :attr:`Rendered.fallbacks` for the pipeline's report.
Tests pick a renderer with ``renderers=("numpy",)``.
"""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from songgate.engine.render.midi import score_to_midi
from songgate.engine.render.synth import synthesize
from songgate.engine.types import SAMPLE_RATE, Score

log = logging.getLogger(__name__)

Audio = npt.NDArray[np.float32]

RENDERERS: tuple[str, ...] = ("fluidsynth", "numpy")
SOUNDFONT_DIRS = (
    Path("/usr/share/sounds/sf2"),
    Path("/usr/share/sounds/sf3"),
    Path("/usr/share/soundfonts"),
)
# In order of preference. MuseScore General Lite (Debian musescore-general-soundfont-small,
# .sf3) keeps every preset the engine uses mono-compatible, where FluidR3's square and saw
# leads, synth strings and warm pad are wide out-of-phase samples (side 7-12 dB over mid)
# that cancel when played in mono. Loading only the samples a song uses (dynamic sample
# loading: the .sf3's samples are decompressed as they are first needed) halves its render
# time; it stays 1-2 s slower than FluidR3 per song (measured on two-minute songs: 3.2-3.8 s
# against 2.3-5 s on a busy machine). FluidR3 (fluid-soundfont-gm) is the fallback.
# benchmarks/mix.py compares them.
PREFERRED_SOUNDFONTS = (
    Path("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3"),
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
)
PREFERRED_SOUNDFONT = PREFERRED_SOUNDFONTS[0]
# FluidSynth's master gain; its float output is not clipped, so this only sets
# a comfortable level (the default 0.2 is quiet for sparse arrangements).
FLUIDSYNTH_GAIN = 0.5


@dataclass(frozen=True, slots=True)
class Rendered:
    audio: Audio  # float32, shape (frames, 2)
    renderer: str  # which renderer of the chain produced it
    fallbacks: tuple[str, ...] = ()  # why the renderers before it were passed over


class RenderError(RuntimeError):
    """A renderer could not produce usable audio (the chain moves on)."""


def find_soundfont() -> Path | None:
    """The first of PREFERRED_SOUNDFONTS installed, else any .sf2, else .sf3 in the usual places."""
    for preferred in PREFERRED_SOUNDFONTS:
        if preferred.is_file():
            return preferred
    for suffix in (".sf2", ".sf3"):
        for folder in SOUNDFONT_DIRS:
            if folder.is_dir():
                for path in sorted(folder.rglob(f"*{suffix}")):
                    if path.is_file():
                        return path
    return None


def fluidsynth_path() -> str | None:
    return shutil.which("fluidsynth")


def render_score(
    score: Score,
    *,
    soundfont: Path | None = None,
    sample_rate: int = SAMPLE_RATE,
    renderers: Sequence[str] = RENDERERS,
) -> Rendered:
    """Stereo float32 of exactly ceil(score.seconds x sample_rate) frames.

    Tries ``renderers`` in order; raises :class:`RenderError` only if every
    one of them failed (with the default chain, only on a bug in the numpy
    synthesiser).
    """
    frames = math.ceil(score.seconds * sample_rate)
    reasons: list[str] = []
    last: Exception | None = None
    for name in renderers:
        try:
            if name == "fluidsynth":
                audio = render_fluidsynth(score, soundfont=soundfont, sample_rate=sample_rate)
            elif name == "numpy":
                audio = synthesize(score, sample_rate)
            else:
                raise RenderError(f"unknown renderer {name!r}")
        except Exception as error:  # any failure hands over to the next renderer
            log.warning(
                "renderer %s failed: %s", name, error, exc_info=not isinstance(error, RenderError)
            )
            reasons.append(f"{name}: {error}")
            last = error
            continue
        return Rendered(audio=_fit(audio, frames), renderer=name, fallbacks=tuple(reasons))
    raise RenderError(
        "no renderer succeeded: " + ("; ".join(reasons) or "none asked for")
    ) from last


def render_fluidsynth(
    score: Score,
    *,
    soundfont: Path | None = None,
    sample_rate: int = SAMPLE_RATE,
    gain: float = FLUIDSYNTH_GAIN,
) -> Audio:
    """The score played by the ``fluidsynth`` command; RenderError unless the result is sound."""
    program = fluidsynth_path()
    if program is None:
        raise RenderError("the fluidsynth program is not installed")
    font = soundfont if soundfont is not None else find_soundfont()
    if font is None or not font.is_file():
        raise RenderError(f"no SoundFont found ({font or 'searched ' + str(SOUNDFONT_DIRS)})")
    if not _is_soundfont(font):
        raise RenderError(f"{font} is not a SoundFont (no RIFF sfbk header)")
    expected = math.ceil(score.seconds * sample_rate)
    with tempfile.TemporaryDirectory(prefix="songgate-render-") as folder:
        midi_path = Path(folder) / "song.mid"
        wav_path = Path(folder) / "out.wav"
        midi_path.write_bytes(score_to_midi(score))
        command = [
            program, "-ni", "-q", "-g", f"{gain:g}", "-R", "1", "-C", "1",
            # if the font fails to load, fluidsynth would quietly use its default
            # font instead; pointing the default at the same file prevents that
            "-o", f"synth.default-soundfont={font}",
            # decode and load only the samples the song plays: much faster for .sf3
            "-o", "synth.dynamic-sample-loading=1",
            "-T", "wav", "-O", "float", "-r", str(sample_rate),
            "-F", str(wav_path), str(font), str(midi_path),
        ]  # fmt: skip
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=60 + 2 * score.seconds,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RenderError(f"fluidsynth did not run: {error}") from error
        if result.returncode != 0:
            raise RenderError(f"fluidsynth exited {result.returncode}: {_tail(result.stderr)}")
        if "Failed to load" in result.stderr:
            raise RenderError(f"fluidsynth could not load {font}: {_tail(result.stderr)}")
        if not wav_path.is_file() or wav_path.stat().st_size == 0:
            raise RenderError(f"fluidsynth wrote no audio: {_tail(result.stderr)}")
        try:
            audio, rate = soundfile.read(str(wav_path), dtype="float32", always_2d=True)
        except (RuntimeError, soundfile.LibsndfileError) as error:
            raise RenderError(f"fluidsynth wrote unreadable audio: {error}") from error
    return _checked(np.asarray(audio, dtype=np.float32), int(rate), score, expected, sample_rate)


def _is_soundfont(path: Path) -> bool:
    """SoundFont 2 and 3 files are RIFF containers of form type 'sfbk'."""
    try:
        with path.open("rb") as handle:
            header = handle.read(12)
    except OSError:
        return False
    return header[:4] == b"RIFF" and header[8:12] == b"sfbk"


def _checked(audio: Audio, rate: int, score: Score, expected: int, sample_rate: int) -> Audio:
    if rate != sample_rate:
        raise RenderError(f"fluidsynth wrote {rate} Hz, asked for {sample_rate} Hz")
    if audio.shape[1] != 2:
        raise RenderError(f"fluidsynth wrote {audio.shape[1]} channels, expected 2")
    if audio.shape[0] < expected - int(0.1 * sample_rate):
        raise RenderError(f"fluidsynth stopped early: {audio.shape[0]} of {expected} frames")
    if not np.all(np.isfinite(audio)):
        raise RenderError("fluidsynth wrote NaN or infinite samples")
    has_notes = any(track.notes for track in score.tracks)
    if has_notes and float(np.max(np.abs(audio))) < 1e-4:
        raise RenderError("fluidsynth rendered silence")
    return audio


def _fit(audio: Audio, frames: int) -> Audio:
    """Exactly `frames` frames: trim the synthesiser's extra tail or pad with silence."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.shape[0] >= frames:
        return np.ascontiguousarray(audio[:frames])
    return np.pad(audio, ((0, frames - audio.shape[0]), (0, 0)))


def _tail(text: str, limit: int = 300) -> str:
    text = text.strip()
    return text[-limit:] if text else "(no message)"
