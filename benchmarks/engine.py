"""Offline engine speed: one song stage by stage, and a whole MUSIC task as the provider
runs it.

    .venv/bin/python -m benchmarks.engine [--quick] [--task-only]

Part 1 renders a sung and an instrumental song of about two minutes (``--quick``: 30 s)
with ``make_song`` in this process, after a short warm-up song that loads what the
pipeline caches (dictionaries, voices, the SoundFont index, fonts).  Each stage is timed
from the ``progress`` callback, called as the stage ends: wall seconds and CPU seconds,
the latter this process's own plus that of its waited-for children (fluidsynth,
espeak-ng and ffmpeg run as subprocesses).  The real-time factor is seconds of audio per
wall second.  The mastered WAV is measured for loudness and true peak; for the sung song
the score is composed again from the same tags, lyrics and seed, sung again, and the
vocal alone measured for pitch accuracy.

Part 0 composes a three-minute song (the lyrics below with two more choruses, at a
slow tempo) alone, many times: its p50 and p99 wall time against the target, since the
composer runs before anything is heard.

Part 2 runs one MUSIC task the way the local provider does: the job JSON that
``song_job`` builds from a parsed spec, for each of two fresh clip ids (so two seeds),
fed to its own ``python -m songgate.providers.local_job`` child, both children at once
(the provider runs one render per core; this machine has two).  It reports the task's
wall time (MP3, covers and video included; publishing to the media store is not) and
each child's peak memory, against the targets.  It also reports the time to first
streamed audio: from the task's start (spawning the children) to the first ``stream``
line a child writes, when the MP3 of the song's first bars is complete in its folder
(the provider publishes it with a rename, or one small upload), decoded here to check
it plays; when the stream first grows, how long in all a listener playing it from the
first file on waits for more, and when the whole mastered song streams (before covers
and video), each with the child's CPU seconds by then (/proc), which is its wall time on
an idle core.  Exits 0 once measured, whether or not the targets are met.
"""

from __future__ import annotations

import argparse
import inspect
import math
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import soundfile

from benchmarks._common import BenchmarkError, fmt_ms, percentile, render_table, say
from benchmarks._engine_common import (
    MIB,
    ChildRun,
    LoadMeter,
    LoadWindow,
    Snapshot,
    Span,
    run_json_child,
)
from songgate.domain.models import MODEL_VERSIONS
from songgate.domain.submit import MusicSpec, parse_music
from songgate.engine.compose.score import compose
from songgate.engine.master import mix
from songgate.engine.render.midi import score_to_midi
from songgate.engine.sing.measure import measure_pitch_accuracy
from songgate.engine.sing.vocals import sing
from songgate.engine.song import STAGE_WEIGHTS, SongFiles, make_song
from songgate.engine.style.parse import parse_style
from songgate.engine.text.form import parse_form
from songgate.engine.types import SAMPLE_RATE
from songgate.providers.local import JOB_MODULE, clip_seed, song_job

try:
    from songgate.engine.request import SongRequest
except ImportError:  # older songgate: the request lived with the pipeline
    from songgate.engine.song import SongRequest  # type: ignore[attr-defined,no-redef,unused-ignore]

STAGES = tuple(STAGE_WEIGHTS)  # compose, render, sing, master, mp3, cover, video
TASK_WALL_TARGET = 30.0  # seconds for a whole MUSIC task (two clips)
FIRST_AUDIO_TARGET = 3.0  # seconds from the task's start to the first streamed audio
COMPOSE_TARGET = 0.5  # seconds to compose a three-minute song (Style + Form -> Score)
COMPOSE_MAX_SECONDS = 240.0
COMPOSE_TEMPO = 76.0  # slow, so the song runs three minutes or more
WORKER_RSS_TARGET = 1536 * MIB  # 1.5 GB per worker process
MODEL = "chirp-v3-0"  # the model version whose limit is two minutes
TAGS = "upbeat pop"
SEED = 1588945316  # a tempo at which every section of LYRICS fits in two minutes

