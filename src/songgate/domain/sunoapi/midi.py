"""A clip's MIDI file as the dialect's ``midiData``: each instrument's notes in seconds.

``{"state": "complete", "instruments": [{"name", "notes": [{pitch, start, end,
velocity}]}]}``: one instrument per track (or per channel of a track) that sounds a
note, named by its track name (the GM drum channel is ``Drums``); times in seconds
through the file's tempo changes; velocity scaled to 0..1 as the dialect writes it.
"""

from __future__ import annotations

import io
from bisect import bisect_right
from typing import Any

import mido

DRUM_CHANNEL = 9
DEFAULT_TEMPO = 500_000  # microseconds per beat: 120 bpm, MIDI's own default
MAX_NOTES = 100_000  # a file with more is refused rather than answered in megabytes


class MidiUnreadable(ValueError):
    """The file is not MIDI this reader takes (or has too many notes)."""


class _Clock:
    """Ticks to seconds through a file's tempo map."""

    def __init__(self, midi: mido.MidiFile) -> None:
        changes: dict[int, int] = {}
        for track in midi.tracks:
            tick = 0
            for message in track:
                tick += message.time
                if message.type == "set_tempo":
                    changes[tick] = message.tempo
        self._ticks = [0]
        self._seconds = [0.0]
        self._tempos = [changes.pop(0, DEFAULT_TEMPO)]
        per_beat = midi.ticks_per_beat
        for tick in sorted(changes):
            elapsed = mido.tick2second(tick - self._ticks[-1], per_beat, self._tempos[-1])
            self._ticks.append(tick)
            self._seconds.append(self._seconds[-1] + elapsed)
            self._tempos.append(changes[tick])
        self._per_beat = per_beat

    def seconds(self, tick: int) -> float:
        index = bisect_right(self._ticks, tick) - 1
        return float(self._seconds[index] + mido.tick2second(
            tick - self._ticks[index], self._per_beat, self._tempos[index]))


def midi_data(content: bytes) -> dict[str, Any]:
    """``midiData`` of a MIDI file's bytes."""
    try:
        midi = mido.MidiFile(file=io.BytesIO(content))
    except (OSError, ValueError, EOFError, KeyError, IndexError) as failure:
        raise MidiUnreadable(f"not a MIDI file: {failure}") from None
    clock = _Clock(midi)
    instruments: list[dict[str, Any]] = []
    count = 0
    for track in midi.tracks:
        name = ""
        sounding: dict[tuple[int, int], list[tuple[int, int]]] = {}
        notes: dict[int, list[dict[str, Any]]] = {}
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "track_name":
                name = str(message.name)
            elif message.type == "note_on" and message.velocity > 0:
                sounding.setdefault((message.channel, message.note), []).append(
                    (tick, message.velocity))
            elif message.type in ("note_off", "note_on"):
                started = sounding.get((message.channel, message.note))
                if not started:
                    continue  # an end without a start
                begin, velocity = started.pop(0)
                count += 1
                if count > MAX_NOTES:
                    raise MidiUnreadable(f"more than {MAX_NOTES} notes")
                notes.setdefault(message.channel, []).append({
                    "pitch": message.note, "start": clock.seconds(begin),
                    "end": clock.seconds(tick), "velocity": round(velocity / 127, 4)})
        for channel in sorted(notes):
            played = sorted(notes[channel], key=lambda note: (note["start"], note["pitch"]))
            label = "Drums" if channel == DRUM_CHANNEL else name or f"Channel {channel + 1}"
            instruments.append({"name": label, "notes": played})
    return {"state": "complete", "instruments": instruments}
