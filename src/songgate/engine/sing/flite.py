"""Speak a whole English phrase with Flite (Debian's ``libflite1``) through ctypes.

Flite is a small unit-selection / statistical-parametric synthesiser whose
English is far clearer than espeak-ng's. Its C API returns, besides the wave,
the utterance's structure: every segment (phone) with its end time, grouped
into syllables and words. The phrase singer needs exactly that to know where
each syllable's consonants and vowel lie. Nothing is written to disk, and no
subprocess is run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

#: Voice short names; voice ``x`` is registered by ``libflite_cmu_us_x``.
VOICES = ("slt", "rms", "awb")
#: The libraries every voice needs, the engine last.
LIBRARIES = ("flite_usenglish", "flite_cmulex", "flite")

SEED = 1  # the same text always sounds the same

# Flite is not thread safe; one lock serialises every call into it.
_LOCK = threading.Lock()


class FliteError(RuntimeError):
    """libflite or the requested voice is missing, or synthesis failed."""


class _VoiceHead(ctypes.Structure):
    """The first fields of Flite's ``cst_voice``: its name and its feature set."""

    _fields_ = [("name", ctypes.c_char_p), ("features", ctypes.c_void_p)]


class _Wave(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_char_p),
        ("sample_rate", ctypes.c_int),
        ("num_samples", ctypes.c_int),
        ("num_channels", ctypes.c_int),
        ("samples", ctypes.POINTER(ctypes.c_short)),
    ]


@dataclass(frozen=True, slots=True)
class Phone:
    name: str  # flite's phone symbol: "ae", "t", "pau" ...
    start: float  # seconds
    end: float
    vowel: bool
    syllable: int  # index of its syllable in the phrase
    word: int  # index of its word in the phrase


@dataclass(frozen=True, slots=True)
class Spoken:
    """A phrase as Flite says it."""

    samples: npt.NDArray[np.float64]  # mono, [-1, 1]
    rate: int
    phones: tuple[Phone, ...]
    words: tuple[str, ...]
    syllables_per_word: tuple[int, ...]


def _load(name: str) -> ctypes.CDLL:
    found = ctypes.util.find_library(name)
    for candidate in (found, f"lib{name}.so.1"):
        if candidate is None:
            continue
        try:
            return ctypes.CDLL(candidate, mode=ctypes.RTLD_GLOBAL)
        except OSError:
            continue
    raise FliteError(f"lib{name} is not installed (Debian package libflite1)")


class _Flite:
    def __init__(self) -> None:
        for name in LIBRARIES[:-1]:
            _load(name)
        lib = _load(LIBRARIES[-1])
        vp, cp = ctypes.c_void_p, ctypes.c_char_p
        for fn, restype, argtypes in (
            ("flite_init", ctypes.c_int, []),
            ("flite_synth_text", vp, [cp, vp]),
            ("utt_wave", ctypes.POINTER(_Wave), [vp]),
            ("utt_relation", vp, [vp, cp]),
            ("relation_head", vp, [vp]),
            ("item_next", vp, [vp]),
            ("item_feat_string", cp, [vp, cp]),
            ("item_feat_float", ctypes.c_float, [vp, cp]),
            ("ffeature_string", cp, [vp, cp]),
            ("ffeature_float", ctypes.c_float, [vp, cp]),
            ("item_daughter", vp, [vp]),
            ("delete_utterance", vp, [vp]),
            ("flite_feat_set_float", None, [vp, cp, ctypes.c_float]),
        ):
            func = getattr(lib, fn)
            func.restype = restype
            func.argtypes = argtypes
        lib.flite_init()
        self.lib = lib
        self.libc = ctypes.CDLL(None)
        self.libc.srand.argtypes = [ctypes.c_uint]
        self.libc.srand.restype = None
        self._voices: dict[str, int] = {}

    def voice(self, name: str) -> int:
        if name not in VOICES:
            raise FliteError(f"unknown Flite voice {name!r}")
        if name not in self._voices:
            lib = _load(f"flite_cmu_us_{name}")
            register = getattr(lib, f"register_cmu_us_{name}")
            register.restype = ctypes.c_void_p
            register.argtypes = [ctypes.c_char_p]
            pointer = register(None)
            if not pointer:
                raise FliteError(f"Flite voice {name} did not load")
            self._voices[name] = int(pointer)
        return self._voices[name]


@cache
def _flite() -> _Flite:
    return _Flite()


def forget() -> None:
    """Drop the loaded libraries' handles, so the next call looks for them again."""
    _flite.cache_clear()


def available(voice: str = "slt") -> bool:
    """Whether libflite and ``voice`` load on this machine."""
    try:
        with _LOCK:
            _flite().voice(voice)
    except FliteError:
        return False
    return True


def speak(text: str, voice: str, *, pace: float = 1.0) -> Spoken:
    """Synthesise ``text`` (plain English words) with a Flite voice, ``pace`` times
    as slow as the voice's own speech (Flite's ``duration_stretch``)."""
    if not 0.25 <= pace <= 4.0:
        raise ValueError(f"pace must be within 0.25..4, not {pace}")
    with _LOCK:
        flite = _flite()
        lib = flite.lib
        flite.libc.srand(SEED)  # the voices' noise excitation draws from libc's rand()
        handle = flite.voice(voice)
        head = _VoiceHead.from_address(handle)
        lib.flite_feat_set_float(head.features, b"duration_stretch", pace)
        utt = lib.flite_synth_text(text.encode("utf-8"), handle)
        if not utt:
            raise FliteError(f"Flite could not say {text!r}")
        try:
            wave = lib.utt_wave(utt).contents
            count = wave.num_samples * max(1, wave.num_channels)
            pcm = np.ctypeslib.as_array(wave.samples, shape=(count,)).astype(np.float64)
            samples = pcm[:: max(1, wave.num_channels)] / 32768.0
            phones, words, per_word = _structure(lib, utt)
            rate = int(wave.sample_rate)
        finally:
            lib.delete_utterance(utt)
    if samples.size == 0:
        raise FliteError(f"Flite said nothing for {text!r}")
    return Spoken(samples, rate, phones, words, per_word)


def _structure(
    lib: ctypes.CDLL, utt: int
) -> tuple[tuple[Phone, ...], tuple[str, ...], tuple[int, ...]]:
    """Phones with times, word texts and syllable counts per word, read from the
    SylStructure relation (word -> syllables -> segments); pauses are left out."""
    words: list[str] = []
    per_word: list[int] = []
    phones: list[Phone] = []
    syllable_count = 0
    word = lib.relation_head(lib.utt_relation(utt, b"SylStructure"))
    while word:
        words.append(_text(lib.item_feat_string(word, b"name")))
        per_word.append(0)
        syllable = lib.item_daughter(word)
        while syllable:
            per_word[-1] += 1
            segment = lib.item_daughter(syllable)
            while segment:
                end = float(lib.item_feat_float(segment, b"end"))
                start = float(lib.ffeature_float(segment, b"R:Segment.p.end"))
                phones.append(
                    Phone(
                        name=_text(lib.item_feat_string(segment, b"name")),
                        start=min(start, end),
                        end=end,
                        vowel=lib.ffeature_string(segment, b"ph_vc") == b"+",
                        syllable=syllable_count,
                        word=len(words) - 1,
                    )
                )
                segment = lib.item_next(segment)
            syllable_count += 1
            syllable = lib.item_next(syllable)
        word = lib.item_next(word)
    return tuple(phones), tuple(words), tuple(per_word)


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", "replace")
