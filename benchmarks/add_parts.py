"""Adding a part to an upload, timed: one clip of add_vocals and of add_instrumental as a
render child makes it (listening included), beside a plain song of the same length.

    nice python -m benchmarks.add_parts [--seconds 60]

The uploads are engine songs (so their tempo is known): an instrumental for add_vocals,
a song's vocal stem alone for add_instrumental. Prints each task's wall time with the
machine's load, its ratio to the plain song, and what was measured of the result: the
voice over the band in 1-4 kHz where it sings, the sung notes' distance from the
upload's eighth-note grid, the band's tempo against the upload's.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import orjson
import soundfile
from tests.support.audio_analysis import estimate_tempo

from benchmarks._engine_common import LoadMeter
from songgate.engine.added_song import make_added_song
from songgate.engine.listen.melody import melody_notes
from songgate.engine.request import AddedPart, SongRequest
from songgate.engine.song import make_song

LYRICS = ("[Verse]\nSunday morning light on the window\nCoffee in my hand and nowhere to go\n"
          "[Chorus]\nHappy weekend, sing it with me\nHappy weekend, we are free\n"
          "[Verse]\nRain along the river road\nLanterns burning low\n")
BAND_TEMPO, VOICE_TEMPO = 100.0, 90.0


def _band_energy(audio: np.ndarray, rate: int) -> float:
    power = np.abs(np.fft.rfft(audio)) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / rate)
    return float(power[(freqs >= 1000) & (freqs < 4000)].sum())


def _timed(label: str, run: object, baseline: float | None) -> float:
    meter = LoadMeter()
    started = time.perf_counter()
    assert callable(run)
    run()
    wall = time.perf_counter() - started
    ratio = f", {wall / baseline:.2f}x the plain song" if baseline else ""
    print(f"{label}: {wall:.1f} s wall{ratio}; {meter.stop().describe()}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        band = make_song(SongRequest(lyrics="", tags=f"pop {BAND_TEMPO:g} bpm",
                                     instrumental=True, max_seconds=seconds, seed=3),
                         out, stem="band")
        sung = make_song(SongRequest(lyrics=LYRICS, tags=f"pop {VOICE_TEMPO:g} bpm",
                                     max_seconds=seconds, seed=7), out, stem="sung")
        voice, rate = soundfile.read(sung.stems["vocals"], dtype="float32")
        soundfile.write(out / "voice.wav", voice, rate, subtype="PCM_16")
        print(f"uploads: instrumental {band.duration:.1f} s at {BAND_TEMPO:g} bpm, "
              f"vocal {sung.duration:.1f} s at {VOICE_TEMPO:g} bpm")
        plain = _timed(f"plain song of {seconds:g} s (baseline)", lambda: make_song(
            SongRequest(lyrics=LYRICS, tags="pop", seed=5, max_seconds=band.duration), out,
            stem="plain"), None)
        vocals_request = SongRequest(lyrics=LYRICS, tags="pop", seed=5,
                                     added_part=AddedPart(band.wav, "vocals"))
        _timed("add_vocals (one clip)", lambda: make_added_song(vocals_request, out,
                                                                 stem="vox"), plain)
        _timed("add_instrumental (one clip)", lambda: make_added_song(SongRequest(
            lyrics="", tags="funk", seed=5, added_part=AddedPart(out / "voice.wav",
                                                                 "instrumental")),
            out, stem="acc"), plain)
        sung_voice = soundfile.read(out / "vox_vocals.flac")[0].mean(axis=1)
        original = soundfile.read(out / "vox_original.flac")[0].mean(axis=1)
        words = orjson.loads((out / "vox.timing.json").read_bytes())["aligned_words"]
        mask = np.zeros(len(sung_voice), dtype=bool)
        for word in words:
            mask[int(word["start_s"] * rate):int(word["end_s"] * rate)] = True
        over = 10 * np.log10(_band_energy(sung_voice[mask], rate)
                             / _band_energy(original[mask], rate))
        eighth = 60.0 / BAND_TEMPO / 2
        onsets = [n.onset for n in melody_notes(sung_voice, rate) if n.offset - n.onset >= 0.12]
        off = [abs(t - round(t / eighth) * eighth) * 1000 for t in onsets]
        print(f"add_vocals: voice over the upload in 1-4 kHz while singing {over:.1f} dB; "
              f"{len(onsets)} sung notes, median {np.median(off):.0f} ms from the upload's "
              f"eighth-note grid (a random onset: {eighth * 250:.0f} ms)")
        parts = [p for p in out.glob("acc_*.flac") if not p.name.endswith("_vocals.flac")]
        mixed = sum(soundfile.read(p)[0].mean(axis=1) for p in parts)
        assert isinstance(mixed, np.ndarray)
        tempo = estimate_tempo(mixed, rate)
        print(f"add_instrumental: band tempo {tempo:.1f} bpm against the upload's "
              f"{VOICE_TEMPO:g} ({(tempo / VOICE_TEMPO - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