VERSE_1 = """[Verse 1]
Morning light is spilling on the kitchen floor
Coffee on the counter and a note beside the door
Every little sound is like a song I used to know
Footsteps on the stairway and the radio down low"""
VERSE_2 = """[Verse 2]
Evening settles gently on the rooftops and the trees
Someone plays guitar out where the river meets the breeze
Neon signs are flickering in colours red and blue
All the empty streets are ringing out a tune for you"""
CHORUS = """[Chorus]
Turn it up and let the summer in
Hold on tight and let the night begin
We are shining brighter than the stars
Every heartbeat tells us who we are"""
BRIDGE = """[Bridge]
When the music fades away
I will find the words to say
Carry me across the sky
Never asking how or why"""
# Four bars a line at pop tempos: two verses of eight lines alone would fill two minutes
# and the engine would trim the second verse, the bridge and the last chorus.
LYRICS = "\n\n".join([VERSE_1, CHORUS, VERSE_2, CHORUS, BRIDGE, CHORUS])
QUICK_LYRICS = "\n\n".join([VERSE_1, CHORUS])
WARMUP_LYRICS = "[Verse]\nHello there my friend"


@dataclass(frozen=True, slots=True)
class Plan:
    quick: bool
    seconds: float  # max_seconds of every song
    lyrics: str
    child_timeout: float  # a local_job child is killed after this

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls(True, 30.0, QUICK_LYRICS, child_timeout=180.0)
        return cls(False, 120.0, LYRICS, child_timeout=600.0)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.engine", description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--quick", action="store_true", help="30-second songs: a smoke run")
    parser.add_argument("--task-only", action="store_true",
                        help="part 2 alone: the MUSIC task, its streaming and memory")
    parser.add_argument("--clip-ids", default="",
                        help="the task's two clip ids (so two seeds), comma-separated: the same "
                             "songs in runs to compare; fresh ids by default")
    return parser.parse_args(argv)


# -- part 1: one song in this process -----------------------------------------------------


class StageClock:
    """The ``progress`` callback of make_song: a snapshot as each stage ends."""

    def __init__(self) -> None:
        self.start = Snapshot.take()
        self.marks: list[tuple[str, Snapshot]] = []

    def __call__(self, stage: str, fraction: float) -> None:
        del fraction
        if self.marks and self.marks[-1][0] == stage:  # reported part-way, then at its end
            self.marks.pop()
        self.marks.append((stage, Snapshot.take()))

    def spans(self) -> dict[str, Span]:
        spans: dict[str, Span] = {}
        previous = self.start
        for stage, mark in self.marks:
            spans[stage] = Span.between(previous, mark)
            previous = mark
        return spans

    def total(self) -> Span:
        return Span.between(self.start, self.marks[-1][1] if self.marks else self.start)


@dataclass
class SongRun:
    label: str
    request: SongRequest
    files: SongFiles
    stages: dict[str, Span]
    total: Span
    lufs: float = math.nan
    true_peak: float = math.nan
    pitch_accuracy: float | None = None
    vocal_notes: int = 0
    pitch_seconds: float = 0.0

    @property
    def realtime_factor(self) -> float:
        return self.files.duration / self.total.wall if self.total.wall else math.nan


def render_song(label: str, request: SongRequest, out_dir: Path) -> SongRun:
    out_dir.mkdir(parents=True, exist_ok=True)
    clock = StageClock()
    # streamed as the provider streams it, so the preview stage is timed with the rest
    # (an older make_song has no stream)
    streamed: dict[str, Any] = {}
    if "stream" in inspect.signature(make_song).parameters:
        streamed["stream"] = lambda path: path.unlink()
    files = make_song(request, out_dir, progress=clock, **streamed)
    missing = [stage for stage in STAGES if stage not in clock.spans()]
    if missing:
        raise BenchmarkError(f"make_song reported no end for the stages {missing}")
    run = SongRun(label, request, files, clock.spans(), clock.total())
    audio, rate = soundfile.read(str(files.wav), dtype="float32", always_2d=True)
    run.lufs = mix.integrated_lufs(audio, rate)
    run.true_peak = mix.true_peak_dbtp(audio, rate)
    return run


