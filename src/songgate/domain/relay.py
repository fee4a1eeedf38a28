"""What an upstream service says of a relayed task, and what that makes of ours.

Protocol adapters translate each upstream's answers into :class:`UpstreamTask`;
the functions here turn one into the next state of our task. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from songgate.domain import task as task_rules
from songgate.domain.clips import Clip, with_status
from songgate.domain.results import ClipOutput, LyricsResult, MusicResult, TaskResult
from songgate.domain.status import Action, ClipStatus, TaskStatus
from songgate.domain.stems import stem_label
from songgate.domain.task import Task

MAX_UPSTREAM_REASON = 300


@dataclass(frozen=True, slots=True)
class UpstreamClip:
    id: str
    status: ClipStatus
    audio_url: str = ""
    image_url: str = ""
    image_large_url: str = ""
    video_url: str = ""
    duration: float = 0.0
    title: str = ""
    tags: str = ""
    prompt: str = ""
    stem_type: str = ""  # a stem's part (domain/stems.py LABELS key), "" if not a stem


@dataclass(frozen=True, slots=True)
class UpstreamTask:
    """One upstream task as last reported. ``progress`` is a percentage, if it gave one."""

    id: str
    status: TaskStatus
    progress: int | None = None
    fail_reason: str = ""
    clips: tuple[UpstreamClip, ...] = ()
    lyrics_title: str = ""
    lyrics_text: str = ""
    finished_at: float = 0.0  # the upstream's finish time (epoch seconds), 0 if it gave none


def clean_reason(text: Any) -> str:
    """An upstream's words, made safe to show: one line, printable, bounded."""
    line = " ".join(str(text or "").split())
    line = "".join(ch for ch in line if ch.isprintable())
    return line[:MAX_UPSTREAM_REASON]


def handed_off(task: Task) -> Task:
    """The task now waits on an upstream: no worker holds it, the poller follows it."""
    return replace(task, lease_token=None, lease_expires_at=None)


def observed(task: Task, upstream: UpstreamTask) -> Task:
    """The task after an upstream report that is not an end (see :func:`outcome`).

    Upstream queues show as our QUEUED; work shows as IN_PROGRESS with the upstream's
    progress (never backwards); UNKNOWN is copied, never invented.
    """
    if upstream.status is TaskStatus.UNKNOWN:
        if task.status is TaskStatus.UNKNOWN:
            return task
        return task_rules.became_unknown(task)
    if upstream.status is not TaskStatus.IN_PROGRESS:
        return task  # NOT_START, SUBMITTED, QUEUED: still waiting upstream
    fraction = (upstream.progress if upstream.progress is not None else task.progress) / 100
    moved = task_rules.progressed(task, fraction)
    if task.action is Action.MUSIC:
        # clips the upstream finished early still stream here until the whole task is done
        moved = replace(moved, data=[_streaming(clip) for clip in moved.data])
    return moved


def _streaming(clip: Clip) -> Clip:
    return clip if clip["status"] == ClipStatus.STREAMING.value else with_status(
        clip, ClipStatus.STREAMING
    )


def finish_time(task: Task, upstream: UpstreamTask, now: float) -> float:
    """When the task ended: the upstream's word for it, if it is plausible, else ``now``.

    Plausible means after our own start and not in the future (clocks differ).
    """
    if task.start_time <= upstream.finished_at <= now:
        return upstream.finished_at
    return now


def upstream_failure(channel: str, upstream: UpstreamTask) -> str:
    reason = clean_reason(upstream.fail_reason) or "no reason given"
    return f"the upstream channel {channel} failed the task: {reason}"


def result_of(task: Task, upstream: UpstreamTask, clip_urls: dict[str, ClipOutput]) -> TaskResult:
    """Our result for an upstream success. Upstream clips map onto ours in order.

    ``clip_urls`` holds, by upstream clip id, the output to show (our own media URLs
    when the channel copies media, the upstream's when it links).
    """
    if task.action is Action.LYRICS:
        return LyricsResult(title=upstream.lyrics_title, text=upstream.lyrics_text)
    stem = task.action is Action.STEM  # a stem keeps its title ("<our title> - Vocals")
    shown = [(ours, clip_urls[theirs.id]) for ours, theirs in clip_pairs(task, upstream)
             if theirs.id in clip_urls]
    return MusicResult(clips=tuple(
        replace(output, id=ours, title="" if stem else output.title) for ours, output in shown
    ))


def clip_pairs(task: Task, upstream: UpstreamTask) -> list[tuple[str, UpstreamClip]]:
    """(our clip id, upstream clip) in order, as far as both have clips.

    A STEM task's clips pair by part instead: each planned stem with the upstream clip
    that holds the same part (the first, if it names one twice); unnamed ones pair with none.
    """
    if task.action is not Action.STEM:
        return list(zip(task.clip_ids, upstream.clips, strict=False))
    by_part: dict[str, UpstreamClip] = {}
    for clip in upstream.clips:
        if clip.stem_type:
            by_part.setdefault(clip.stem_type, clip)
    pairs = []
    for ours in task.data:
        part = stem_label("", str((ours.get("metadata") or {}).get("stem_type") or ""))
        if part in by_part:
            pairs.append((str(ours["id"]), by_part.pop(part)))
    return pairs


def unmade_stems(task: Task, upstream: UpstreamTask) -> list[str]:
    """The planned stem clips of a relayed STEM task the upstream did not make (the song
    has no such part): dropped from the task when it succeeds."""
    if task.action is not Action.STEM:
        return []
    made = {ours for ours, _ in clip_pairs(task, upstream)}
    return [clip_id for clip_id in task.clip_ids if clip_id not in made]


def without(task: Task, clip_ids: list[str]) -> Task:
    """``task`` without the clips ``clip_ids`` (none: the task as it is)."""
    if not clip_ids:
        return task
    gone = set(clip_ids)
    return replace(task, data=[clip for clip in task.data if clip["id"] not in gone])


def linked_output(clip: UpstreamClip) -> ClipOutput:
    """An upstream clip shown with the upstream's own URLs."""
    return ClipOutput(
        id=clip.id, audio_url=clip.audio_url, image_url=clip.image_url,
        image_large_url=clip.image_large_url or clip.image_url, video_url=clip.video_url,
        duration=clip.duration, title=clip.title, tags=clip.tags, prompt=clip.prompt,
    )

