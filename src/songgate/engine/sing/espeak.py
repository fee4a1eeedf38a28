"""Speak one syllable with Debian's ``espeak-ng``: the raw material the singer reshapes.

espeak-ng is a formant/diphone speech synthesiser with no notion of pitch targets or
note lengths; it only supplies intelligible consonants and vowels. ``world``
then re-pitches and re-times what it says. English goes to the ``en-us`` voice;
Chinese arrives as tone-numbered pinyin (espeak's Mandarin character dictionary
lacks common characters) and goes to the ``cmn-latn-pinyin`` voice.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import wave

import numpy as np
import numpy.typing as npt

ESPEAK = "espeak-ng"

#: What to sing when a syllable has nothing pronounceable: an open neutral vowel.
HUM = {"en": "ah", "zh": "a5"}

# The ``voice`` argument of ``sing``: a short name, or an espeak variant name as is.
# f1 and m3 add no echo: variants such as f2-f5 mix in a 120-140 ms echo that WORLD
# reads as a second, quieter copy of the vowel after the real one.
_VARIANTS = {"f": "f1", "m": "m3", "female": "f1", "male": "m3"}
_VARIANT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")

# English keeps letters and inner apostrophes ("don't"); pinyin keeps letters, ü and
# the tone digit. Everything else (digits, punctuation, symbols) would either be
# spelled out at length ("7" → "seven") or switch espeak's language, so it is dropped.
_EN_DROP = re.compile(r"[^a-z']+")
_EN_VOWEL = re.compile(r"[aeiouy]")
_ZH_SYLLABLE = re.compile(r"[a-zü]+[1-5]?")


class EspeakError(RuntimeError):
    """espeak-ng is missing or produced no usable audio."""


def espeak_voice(language: str, voice: str) -> str:
    """The ``-v`` argument for a language ("en"/"zh") and a voice ("f", "m" or a variant)."""
    variant = _VARIANTS.get(voice.lower(), voice)
    if not _VARIANT_NAME.fullmatch(variant):
        raise ValueError(f"not an espeak-ng voice variant: {voice!r}")
    base = "cmn-latn-pinyin" if language == "zh" else "en-us"
    return f"{base}+{variant}"


def speakable(sung: str, language: str) -> str:
    """Reduce a syllable's ``sung`` text to what espeak should say, or the hum vowel.

    Pinyin without a tone digit gets the neutral tone ``5``: bare "a" would otherwise
    be read as the letter name.
    """
    lang = "zh" if language == "zh" else "en"
    text = sung.strip().lower()
    if lang == "zh":
        words = [
            w if w[-1].isdigit() else f"{w}5"
            for w in _ZH_SYLLABLE.findall(text.replace("v", "ü").replace("u:", "ü"))
        ]
        cleaned = " ".join(words)
    else:
        # "café" → "cafe": accents are split off and dropped with the other symbols.
        text = unicodedata.normalize("NFKD", text)
        words = [w.strip("'") for w in _EN_DROP.split(text)]
        # A chunk without a vowel letter ("shh", "st") would be spelled out letter by
        # letter, or read as an abbreviation ("st" → "saint"): hum it instead.
        cleaned = " ".join(w for w in words if _EN_VOWEL.search(w))
    return cleaned or HUM[lang]


def speak(text: str, voice_arg: str) -> tuple[npt.NDArray[np.float64], int]:
    """Run espeak-ng once; return its mono audio in [-1, 1] and its sample rate."""
    exe = shutil.which(ESPEAK)
    if exe is None:
        raise EspeakError("espeak-ng is not installed (Debian package espeak-ng)")
    # The text is an argument, never shell-interpreted; "--" stops option parsing.
    done = subprocess.run(
        [exe, "-v", voice_arg, "--stdout", "--", text],
        capture_output=True,
        check=False,
        timeout=30,
    )
    if done.returncode != 0 or len(done.stdout) <= 44:
        raise EspeakError(
            f"espeak-ng failed for {text!r} ({done.returncode}): {done.stderr[:200]!r}"
        )
    return _decode_wav(done.stdout)


def _decode_wav(data: bytes) -> tuple[npt.NDArray[np.float64], int]:
    """Decode espeak's 16-bit mono WAV; its streamed header claims a huge length, so
    the sample count comes from the bytes actually present."""
    with wave.open(io.BytesIO(data)) as wav:
        rate = wav.getframerate()
        if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
            raise EspeakError("espeak-ng produced an unexpected WAV format")
        header = len(data) - len(wav.readframes(wav.getnframes()))
    pcm = np.frombuffer(data[header : header + (len(data) - header) // 2 * 2], dtype="<i2")
    return pcm.astype(np.float64) / 32768.0, rate