def measure_vocal(run: SongRun) -> None:
    """Compose the same score again, sing it as make_song does, measure its pitch."""
    request = run.request
    started = time.perf_counter()
    style_seed = request.seed if request.style_seed is None else request.style_seed
    style = parse_style(request.tags, request.negative_tags, seed=style_seed)
    form = parse_form(request.lyrics)
    score = compose(style, form, seed=request.seed, max_seconds=request.max_seconds)
    if score_to_midi(score) != run.files.midi.read_bytes():
        raise BenchmarkError("composing again gave another score than the song's MIDI")
    vocals = sing(score, sample_rate=SAMPLE_RATE, seed=request.seed,
                  voice="f" if request.seed % 2 == 0 else "m")
    if not np.any(vocals):
        raise BenchmarkError("the sung song's vocal is silent (is espeak-ng installed?)")
    run.pitch_accuracy = measure_pitch_accuracy(vocals, SAMPLE_RATE, score)
    run.vocal_notes = len(score.vocal)
    run.pitch_seconds = time.perf_counter() - started


@dataclass(frozen=True, slots=True)
class ComposeRun:
    times: list[float]  # wall seconds of each compose call
    song_seconds: float  # how long the composed song runs


def compose_part(plan: Plan) -> ComposeRun:
    """The composer alone on a three-minute song; the first (cold) call is left out."""
    style = replace(parse_style(TAGS, seed=SEED), tempo=COMPOSE_TEMPO)
    form = parse_form("\n\n".join([LYRICS, CHORUS, CHORUS]))
    score = compose(style, form, seed=SEED, max_seconds=COMPOSE_MAX_SECONDS)
    times = []
    for _ in range(5 if plan.quick else 30):
        started = time.perf_counter()
        compose(style, form, seed=SEED, max_seconds=COMPOSE_MAX_SECONDS)
        times.append(time.perf_counter() - started)
    return ComposeRun(times, score.seconds)


def report_compose(run: ComposeRun) -> None:
    say("")
    say(f"PART 0: compose alone, a {run.song_seconds:.0f} s song at {COMPOSE_TEMPO:g} bpm, "
        f"{len(run.times)} times: p50 {fmt_ms(percentile(run.times, 0.50))} ms, "
        f"p99 {fmt_ms(percentile(run.times, 0.99))} ms")
    worst = max(run.times)
    say(f"target: compose < {COMPOSE_TARGET:g} s: {_verdict(worst < COMPOSE_TARGET)} "
        f"(slowest {fmt_ms(worst)} ms)")


