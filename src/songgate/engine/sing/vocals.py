"""Sing a Score's vocal melody, phrase by phrase.

English phrases go whole to Flite (``phrase_singer``) when libflite is installed.
Chinese phrases, and English ones where Flite is missing, are sung syllable by
syllable: per note the syllable is spoken once by espeak-ng (``espeak``), analysed once
by WORLD (``world``), then resynthesised with the note's f0 (``pitch``) on a
time axis where its vowel fills the note. The notes are overlap-added at espeak's
own rate (22.05 kHz, plenty for a voice), resampled once, and peak-normalised. No
reverb: the mixer adds the room.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import numpy.typing as npt
from scipy.signal import resample_poly

from songgate.engine.sing import espeak, flite, phrase_singer, pitch, voices, world
from songgate.engine.sing.phrases import Phrase, TimedNote, phrases
from songgate.engine.sing.world import SyllableModel
from songgate.engine.types import SAMPLE_RATE, Score, VocalNote

FloatArray = npt.NDArray[np.float64]

INTERNAL_RATE = 22_050  # espeak-ng's rate; everything is analysed and mixed at it
PEAK_DBFS = -3.0
LEGATO_GAP_S = 0.12  # a note starting this soon after the last one ends glides from it
FADE_IN_S = 0.005
FADE_OUT_S = 0.02
UNSTRESSED_GAIN = 0.85
# A phrase's audio starts no earlier than this before its first note (Flite's lead-in)
# plus a margin: the mix before the next phrase's start less this is final.
FINAL_BEFORE_S = phrase_singer.LEAD_S + 0.1

# Told, after each phrase, the mix so far at INTERNAL_RATE and the second before which
# it is final (no later phrase adds to it).
Sung = Callable[[FloatArray, float], None]


def sing(
    score: Score,
    *,
    sample_rate: int = SAMPLE_RATE,
    voice: str = "f",
    seed: int = 0,
    use_flite: bool = True,
    sung: Sung | None = None,
) -> npt.NDArray[np.float32]:
    """Mono float32 audio of exactly ``ceil(score.seconds * sample_rate)`` samples with
    ``score.vocal`` sung at its times; silent if there is no vocal. ``voice`` is "f",
    "m", a Flite voice or an espeak-ng variant name; ``seed`` only varies the vibrato
    slightly. English phrases are sung whole by Flite when it is installed (and
    ``use_flite``), everything else syllable by syllable by espeak-ng. ``sung`` hears how
    far the (unscaled) mix is final as the phrases are sung, the last time at the end."""
    if sample_rate <= 0:
        raise ValueError("sample_rate must be positive")
    n_out = max(0, math.ceil(score.seconds * sample_rate))
    if not score.vocal or n_out == 0:
        return np.zeros(n_out, dtype=np.float32)

    rng = np.random.default_rng(seed % 2**64)  # any int, negative too
    flite_name = voices.flite_voice(voice) if use_flite else None
    singer: _Singer | None = None
    mix = np.zeros(math.ceil(score.seconds * INTERNAL_RATE) + 1)
    previous: TimedNote | None = None
    found = phrases(score)
    if sung is not None and found:
        sung(mix, found[0].start - FINAL_BEFORE_S)
    for index, phrase in enumerate(found):
        ornaments = [pitch.Ornament.draw(rng) for _ in phrase.notes]  # stable sequence
        legato = previous is not None and phrase.start - previous.end <= LEGATO_GAP_S
        from_pitch = previous.pitch if legato and previous is not None else None
        whole = None
        if flite_name is not None and phrase.language == "en":
            whole = _flite_phrase(phrase, flite_name, ornaments, from_pitch)
        if whole is not None:
            origin, audio = whole
            _add(mix, audio, round(origin * INTERNAL_RATE))
        else:
            singer = singer or _Singer(voices.espeak_variant(voice))
            _espeak_phrase(singer, mix, phrase, ornaments, from_pitch)
        previous = phrase.notes[-1]
        if sung is not None:
            following = found[index + 1].start if index + 1 < len(found) else math.inf
            sung(mix, following - FINAL_BEFORE_S)

    out = _resample(mix, sample_rate)
    out = np.pad(out, (0, max(0, n_out - out.size)))[:n_out]
    peak = float(np.max(np.abs(out)))
    if peak > 0.0:
        out *= 10.0 ** (PEAK_DBFS / 20.0) / peak
    return out.astype(np.float32)


def _flite_phrase(
    phrase: Phrase, voice: str, ornaments: list[pitch.Ornament], from_pitch: int | None
) -> tuple[float, FloatArray] | None:
    """The phrase sung by Flite at INTERNAL_RATE, with its start; None to fall back."""
    try:
        sung = phrase_singer.sing_phrase(phrase, voice, ornaments, from_pitch)
    except flite.FliteError:
        return None
    if sung is None:
        return None
    origin, audio, rate = sung
    return origin, _resample_from(audio, rate, INTERNAL_RATE) if rate != INTERNAL_RATE else audio


def _espeak_phrase(
    singer: _Singer,
    mix: FloatArray,
    phrase: Phrase,
    ornaments: list[pitch.Ornament],
    from_pitch: int | None,
) -> None:
    """Sing the phrase note by note, each syllable spoken alone by espeak-ng."""
    previous: TimedNote | None = None
    for timed, ornament in zip(phrase.notes, ornaments, strict=True):
        legato = previous is not None and timed.start - previous.end <= LEGATO_GAP_S
        audio = singer.note(
            timed.note,
            seconds=timed.end - timed.start,
            from_pitch=previous.pitch if legato and previous is not None else from_pitch,
            ornament=ornament,
        )
        _add(mix, audio, round(timed.start * INTERNAL_RATE))
        previous, from_pitch = timed, None


class _Singer:
    """One call's voice: espeak is run and WORLD analysis done once per distinct
    syllable text, then reused for every note that sings it."""

    def __init__(self, voice: str) -> None:
        self._voices = {lang: espeak.espeak_voice(lang, voice) for lang in ("en", "zh")}
        self._models: dict[tuple[str, str], SyllableModel | None] = {}

    def model(self, sung: str, language: str) -> SyllableModel | None:
        """The syllable's model; the language's hum vowel if it has nothing voiced."""
        lang = "zh" if language == "zh" else "en"
        found = self._load(espeak.speakable(sung, lang), lang)
        return found if found is not None else self._load(espeak.HUM[lang], lang)

    def note(
        self,
        note: VocalNote,
        *,
        seconds: float,
        from_pitch: int | None,
        ornament: pitch.Ornament,
    ) -> FloatArray:
        """The note sung at INTERNAL_RATE, exactly as long as the note."""
        n_samples = max(1, round(seconds * INTERNAL_RATE))
        model = self.model(note.syllable.sung, note.syllable.language)
        if model is None:
            return np.zeros(n_samples)
        hop = INTERNAL_RATE * world.FRAME_MS / 1000.0
        n_frames = max(2, math.ceil(n_samples / hop) + 1)
        position = world.time_map(model, n_frames)
        f0 = pitch.contour(
            n_frames,
            world.FRAME_MS / 1000.0,
            note.pitch,
            onset_frame=world.first_voiced(model, position),
            from_pitch=from_pitch,
            ornament=ornament,
        )
        audio = world.synthesize(model, position, f0)
        audio = np.pad(audio, (0, max(0, n_samples - audio.size)))[:n_samples]
        if not note.syllable.stressed:
            audio *= UNSTRESSED_GAIN
        return _fade(audio)

    def _load(self, text: str, lang: str) -> SyllableModel | None:
        key = (text, lang)
        if key not in self._models:
            samples, rate = espeak.speak(text, self._voices[lang])
            if rate != INTERNAL_RATE:
                samples = _resample_from(samples, rate, INTERNAL_RATE)
            self._models[key] = world.analyse(samples, INTERNAL_RATE)
        return self._models[key]


def _fade(audio: FloatArray) -> FloatArray:
    """Raised-cosine fades so a note never starts or stops with a click."""
    n = audio.size
    for length, rising in (
        (min(round(FADE_IN_S * INTERNAL_RATE), n // 4), True),
        (min(round(FADE_OUT_S * INTERNAL_RATE), n // 4), False),
    ):
        if length > 0:
            ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(length) + 0.5) / length)
            if rising:
                audio[:length] *= ramp
            else:
                audio[n - length :] *= ramp[::-1]
    return audio


def _add(mix: FloatArray, audio: FloatArray, start: int) -> None:
    """Overlap-add ``audio`` at ``start``, cropped to the mix."""
    if start < 0:
        audio, start = audio[-start:], 0
    end = min(mix.size, start + audio.size)
    if end > start:
        mix[start:end] += audio[: end - start]


def _resample(mix: FloatArray, rate: int) -> FloatArray:
    return mix if rate == INTERNAL_RATE else _resample_from(mix, INTERNAL_RATE, rate)


def _resample_from(x: FloatArray, src: int, dst: int) -> FloatArray:
    ratio = Fraction(dst, src)
    return np.asarray(resample_poly(x, ratio.numerator, ratio.denominator), dtype=np.float64)
