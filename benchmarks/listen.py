"""How well the listening library (engine/listen) hears songs whose truth is known: twenty
of the engine's own songs in its twelve styles, their tempo, key, chords per bar and sung
notes taken from the score (engine/truth.py).

    nice python -m benchmarks.listen

The songs are rendered once with make_song into a cache folder ($SONGGATE_LISTEN_CACHE,
else songgate-listen in the temp folder); reruns only listen. Prints per song and in all,
against the targets: tempo within 2 % (or double or half) for >= 90 % of songs, key and
mode right for >= 80 %, the chord per bar right (root and major/minor, read at each true
bar's middle) for >= 70 % of bars, and the melody notes of the vocal stem (onset within
50 ms, same MIDI pitch) at an F1 >= 0.6. Section boundaries found within a bar of the
score's are printed too (no target), and the seconds the analysis takes, for each song
and for a three-minute song.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import soundfile
from tests.support.listening import (
    boundary_hits,
    chord_accuracy,
    key_right,
    note_f1,
    tempo_right,
)

from benchmarks._listen_songs import bench_songs, rendered
from songgate.engine.listen import listen
from songgate.engine.truth import song_truth

TARGETS = {"tempo": 0.9, "key": 0.8, "chords": 0.7, "melody F1": 0.6}
THREE_MINUTES = 180.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--songs", type=int, default=20, help="the first N songs only")
    songs = [rendered(song) for song in bench_songs()[: parser.parse_args().songs]]
    names = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    header = ("song", "tempo", "key", "chords", "F1", "bounds", "s")  # s: wall seconds
    print(f"{header[0]:22s} {header[1]:>15s} {header[2]:>19s}", *(f"{h:>6s}" for h in header[3:]))
    tempos, keys, chords, f1s, bounds, seconds, cpus, durations = [], [], [], [], [], [], [], []
    for song in songs:
        mix, rate = soundfile.read(song.mix, dtype="float32")
        vocals, _ = soundfile.read(song.vocals, dtype="float32")
        started, cpu = time.perf_counter(), time.process_time()
        analysis = listen(mix, rate, melody_audio=vocals)
        seconds.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        durations.append(analysis.seconds)
        truth = song_truth(song.request)
        tempos.append(tempo_right(analysis.grid.tempo, truth.tempo))
        keys.append(key_right(analysis, truth))
        chords.append(chord_accuracy(analysis, truth))
        f1s.append(note_f1(analysis.melody, truth.melody))
        bounds.append(boundary_hits(analysis, truth))
        true_key = f"{names[truth.tonic]} {truth.mode.value}"
        print(
            f"{song.name:22s} {analysis.grid.tempo:6.1f}/{truth.tempo:5.1f}"
            f" {'ok' if tempos[-1] else 'NO':>2s}"
            f" {analysis.key.name:>8s}/{true_key:8s} {'ok' if keys[-1] else 'NO':>2s}"
            f" {chords[-1]:6.2f} {f1s[-1]:6.2f} {bounds[-1]:6.2f} {seconds[-1]:6.1f}",
            flush=True,
        )
    figures = {
        "tempo": float(np.mean(tempos)),
        "key": float(np.mean(keys)),
        "chords": float(np.mean(chords)),
        "melody F1": float(np.mean(f1s)),
    }
    print()
    for name, value in figures.items():
        verdict = "met" if value >= TARGETS[name] else "NOT met"
        print(f"{name:10s} {value:5.2f}  (target >= {TARGETS[name]:.2f}: {verdict})")
    print(f"{'sections':10s} {np.mean(bounds):5.2f}  (section starts within a bar; no target)")
    per_minute = 60.0 * sum(seconds) / sum(durations)
    cpu_minute = 60.0 * sum(cpus) / sum(durations)
    print(
        f"analysis: {per_minute:.2f} s wall, {cpu_minute:.2f} s CPU per minute of song"
        f" (mix + vocal stem), {len(songs)} songs; load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores"
    )
    long_mix, rate = soundfile.read(songs[0].mix, dtype="float32")
    long_vocals, _ = soundfile.read(songs[0].vocals, dtype="float32")
    reps = int(np.ceil(THREE_MINUTES * rate / len(long_mix)))
    size = int(THREE_MINUTES * rate)
    long_mix = np.concatenate([long_mix] * reps)[:size]
    long_vocals = np.concatenate([long_vocals] * reps)[:size]
    started, cpu = time.perf_counter(), time.process_time()
    listen(long_mix, rate, melody_audio=long_vocals)
    print(
        f"analysis of a 3-minute song ({songs[0].name} looped): "
        f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU"
    )


if __name__ == "__main__":
    main()
