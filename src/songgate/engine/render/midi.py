"""Score → Standard MIDI File bytes.

The MIDI file is what FluidSynth renders and what a user could download and
edit, so it carries everything a GM player needs: tempo, time signature, and
for every track its program, volume (CC7) and pan (CC10) ahead of the notes.
Drums sit on the GM drum channel with the kit as their program.

The file is type 1 at 480 ticks per beat: a conductor track with the meta
events, then one track per Score track. Equal scores give equal bytes, because
events are ordered by a total key rather than by the order notes arrive in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import mido

from songgate.engine.types import Note, Score, Track

TICKS_PER_BEAT = 480

# Event kinds in the order they are written when they fall on the same tick:
# a note ends before the next one on the same tick starts, so repeated notes
# of one pitch re-articulate instead of being cut off by their predecessor.
_OFF, _ON = 0, 1


def score_to_midi(score: Score) -> bytes:
    """The score as a type-1 SMF (480 ticks per beat), deterministic for equal scores."""
    if score.tempo <= 0:
        raise ValueError(f"tempo must be positive, got {score.tempo}")
    end_tick = _ticks(score.total_beats)
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_BEAT)
    midi.tracks.append(_conductor(score, end_tick))
    for track in score.tracks:
        midi.tracks.append(_track(track, end_tick))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def _ticks(beats: float) -> int:
    return max(0, round(beats * TICKS_PER_BEAT))


def _conductor(score: Score, end_tick: int) -> mido.MidiTrack:
    """Track 0: tempo and time signature, ending with the song (tail included)."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name="songgate", time=0))
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(score.tempo), time=0))
    track.append(
        mido.MetaMessage(
            "time_signature",
            numerator=max(1, min(255, score.meter)),
            denominator=4,
            clocks_per_click=24,
            notated_32nd_notes_per_beat=8,
            time=0,
        )
    )
    track.append(mido.MetaMessage("end_of_track", time=end_tick))
    return track


def _track(track: Track, end_tick: int) -> mido.MidiTrack:
    if not 0 <= track.channel <= 15:
        raise ValueError(f"track {track.name!r}: channel {track.channel} is not 0-15")
    channel = track.channel
    out = mido.MidiTrack()
    out.append(mido.MetaMessage("track_name", name=track.name, time=0))
    out.append(mido.Message("program_change", channel=channel, program=_byte(track.program)))
    out.append(
        mido.Message("control_change", channel=channel, control=7, value=_byte(track.volume))
    )
    out.append(mido.Message("control_change", channel=channel, control=10, value=_byte(track.pan)))
    now = 0
    for tick, kind, pitch, velocity in _events(track.notes):
        if kind == _ON:
            message = mido.Message(
                "note_on", channel=channel, note=pitch, velocity=velocity, time=tick - now
            )
        else:
            message = mido.Message(
                "note_off", channel=channel, note=pitch, velocity=0, time=tick - now
            )
        out.append(message)
        now = tick
    out.append(mido.MetaMessage("end_of_track", time=max(0, end_tick - now)))
    return out


def _events(notes: Iterable[Note]) -> list[tuple[int, int, int, int]]:
    """(tick, kind, pitch, velocity) for every note on and off, in a total order.

    Overlapping notes of the same pitch cannot both sound on one MIDI channel
    (the first note-off would silence both), so an earlier note is shortened to
    end where the next one of its pitch starts. Every note lasts at least a tick.
    """
    by_pitch: dict[int, list[tuple[int, int, int]]] = {}
    for note in notes:
        start = _ticks(note.start)
        end = max(start + 1, _ticks(note.start + note.duration))
        by_pitch.setdefault(_byte(note.pitch), []).append((start, end, _velocity(note.velocity)))
    events: list[tuple[int, int, int, int]] = []
    for pitch, spans in by_pitch.items():
        spans.sort()
        for index, (start, end, velocity) in enumerate(spans):
            if index + 1 < len(spans) and spans[index + 1][0] == start:
                continue  # a duplicate onset: the last of them (loudest, by sort) sounds
            if index + 1 < len(spans):
                end = max(start + 1, min(end, spans[index + 1][0]))
            events.append((start, _ON, pitch, velocity))
            events.append((end, _OFF, pitch, 0))
    events.sort()
    return events


def _byte(value: int) -> int:
    return max(0, min(127, int(value)))


def _velocity(value: int) -> int:
    return max(1, min(127, int(value)))
