"""The last-resort renderer: a Score played by numpy alone, no SoundFont needed.

It sounds clearly synthetic, but it is in tune and in time, so a song can
always be delivered even where FluidSynth or its SoundFont is missing. Each
track is rendered note by note with the voice its GM program maps to
(:mod:`synth_voices`) or, on the drum channel, with synthesised drums
(:mod:`synth_drums`); tracks are panned with a constant-power law, scaled by
their CC7 volume, and share one reverb.
"""

from __future__ import annotations

import bisect
import math

import numpy as np
import numpy.typing as npt

from songgate.engine.master.room import reverb_wet
from songgate.engine.render.synth_drums import drum_hit, drum_pan, drum_send
from songgate.engine.render.synth_voices import clear_caches, render_note, voice_for
from songgate.engine.types import DRUM_CHANNEL, SAMPLE_RATE, Note, Score, Track

Audio = npt.NDArray[np.float32]

PEAK = 0.8  # output is scaled to this peak: a predictable level for the mix
_REVERB_SECONDS = 1.6
_OPEN_HAT = 46
_CLOSING_HATS = frozenset({42, 44})


def synthesize(
    score: Score, sample_rate: int = SAMPLE_RATE, *, peak: float | None = PEAK
) -> Audio:
    """Stereo float32 of exactly ceil(score.seconds x sample_rate) frames.

    Scaled to ``peak``; ``None`` leaves the level as the tracks' CC7 volumes
    make it, so parts rendered separately keep their balance when summed.
    """
    frames = math.ceil(score.seconds * sample_rate)
    out = np.zeros((frames, 2), dtype=np.float32)
    send = np.zeros(frames, dtype=np.float32)
    try:
        for track in score.tracks:
            if not track.notes:
                continue
            if track.channel == DRUM_CHANNEL:
                _drums(track, score, sample_rate, out, send)
            else:
                _pitched(track, score, sample_rate, out, send)
    finally:
        clear_caches()  # cached notes are only worth keeping within one song
    if frames and np.any(send):
        out += reverb_wet(send, sample_rate, decay_seconds=_REVERB_SECONDS)
    loudest = float(np.max(np.abs(out))) if frames else 0.0
    if peak is not None and loudest > 0:
        out *= np.float32(peak / loudest)
    return out


def _pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power pan; ``pan`` from -1 (left) to 1 (right)."""
    angle = (max(-1.0, min(1.0, pan)) + 1.0) * math.pi / 4
    return math.cos(angle), math.sin(angle)


def _track_pan(track: Track) -> float:
    return (max(0, min(127, track.pan)) - 64) / 63.5


def _track_gain(track: Track) -> float:
    """CC7 as General MIDI suggests: level follows the square of the value."""
    return (max(0, min(127, track.volume)) / 127) ** 2


def _span(score: Score, note: Note, sample_rate: int) -> tuple[int, float]:
    start = round(score.seconds_at(note.start) * sample_rate)
    held = max(0.0, score.seconds_at(note.start + note.duration) - score.seconds_at(note.start))
    return start, held


def _pitched(track: Track, score: Score, sample_rate: int, out: Audio, send: Audio) -> None:
    voice = voice_for(track.program)
    frames = out.shape[0]
    buffer = np.zeros(frames, dtype=np.float32)
    for note in track.notes:
        start, held = _span(score, note, sample_rate)
        if start >= frames or start < 0:
            continue
        wave = render_note(voice, note.pitch, note.velocity, held, sample_rate)
        end = min(frames, start + wave.shape[0])
        buffer[start:end] += wave[: end - start]
    buffer *= np.float32(_track_gain(track))
    left, right = _pan_gains(_track_pan(track))
    out[:, 0] += buffer * np.float32(left)
    out[:, 1] += buffer * np.float32(right)
    send += buffer * np.float32(voice.send)


def _drums(track: Track, score: Score, sample_rate: int, out: Audio, send: Audio) -> None:
    frames = out.shape[0]
    gain = _track_gain(track)
    notes = sorted(track.notes, key=lambda n: (n.start, n.pitch))
    hat_closes = [_span(score, n, sample_rate)[0] for n in notes if n.pitch in _CLOSING_HATS]
    for note in notes:
        start, _held = _span(score, note, sample_rate)
        if start >= frames or start < 0:
            continue
        hit = drum_hit(note.pitch, note.velocity, track.program, sample_rate)
        if note.pitch == _OPEN_HAT:
            hit = _choke(hit, start, hat_closes, sample_rate)
        end = min(frames, start + hit.shape[0])
        part = hit[: end - start] * np.float32(gain)
        left, right = _pan_gains(_track_pan(track) + drum_pan(note.pitch))
        out[start:end, 0] += part * np.float32(left)
        out[start:end, 1] += part * np.float32(right)
        send[start:end] += part * np.float32(drum_send(note.pitch))


def _choke(hit: Audio, start: int, closes: list[int], sample_rate: int) -> Audio:
    """An open hi-hat stops when the pedal closes it, as on a real kit.

    ``closes`` holds the onsets of closed and pedal hats, sorted.
    """
    index = bisect.bisect_right(closes, start)
    if index == len(closes):
        return hit
    stop = closes[index] - start
    if stop >= hit.shape[0]:
        return hit
    fade = max(1, int(0.01 * sample_rate))
    cut = hit[: stop + fade].copy()
    cut[stop:] *= np.linspace(1.0, 0.0, cut.shape[0] - stop, dtype=np.float32)
    return cut
