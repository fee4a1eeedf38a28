"""A part for existing audio: a voice over an instrumental, or a band under a vocal.

The uploaded audio is listened to first (``engine/listen``): its beat grid, key and
chords, or its sung melody. A :class:`~songgate.engine.guide.Guide` then fixes the new
part's tempo, meter, key and chord per bar, and the new part's bar 0 is placed on the
upload's first bar line (``guide.first_bar_s``), so sung bars fall on the upload's.

* vocals: the lyrics are sung on a melody composed over the upload's chords; the upload
  is the band (nothing else is rendered) and the voice is mixed over it as over any band.
* instrumental: the chords are harmonised from the upload's melody
  (``compose/harmonise.py``), the band of the tags is rendered under it (its lead left
  out: the upload sings the tune), and the upload is mixed in as the vocal.

Either way the sum is mastered to the engine's loudness and the stems (the new part,
the upload) sum to it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from songgate.engine.compose.harmonise import harmonise, melody_key
from songgate.engine.guide import Guide, GuideNote, guide_from_analysis
from songgate.engine.listen import Analysis
from songgate.engine.master import mix
from songgate.engine.master.effort import effort_curve
from songgate.engine.master.room import room_for
from songgate.engine.render.stems import render_stems
from songgate.engine.request import SongRequest
from songgate.engine.scoring import composed, style_and_form
from songgate.engine.settled_grid import phrased, settled
from songgate.engine.source import SourceAudio, read_source
from songgate.engine.types import SAMPLE_RATE, Note, Score, Style, Track
from songgate.engine.voice_tempo import voice_grid

log = logging.getLogger("songgate.engine")

Audio = npt.NDArray[np.float32]
VOCALS, INSTRUMENTAL = "vocals", "instrumental"
PARTS = (VOCALS, INSTRUMENTAL)
ORIGINAL = "original"  # the upload's stem beside the added voice
SUNG_PROGRAM = 53  # GM voice oohs: the sung line's track in the MIDI file
MIN_ROOM_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class AddedSong:
    """What :func:`add_part` made, before it is encoded."""

    audio: Audio  # (frames, 2), mastered, as long as the upload
    stems: dict[str, Audio]  # names of song.STEM_NAMES; they sum to ``audio``
    score: Score  # the new part's notes from its bar 0 (MIDI, sung words)
    style: Style
    guide: Guide
    offset_s: float  # where the score's bar 0 sounds in ``audio``
    renderer: str
    sung: bool


def placed(audio: npt.ArrayLike, offset_s: float, frames: int, sample_rate: int) -> Audio:
    """``audio`` starting ``offset_s`` into ``frames`` frames of silence (cut at the end)."""
    data = np.asarray(audio, dtype=np.float32)
    out = np.zeros((frames, *data.shape[1:]), dtype=np.float32)
    start = min(frames, max(0, round(offset_s * sample_rate)))
    length = min(len(data), frames - start)
    out[start:start + length] = data[:length]
    return out


def add_part(request: SongRequest, source: SourceAudio | None = None) -> AddedSong:
    """The request's part (``request.added_part``) made for its upload (``source``: the
    upload, read already)."""
    added = request.added_part
    if added is None or added.part not in PARTS:
        raise ValueError("add_part needs a request with an added part, vocals or instrumental")
    if source is None:
        source = read_source(added.source_wav, request.listened_in)
    upload = source.at_rate(SAMPLE_RATE, "the upload")
    analysis = source.analysis()  # its loudness is the pair's; the rest as of the mono mix
    mono = upload.mean(axis=1)
    guide = settled(replace(guide_from_analysis(analysis), melody=(), sections=()), analysis,
                    mono, SAMPLE_RATE)
    frames = len(upload)
    room = max(MIN_ROOM_SECONDS, frames / SAMPLE_RATE - guide.first_bar_s)
    if added.part == INSTRUMENTAL:
        notes = [(n.onset, n.offset) for n in analysis.melody]
        grid = voice_grid([onset for onset, _ in notes])
        if grid is not None:  # a lone voice: its notes keep the beat better than its audio
            guide = replace(guide, tempo=grid.tempo, first_bar_s=grid.eighth_origin_s)
        guide = phrased(guide, notes, steps=1 if grid is None else 2)
        room = max(MIN_ROOM_SECONDS, frames / SAMPLE_RATE - guide.first_bar_s)
        tune = _tune(analysis, guide)
        key = melody_key(tune)
        if key is not None:
            guide = replace(guide, tonic=key[0], mode=key[1])
        bars = math.ceil(room / guide.bar_seconds())
        harmony = harmonise(tune, tonic=guide.tonic, mode=guide.mode, meter=guide.meter,
                            bars=bars)
        guide = replace(guide, chords=harmony.chords)
        log.info("harmonised", extra={"bars": bars, "coverage": round(harmony.coverage, 3)})
        return _band_under(request, upload, guide, room)
    return _voice_over(request, upload, guide, room)


def _tune(analysis: Analysis, guide: Guide) -> tuple[GuideNote, ...]:
    """The upload's melody in beats from the guide's first bar line."""
    return tuple(
        GuideNote(guide.beat_at(n.onset), max(0.0625, (n.offset - n.onset) * guide.tempo / 60.0),
                  n.pitch)
        for n in analysis.melody if n.onset >= guide.first_bar_s - 1e-6
    )


def _voice_over(request: SongRequest, upload: Audio, guide: Guide, room: float) -> AddedSong:
    from songgate.engine.sing.espeak import EspeakError
    from songgate.engine.sing.vocals import sing

    song = replace(request, guide=guide, instrumental=False, added_part=None, max_seconds=room)
    style, form = style_and_form(song)
    score = composed(song, style, form, room).score
    frames = len(upload)
    voice = np.zeros(frames, dtype=np.float32)
    gain = np.ones(frames, dtype=np.float32)
    sung = False
    if score.vocal:
        try:
            sung_audio = sing(score, sample_rate=SAMPLE_RATE, seed=song.seed, voice=song.singer)
            voice = placed(sung_audio, guide.first_bar_s, frames, SAMPLE_RATE)
            curve = effort_curve(score, len(sung_audio), SAMPLE_RATE)
            gain = placed(curve, guide.first_bar_s, frames, SAMPLE_RATE)
            gain[: round(guide.first_bar_s * SAMPLE_RATE)] = curve[0] if len(curve) else 1.0
            sung = bool(np.any(voice))
        except EspeakError as unavailable:  # the upload stays, unsung
            log.warning("no singing: %s", unavailable)
    mixed = mix.mix_stems({ORIGINAL: upload}, voice if sung else None, SAMPLE_RATE,
                          room=room_for(style.genre), tempo=style.tempo, vocal_gain=gain)
    audio, stems = mix.master_stems(mixed, SAMPLE_RATE)
    if not sung:
        del stems[VOCALS]
    sung_line = Track("vocals", SUNG_PROGRAM, 0, tuple(
        Note(v.start, v.duration, v.pitch, 96) for v in score.vocal))
    return AddedSong(audio, stems, replace(score, tracks=(sung_line,)), style, guide,
                     guide.first_bar_s, "none", sung)


def _band_under(request: SongRequest, upload: Audio, guide: Guide, room: float) -> AddedSong:
    song = replace(request, guide=guide, instrumental=True, lyrics="", added_part=None,
                   max_seconds=room)
    style, form = style_and_form(song)
    score = composed(song, style, form, room).score
    score = replace(score, tracks=tuple(t for t in score.tracks if t.name != "lead"), vocal=())
    rendered = render_stems(score, sample_rate=SAMPLE_RATE, fine=True)
    frames = len(upload)
    band = {name: placed(stem, guide.first_bar_s, frames, SAMPLE_RATE)
            for name, stem in rendered.stems.items()}
    stems = _under(band, upload)
    audio, mastered = mix.master_stems(stems, SAMPLE_RATE)
    return AddedSong(audio, mastered, score, style, guide, guide.first_bar_s,
                     rendered.renderer, True)


def _under(band: dict[str, Audio], vocal: Audio) -> dict[str, Audio]:
    """The band levelled as the engine levels its own, the upload over it as its voice."""
    frames = len(vocal)
    total = np.zeros((frames, 2), dtype=np.float32)
    for stem in band.values():
        total += stem
    band_loudness = mix.integrated_lufs(total, SAMPLE_RATE)
    level = 1.0 if math.isinf(band_loudness) else 10 ** ((mix.BAND_LUFS - band_loudness) / 20)
    voice_loudness = mix.integrated_lufs(vocal, SAMPLE_RATE)
    target = mix.BAND_LUFS + mix.VOCAL_OVER_BAND_LU
    voice_level = 1.0 if math.isinf(voice_loudness) else 10 ** ((target - voice_loudness) / 20)
    stems = {name: stem * np.float32(level) for name, stem in band.items()}
    return {**stems, VOCALS: vocal * np.float32(voice_level)}