def warm_up(out_dir: Path) -> float:
    started = time.perf_counter()
    request = SongRequest(lyrics=WARMUP_LYRICS, tags=TAGS, max_seconds=8.0, seed=SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    make_song(request, out_dir)
    return time.perf_counter() - started


def song_part(plan: Plan, work: Path) -> tuple[list[SongRun], float, LoadWindow]:
    warmup = warm_up(work / "warmup")
    meter = LoadMeter()
    requests = [
        ("sung", SongRequest(lyrics=plan.lyrics, tags=TAGS, max_seconds=plan.seconds,
                             seed=SEED)),
        ("instrumental", SongRequest(lyrics="", tags=TAGS, instrumental=True,
                                     max_seconds=plan.seconds, seed=SEED)),
    ]
    runs = []
    for label, request in requests:
        say(f"rendering the {label} song ...")
        runs.append(render_song(label, request, work / label))
    window = meter.stop()  # the pitch measurement below is not part of the songs
    say("measuring the sung vocal's pitch ...")
    measure_vocal(runs[0])
    return runs, warmup, window


def stage_table(runs: Sequence[SongRun]) -> str:
    headers = ["stage"]
    for run in runs:
        headers += [f"{run.label} wall s", "CPU s", "of which children"]
    rows = []
    for stage in (*STAGES, "total"):
        row = [stage]
        for run in runs:
            span = run.total if stage == "total" else run.stages[stage]
            row += [f"{span.wall:.2f}", f"{span.cpu:.2f}", f"{span.cpu_children:.2f}"]
        rows.append(row)
    return render_table(headers, rows)


def _db(value: float, unit: str) -> str:
    return f"{value:.2f} {unit}" if math.isfinite(value) else f"{value} {unit}"


def song_summary(runs: Sequence[SongRun]) -> str:
    headers = ["", *(run.label for run in runs)]
    fields: list[tuple[str, list[str]]] = [
        ("audio seconds", [f"{run.files.duration:.1f}" for run in runs]),
        ("wall seconds", [f"{run.total.wall:.2f}" for run in runs]),
        ("CPU seconds", [f"{run.total.cpu:.2f}" for run in runs]),
        ("cores busy (CPU/wall)", [f"{run.total.cpu / run.total.wall:.2f}" for run in runs]),
        ("real-time factor (audio/wall)", [f"{run.realtime_factor:.2f}x" for run in runs]),
        ("integrated loudness (WAV)", [_db(run.lufs, "LUFS") for run in runs]),
        ("true peak (WAV)", [_db(run.true_peak, "dBTP") for run in runs]),
        ("style", [f"{run.files.style.genre}, {run.files.style.tempo:g} bpm" for run in runs]),
        ("renderer", [run.files.renderer for run in runs]),
        ("sung", ["yes" if run.files.sung else "no" for run in runs]),
        ("video", ["yes" if run.files.video else "NO" for run in runs]),
        ("pitch accuracy (vocal alone)", [
            "-" if run.pitch_accuracy is None else
            f"{run.pitch_accuracy * 100:.1f}% of {run.vocal_notes} notes within 50 cents"
            for run in runs
        ]),
    ]
    return render_table(headers, [[name, *values] for name, values in fields])


def report_songs(plan: Plan, runs: Sequence[SongRun], warmup: float, window: LoadWindow) -> None:
    say("")
    say(f"PART 1: make_song in this process, tags {TAGS!r}, seed {SEED}, "
        f"max_seconds {plan.seconds:g} (warm-up song first: {warmup:.1f} s, not counted)")
    say("CPU = this process (time.process_time) + waited-for children "
        "(getrusage RUSAGE_CHILDREN): fluidsynth, espeak-ng, ffmpeg")
    say(stage_table(runs))
    say("")
    say(song_summary(runs))
    sung = runs[0]
    say(f"pitch measured on the vocal sung again from the same score "
        f"({sung.pitch_seconds:.1f} s, not counted above)")
    say(window.describe())


# -- part 2: a whole MUSIC task in two local_job children ---------------------------------


@dataclass
class ClipRun:
    clip_id: str
    job: dict[str, Any]
    child: ChildRun
    result: dict[str, Any] = field(default_factory=dict)
    plays: float = 0.0  # seconds of audio in the first stream MP3, decoded while it exists
    waits: float = math.nan  # what stalls() says, measured while the stream files exist

    @property
    def stage_seconds(self) -> dict[str, float]:
        seconds: dict[str, float] = self.result.get("stage_seconds", {})
        return seconds

    def stalls(self) -> float:
        """Seconds a listener who starts playing the first stream file as it appears waits
        in all for more audio, each file being played on from where the last ended."""
        found = [(moment, line["stream"]["path"]) for moment, line in self.child.messages
                 if "stream" in line]
        if not found:
            return math.nan
        waited, clock, position, heard = 0.0, found[0][0], 0.0, 0.0
        for moment, path in found:
            try:
                audio, rate = soundfile.read(str(path), dtype="float32")
            except (OSError, RuntimeError):
                continue
            frames = len(audio)
            if heard:
                playable = heard - position
                if moment - clock > playable:
                    waited += moment - clock - playable
                    position = heard
                else:
                    position += moment - clock
                clock = moment
            heard = max(heard, frames / rate)
        return waited

    @property
    def stream_count(self) -> int:
        return sum(1 for _, line in self.child.messages if "stream" in line)

    def streamed(self, started: float, index: int) -> float:
        """Seconds from ``started`` to the child's ``index``-th stream line (-1: the last;
        nan if none)."""
        lines = [moment for moment, line in self.child.messages if "stream" in line]
        return lines[index] - started if -len(lines) <= index < len(lines) else math.nan

    def stream_cpu(self, index: int) -> float:
        """The child's CPU seconds when it wrote its ``index``-th stream line (nan if none)."""
        cpu = [spent for (_, line), spent in zip(self.child.messages, self.child.cpu_at,
                                                 strict=True) if "stream" in line]
        return cpu[index] if -len(cpu) <= index < len(cpu) else math.nan

    def first_stream_seconds(self) -> float:
        """Seconds of audio decoded from the child's first stream MP3 (0 if none plays)."""
        found = self.child.first("stream")
        if found is None:
            return 0.0
        try:
            audio, rate = soundfile.read(str(found[1]["stream"]["path"]), dtype="float32")
        except (OSError, RuntimeError):
            return 0.0
        return len(audio) / rate if np.any(audio) else 0.0

    @property
    def startup(self) -> float:
        """Spawn to the start of make_song: interpreter start, imports, reading the job."""
        compose_done = self.child.first("stage")
        if compose_done is None:
            return math.nan
        return compose_done[0] - self.child.spawned - self.stage_seconds.get("compose", 0.0)


def provider_job(spec: MusicSpec, clip_id: str, out_dir: Path) -> dict[str, Any]:
    """What the local provider feeds local_job for a clip of a custom-mode (lyrics) task.

    Newer providers pass song_job the task's words, which in custom mode are the spec's
    own (lyrics, tags, title, instrumental); older ones take the spec alone. Newer ones
    build a typed RenderJob, whose JSON (the same object as the older dicts) is returned."""
    build: Any = song_job
    if "words" not in inspect.signature(song_job).parameters:
        return dict(build(spec, clip_id, out_dir))
    from songgate.providers.local import Words  # type: ignore[attr-defined,unused-ignore]

    words = Words(spec.prompt, spec.tags, spec.title, spec.make_instrumental)
    job = build(spec, words, clip_id, out_dir)
    if isinstance(job, dict):
        return dict(job)
    from songgate.providers import render_job  # older songgate: no typed job, a dict above

    return dict(orjson.loads(render_job.job_to_json(job)))


def music_jobs(
    plan: Plan, work: Path, clip_ids: Sequence[str] = ()
) -> list[tuple[str, dict[str, Any]]]:
    spec = parse_music({"prompt": plan.lyrics, "tags": TAGS, "mv": MODEL})
    jobs = []
    for index in range(2):  # a MUSIC task has two clips
        clip_id = clip_ids[index] if clip_ids else str(uuid.uuid4())
        out_dir = work / clip_id
        out_dir.mkdir(parents=True)
        job = provider_job(spec, clip_id, out_dir)
        job["max_seconds"] = min(float(job["max_seconds"]), plan.seconds)
        jobs.append((clip_id, job))
    return jobs


def task_part(
    plan: Plan, work: Path, clip_ids: Sequence[str] = ()
) -> tuple[list[ClipRun], float, float, LoadWindow]:
    jobs = music_jobs(plan, work, clip_ids)
    say(f"rendering a MUSIC task: 2 clips in 2 {JOB_MODULE} children at once ...")
    meter = LoadMeter()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [
            pool.submit(run_json_child, ["-m", JOB_MODULE], job, timeout=plan.child_timeout)
            for _, job in jobs
        ]
        children = [future.result() for future in futures]
    wall = max(child.exited for child in children) - started
    window = meter.stop()
    clips = []
    for (clip_id, job), child in zip(jobs, children, strict=True):
        outcome = child.messages[-1][1] if child.messages else {}
        if child.exit_code != 0 or "result" not in outcome:
            raise BenchmarkError(f"clip {clip_id} failed (exit {child.exit_code}): "
                                 f"{outcome}\n{child.stderr[-2000:]}")
        clip = ClipRun(clip_id, job, child, outcome["result"])
        clip.plays = clip.first_stream_seconds()
        clip.waits = clip.stalls()  # while the stream files are still there
        clips.append(clip)
    return clips, started, wall, window


def clip_table(clips: Sequence[ClipRun]) -> str:
    headers = ["clip", "seed", "audio s", "startup s", *(f"{s} s" for s in STAGES),
               "wall s", "CPU s", "peak MiB", "helpers MiB", "tree MiB"]
    rows = []
    for clip in clips:
        seconds = clip.stage_seconds
        rows.append([
            clip.clip_id[:8], str(clip.job["seed"]), f"{clip.result['duration']:.1f}",
            f"{clip.startup:.2f}", *(f"{seconds.get(stage, math.nan):.2f}" for stage in STAGES),
            f"{clip.child.wall:.2f}", f"{clip.child.cpu:.2f}",
            f"{clip.child.own_peak / MIB:.0f}", f"{clip.child.helper_peak / MIB:.0f}",
            f"{clip.child.tree_peak / MIB:.0f}",
        ])
    return render_table(headers, rows)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def stream_table(clips: Sequence[ClipRun], started: float) -> str:
    headers = ["clip", "first audio s", "its CPU s", "first audio plays s", "files",
               "first longer s", "listener waits s", "mastered song streams s", "its CPU s",
               "clip done s", "its CPU s"]
    rows = [[clip.clip_id[:8], f"{clip.streamed(started, 0):.2f}",
             f"{clip.stream_cpu(0):.2f}", f"{clip.plays:.1f}", str(clip.stream_count),
             f"{clip.streamed(started, 1):.2f}", f"{clip.waits:.2f}",
             f"{clip.streamed(started, -1):.2f}", f"{clip.stream_cpu(-1):.2f}",
             f"{clip.child.exited - started:.2f}", f"{clip.child.cpu:.2f}"] for clip in clips]
    return render_table(headers, rows)


def report_stream(clips: Sequence[ClipRun], started: float) -> None:
    say("")
    say("streaming: seconds from the task's start (both children spawned) to each clip's "
        "stream lines;\n'plays' = seconds of audio decoded from the first stream MP3; 'files' "
        "= stream files written (first\nbars, each longer part, the mastered song); "
        "'first longer' = the second file; 'listener waits' = seconds in all\nthat one "
        "who plays from the first file on waits for the next (decoded lengths); "
        "'its CPU' = the child's CPU seconds by then\n(with its waited-for helpers), what "
        "the wall time would be with a core to itself")
    say(stream_table(clips, started))
    first = min(clip.streamed(started, 0) for clip in clips)
    plays = all(clip.plays > 0 for clip in clips)
    ok = first <= FIRST_AUDIO_TARGET and plays
    say(f"target: first streamed audio <= {FIRST_AUDIO_TARGET:g} s after the task starts: "
        f"{_verdict(ok)} ({first:.2f} s{'' if plays else '; a first stream did not decode'})")


def report_task(plan: Plan, clips: Sequence[ClipRun], wall: float, window: LoadWindow) -> None:
    limit = MODEL_VERSIONS[MODEL].max_duration_seconds
    say("")
    say(f"PART 2: one MUSIC task (mv {MODEL}, tags {TAGS!r}) as the local provider runs it: "
        f"song_job JSON to `python -m {JOB_MODULE}`, both clips at once")
    say(f"max_seconds {plan.seconds:g}" + (f" (quick; {MODEL} allows {limit})"
                                           if plan.seconds < limit else f" ({MODEL}'s limit)"))
    say(clip_table(clips))
    say("startup = spawn to the start of make_song (interpreter, imports, job); stages as "
        "the child reports them;\nCPU from os.wait4 (the child and the processes it waited "
        "for); memory sampled from /proc every\n20 ms: peak = the worker process's own "
        "VmHWM, helpers = largest VmHWM of fluidsynth/espeak-ng/ffmpeg\nseen, tree = "
        "largest sum of the current RSS of the worker and its live helpers")
    inherited = max(clip.child.wait4_max_rss for clip in clips)
    say(f"(os.wait4's ru_maxrss says {inherited / MIB:.0f} MiB, but a vfork+exec child "
        f"inherits the high-water mark of its\nspawner, here this benchmark at "
        f"{own_peak_rss() / MIB:.0f} MiB after part 1, so it is not used)")
    videos = sum(1 for clip in clips if clip.result.get("video"))
    say(f"files: mp3, WAV, MIDI, 2 covers per clip; video for {videos} of {len(clips)} clips")
    sampling = window.own_cpu - sum(clip.child.cpu for clip in clips)
    say(window.describe(f"{sampling:.1f} CPU-s of it in this process, mostly /proc sampling"))
    audio = sum(float(clip.result["duration"]) for clip in clips)
    say(f"task wall time: {wall:.2f} s for {audio:.1f} s of audio "
        f"({audio / wall:.2f}x real time across both clips)")
    say("")
    worst = max(clip.child.own_peak for clip in clips)
    scale = "" if not plan.quick else " [--quick: 30 s songs, not the target's song length]"
    say(f"target: whole task < {TASK_WALL_TARGET:.0f} s wall: {_verdict(wall < TASK_WALL_TARGET)} "
        f"({wall:.2f} s){scale}")
    say(f"target: peak memory < {WORKER_RSS_TARGET / MIB:.0f} MiB per worker process: "
        f"{_verdict(worst < WORKER_RSS_TARGET)} (own peak {worst / MIB:.0f} MiB; largest "
        f"helper {max(clip.child.helper_peak for clip in clips) / MIB:.0f} MiB; worker and "
        f"helpers at once {max(clip.child.tree_peak for clip in clips) / MIB:.0f} MiB)")


def own_peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# -- main ---------------------------------------------------------------------------------


def check_seeds(clips: Sequence[ClipRun]) -> None:
    for clip in clips:
        if clip.job["seed"] != clip_seed(clip.clip_id):
            raise BenchmarkError("song_job no longer seeds a clip from its id")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = Plan.of(args.quick)
    started = time.perf_counter()
    load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    say(f"{os.cpu_count()} cores, load average {load} at the start; "
        f"{'quick: 30 s songs' if plan.quick else 'two-minute songs'}")
    with tempfile.TemporaryDirectory(prefix="songgate-bench-engine-") as tmp:
        work = Path(tmp)
        try:
            if not args.task_only:
                composed = compose_part(plan)
                runs, warmup, song_window = song_part(plan, work / "songs")
            clip_ids = [str(uuid.UUID(found)) for found in args.clip_ids.split(",") if found]
            if clip_ids and len(clip_ids) != 2:
                raise BenchmarkError("--clip-ids takes two ids")
            clips, task_started, wall, task_window = task_part(plan, work / "task", clip_ids)
            check_seeds(clips)
        except BenchmarkError as error:
            say(f"benchmark failed: {error}")
            return 1
    if not args.task_only:
        report_compose(composed)
        report_songs(plan, runs, warmup, song_window)
    report_task(plan, clips, wall, task_window)
    report_stream(clips, task_started)
    say(f"\nbenchmark ran {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
