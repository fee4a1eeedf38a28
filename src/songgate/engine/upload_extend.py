"""Extending audio the engine did not make (an upload): listened to, then continued.

An engine clip's extension knows the original's tempo, key and style from what made
it (``engine/extend.py``). An upload's are heard instead: :func:`heard_original`
listens to the original up to a little past ``continue_at`` and answers

- the cut: the analysed bar line nearest ``continue_at`` (at least one bar in);
- a :class:`~songgate.engine.guide.Guide` in the original's tempo, meter and key, whose
  chords loop the bars before the cut, so the new part's first bar follows them;
- tags: the client's, or a style estimated from tempo, key, loudness and brightness;
- the level the new part is mastered to: the original's loudness before the cut (an
  upload is seldom at the engine's -14 LUFS).

:func:`matched_at_seam` then evens out what remains of a loudness step: the new part's
first seconds are brought to the original's last ones, the difference ramped away over
a few seconds so the correction itself is no step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from songgate.engine.guide import Guide, GuideChord, guide_from_analysis
from songgate.engine.listen import Analysis
from songgate.engine.listen.loudness import loudness
from songgate.engine.master.mix import limiter_gain
from songgate.engine.request import SongRequest
from songgate.engine.source import SourceAudio, read_source
from songgate.engine.types import Mode

Audio = npt.NDArray[np.float32]

LISTEN_PAST_CUT = 4.0  # seconds of the original heard after continue_at
LEVEL_SECONDS = 10.0  # the original's loudness is measured over this much before the cut
SEAM_SECONDS = 3.0  # short-term loudness window matched across the seam
RAMP_SECONDS = 4.0  # the seam correction fades to nothing over this
MAX_CORRECTION_DB = 12.0
LOUDEST_LUFS, QUIETEST_LUFS = -7.0, -30.0  # what the new part may be mastered to
CEILING_DB = -1.0
CHORD_LOOP_BARS = 8  # the new part's chords loop the original's last bars


@dataclass(frozen=True, slots=True)
class HeardOriginal:
    request: SongRequest  # the request with the guide and tags the original calls for
    head: Audio  # the original up to the cut
    cut: float  # seconds: the bar line the new part starts on
    level_lufs: float  # the original's loudness before the cut
    analysis: Analysis


def heard_original(request: SongRequest, sample_rate: int,
                   source: SourceAudio | None = None) -> HeardOriginal | None:
    """What continuing ``request.continuation`` needs when its audio is to be heard
    (``source``: that audio, read already); None for a request that continues no such
    audio."""
    continuation = request.continuation
    if continuation is None or not continuation.heard:
        return None
    if source is None:
        source = read_source(continuation.source_wav, request.listened_in)
    stereo = source.at_rate(sample_rate, "the original")
    until = continuation.continue_at + LISTEN_PAST_CUT
    heard = stereo[: round(until * sample_rate)]
    analysis = source.analysis(until=until)
    cut = cut_at(analysis, continuation.continue_at, len(stereo) / sample_rate)
    head = np.ascontiguousarray(stereo[: round(cut * sample_rate)])
    level = _level(head, sample_rate)
    guide = continuing_guide(analysis, cut)
    tags = request.tags.strip() or estimated_tags(analysis, heard, sample_rate)
    return HeardOriginal(replace(request, tags=tags, guide=guide), head, cut, level, analysis)


def cut_at(analysis: Analysis, continue_at: float, seconds: float) -> float:
    """The analysed bar line nearest ``continue_at``, one bar in at least and within the
    original; ``continue_at`` itself when no bar line was found."""
    bar = analysis.grid.meter * 60.0 / max(1.0, analysis.grid.tempo)
    lines = [t for t in analysis.grid.downbeats if bar * 0.5 <= t <= seconds + 1e-6]
    if not lines:
        return max(0.0, min(continue_at, seconds))
    return min(lines, key=lambda t: abs(t - continue_at))


def continuing_guide(analysis: Analysis, cut: float) -> Guide:
    """The original's tempo, meter and key; chords looping its last bars before ``cut``
    (so the new part's bar 0 takes up where the loop began); no melody or sections of
    its own: the continuation is new music."""
    guide = guide_from_analysis(analysis)
    before = [c for c in analysis.chords if c.start < cut - 1e-3 and c.end > 0.0]
    loop = before[-CHORD_LOOP_BARS:]
    chords = tuple(GuideChord(c.root, c.minor) for c in loop)
    return replace(guide, chords=chords, melody=(), sections=(), first_bar_s=cut)


def estimated_tags(analysis: Analysis, audio: npt.NDArray[np.floating], sample_rate: int) -> str:
    """A style for the continuation, from what was heard: a preset genre chosen by tempo,
    loudness and brightness, then the tempo and key (which the guide fixes anyway)."""
    tempo = analysis.grid.tempo
    lufs = analysis.loudness.integrated_lufs
    bright = brightness_hz(audio, sample_rate)
    if tempo >= 118 and lufs > -11 and bright > 2500:
        genre = "edm"
    elif tempo >= 100 and lufs > -13:
        genre = "rock"
    elif tempo < 80 and bright < 1500:
        genre = "lofi"
    elif tempo < 90:
        genre = "ballad" if lufs < -16 else "hiphop"
    else:
        genre = "pop"
    mode = "minor" if analysis.key.mode is Mode.MINOR else "major"
    tonic = analysis.key.name.split()[0]
    return f"{genre}, {round(tempo)} bpm, {tonic} {mode}"


def brightness_hz(audio: npt.NDArray[np.floating], sample_rate: int) -> float:
    """The spectral centroid of the mono mix, power-weighted over 4096-sample frames."""
    mono = np.asarray(audio, dtype=np.float64)
    if mono.ndim == 2:
        mono = mono.mean(axis=1)
    frame = 4096
    frames = len(mono) // frame
    if frames == 0:
        return 0.0
    blocks = mono[: frames * frame].reshape(frames, frame) * np.hanning(frame)
    power = np.abs(np.fft.rfft(blocks, axis=1)) ** 2
    total = float(power.sum())
    if total <= 0.0:
        return 0.0
    freqs = np.fft.rfftfreq(frame, 1.0 / sample_rate)
    return float((power.sum(axis=0) * freqs).sum() / total)


def matched_at_seam(
    head: Audio, audio: Audio, stems: dict[str, Audio], sample_rate: int
) -> tuple[Audio, dict[str, Audio]]:
    """The new part (and its stems, alike) with its first seconds at the loudness of the
    original's last ones; the correction holds over SEAM_SECONDS, then ramps to 0 dB over
    RAMP_SECONDS, and a limiter keeps the peaks under the ceiling."""
    step = seam_step_db(head, audio, sample_rate)
    if not np.isfinite(step) or abs(step) < 0.1:
        return audio, stems
    correction = float(np.clip(step, -MAX_CORRECTION_DB, MAX_CORRECTION_DB))
    db = correction * seam_ramp(len(audio), sample_rate)
    curve = np.power(10.0, db / 20.0).astype(np.float32)
    raised = audio * curve[:, None]
    curve = curve * limiter_gain(raised, sample_rate, CEILING_DB - 0.3)
    return (np.asarray(audio * curve[:, None], dtype=np.float32),
            {name: np.asarray(part * curve[: len(part), None], dtype=np.float32)
             for name, part in stems.items()})


def seam_ramp(frames: int, sample_rate: int) -> npt.NDArray[np.float64]:
    """1 over the first SEAM_SECONDS, then a raised-cosine fall to 0 over RAMP_SECONDS."""
    hold = min(frames, round(SEAM_SECONDS * sample_rate))
    ramp = min(frames - hold, round(RAMP_SECONDS * sample_rate))
    curve = np.zeros(frames, dtype=np.float64)
    curve[:hold] = 1.0
    curve[hold : hold + ramp] = 0.5 * (1.0 + np.cos(np.linspace(0.0, np.pi, ramp)))
    return curve


def seam_step_db(before: Audio, after: Audio, sample_rate: int) -> float:
    """Short-term loudness of the first SEAM_SECONDS of ``after`` below the last ones of
    ``before`` (positive: ``after`` is quieter)."""
    width = round(SEAM_SECONDS * sample_rate)
    last = loudness(before[-width:], sample_rate).short_term_lufs
    first = loudness(after[:width], sample_rate).short_term_lufs
    if not last or not first:
        return 0.0
    return float(last[-1] - first[0])


def _level(head: Audio, sample_rate: int) -> float:
    found = loudness(head[-round(LEVEL_SECONDS * sample_rate):], sample_rate).integrated_lufs
    return float(min(LOUDEST_LUFS, max(QUIETEST_LUFS, found)))
